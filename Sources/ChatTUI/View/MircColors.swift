@preconcurrency import CNcurses

/// mIRC colours on the terminal: colour pairs made as lines need them, with what the
/// terminal has (16 colours map 0-15 one to one, 8 fold the bright half onto the dark;
/// 16-98 need 256 colours and are left at the default otherwise).
struct MircColors {
    /// mIRC 0-15 as the terminal's 16 colours (0 white, 1 black, 2 blue, 3 green, 4 red…).
    private static let basic: [Int16] = [15, 0, 4, 2, 9, 1, 5, 3, 11, 10, 6, 14, 12, 13, 8, 7]
    /// mIRC 16-98 as xterm's 256 colours (the table of modern.ircdocs.horse).
    private static let extended: [Int16] = [
        52, 94, 100, 58, 22, 29, 23, 24, 17, 54, 53, 89, 88, 130, 142, 64, 28, 35, 30, 25, 18, 91, 90, 125,
        124, 166, 184, 106, 34, 49, 37, 33, 19, 129, 127, 161, 196, 208, 226, 154, 46, 86, 51, 75, 21, 171, 201, 198,
        203, 215, 227, 191, 83, 122, 87, 111, 63, 177, 207, 205, 217, 223, 229, 193, 157, 158, 159, 153, 147, 183, 219, 212,
        16, 233, 235, 237, 239, 241, 244, 247, 250, 254, 231,
    ]
    /// The first pair number free for these (the client's fixed pairs are below).
    private static let firstPair: Int16 = 64

    private var pairs: [UInt32: Int16] = [:]
    private var next = firstPair

    /// The terminal colour for a mIRC number, -1 for the default.
    static func terminalColor(_ mirc: UInt8?, colors: Int) -> Int16 {
        guard let m = mirc.map(Int.init) else { return -1 }
        if m < 16 {
            let c = basic[m]
            return colors >= 16 ? c : (c >= 8 ? c - 8 : c)
        }
        return colors >= 256 && m - 16 < extended.count ? extended[m - 16] : -1
    }

    /// The colour pair for a foreground and background, made on first use; 0 (the default)
    /// when the terminal has no colours or no pairs left.
    mutating func pair(foreground: UInt8?, background: UInt8?) -> Int16 {
        guard has_colors() else { return 0 }
        let colors = Int(COLORS)
        let fg = Self.terminalColor(foreground, colors: colors), bg = Self.terminalColor(background, colors: colors)
        if fg == -1 && bg == -1 { return 0 }
        let key = UInt32(UInt16(bitPattern: fg)) << 16 | UInt32(UInt16(bitPattern: bg))
        if let p = pairs[key] { return p }
        guard Int32(next) < COLOR_PAIRS, next < Int16.max else { return 0 }
        init_pair(next, fg, bg)
        pairs[key] = next
        next += 1
        return pairs[key]!
    }
}
