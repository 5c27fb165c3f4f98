@testable import ChatProtocol

/// A terminal just big enough to check what `HumanLineEditor` draws: rows of cells, a cursor,
/// and the bytes a telnet user's terminal acts on (text, CR, LF, BS, BEL, `CSI K`, `CSI n D`).
/// Anything else it records in `unknown`, and a character written past the last column
/// counts in `wraps`, so a test can say neither happened.
struct VirtualTerminal {
    let width: Int
    private(set) var rows: [[String]] = [[]]
    private(set) var row = 0
    private(set) var column = 0
    private(set) var wraps = 0
    private(set) var unknown: [[UInt8]] = []
    private(set) var bells = 0
    private(set) var escapes = 0
    private var pending: [UInt8] = []

    init(width: Int) { self.width = width }

    /// The row the cursor is on, trailing blanks removed.
    var cursorRow: String { text(of: row) }

    /// Every row, trailing blanks removed.
    var lines: [String] { rows.indices.map { text(of: $0) } }

    func text(of r: Int) -> String {
        var s = rows[r].joined()
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }

    mutating func write(_ bytes: [UInt8]) {
        var i = 0
        let input = pending + bytes
        pending = []
        while i < input.count {
            let b = input[i]
            switch b {
            case 0x0D: column = 0; i += 1
            case 0x0A:
                row += 1
                if row == rows.count { rows.append([]) }
                i += 1
            case 0x08: column = max(0, column - 1); i += 1
            case 0x07: bells += 1; i += 1
            case 0x1B:
                // CSI digits final
                var j = i + 1
                guard j < input.count else { pending = Array(input[i...]); return }
                guard input[j] == UInt8(ascii: "[") else { unknown.append(Array(input[i...j])); i = j + 1; continue }
                j += 1
                var n = 0
                var digits = 0
                while j < input.count, (0x30...0x39).contains(input[j]) { n = n * 10 + Int(input[j] - 0x30); j += 1; digits += 1 }
                guard j < input.count else { pending = Array(input[i...]); return }
                escapes += 1
                switch input[j] {
                case UInt8(ascii: "K"):
                    if rows[row].count > column { rows[row].removeSubrange(column...) }
                case UInt8(ascii: "D"):
                    column = max(0, column - (digits == 0 ? 1 : n))
                default:
                    unknown.append(Array(input[i...j]))
                }
                i = j + 1
            default:
                var it = input[i...].makeIterator()
                var decoder = UTF8()
                guard case .scalarValue(let s) = decoder.decode(&it) else { unknown.append([b]); i += 1; continue }
                i += UTF8.width(s)
                if s.value < 0x20 { unknown.append([b]); continue }
                put(s)
            }
        }
    }

    private mutating func put(_ s: Unicode.Scalar) {
        let w = DisplayWidth.of(s)
        if w == 0 {
            // Joins the cell before it.
            if column > 0, column - 1 < rows[row].count { rows[row][column - 1] += String(s) }
            return
        }
        if column + w > width {
            wraps += 1
            column = 0
            row += 1
            if row == rows.count { rows.append([]) }
        }
        while rows[row].count < column + w { rows[row].append(" ") }
        rows[row][column] = String(s)
        if w == 2 { rows[row][column + 1] = "" }
        column += w
    }
}
