/// The characters no text from one user may carry when it reaches another user, the
/// operator's console or the server's log: controls (C0, DEL, C1; the IRC formatting codes
/// and CTCP's 0x01 only where allowed), format characters (bidi overrides, embeddings,
/// isolates and marks, zero-width characters, U+FEFF...) and separators other than the ASCII
/// space (no-break spaces, U+2028, U+2029). By Unicode category, and written apart from the
/// server's sanitiser, so that it checks it rather than repeats it.
public enum UnsafeText {
    /// 0x01 CTCP, 0x02 bold, 0x03 colour, 0x04 hex colour, 0x0F reset, 0x11 monospace,
    /// 0x16 reverse, 0x1D italic, 0x1E strikethrough, 0x1F underline.
    static let ircFormatting: Set<UInt32> = [0x01, 0x02, 0x03, 0x04, 0x0F, 0x11, 0x16, 0x1D, 0x1E, 0x1F]

    /// Whether `scalar` must not reach a terminal.
    public static func isUnsafe(_ scalar: Unicode.Scalar, allowingIRCFormatting: Bool = false) -> Bool {
        if scalar == " " { return false }
        if allowingIRCFormatting && ircFormatting.contains(scalar.value) { return false }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .spaceSeparator, .lineSeparator, .paragraphSeparator: return true
        default: return false
        }
    }

    /// The unsafe scalars of `text`, as `U+XXXX` names (empty when it is safe), for messages.
    public static func findings(in text: String, allowingIRCFormatting: Bool = false) -> [String] {
        text.unicodeScalars.filter { isUnsafe($0, allowingIRCFormatting: allowingIRCFormatting) }.map {
            let hex = String($0.value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }
    }

    /// Whether `text` carries nothing unsafe.
    public static func isSafe(_ text: String, allowingIRCFormatting: Bool = false) -> Bool {
        findings(in: text, allowingIRCFormatting: allowingIRCFormatting).isEmpty
    }
}
