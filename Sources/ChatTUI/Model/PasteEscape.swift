import ChatProtocol

/// An escape sequence being dropped from a paste: the terminal's reader turned its ESC and
/// first character into a key, and the rest comes as text.
enum PasteEscape: Equatable, Sendable {
    case none
    /// CSI: parameter and intermediate bytes, then one final byte.
    case csi
    /// OSC, DCS, APC, PM, SOS: everything up to BEL or ESC \.
    case string

    /// `text` without what belongs to the sequence being dropped; ends the sequence when its
    /// end is in `text`.
    mutating func strip(_ text: String) -> String {
        switch self {
        case .none: return text
        case .string: return ""
        case .csi:
            var scalars = Substring(text).unicodeScalars[...]
            while let c = scalars.first, (0x20...0x3F).contains(c.value) { scalars.removeFirst() }
            guard let final = scalars.first else { return "" }
            if (0x40...0x7E).contains(final.value) { scalars.removeFirst() }
            self = .none
            return String(String.UnicodeScalarView(scalars))
        }
    }
}
