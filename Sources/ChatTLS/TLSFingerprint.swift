/// A certificate's SHA-256 fingerprint, shown as ssh does (`SHA256:` and base64) or as the
/// colon-separated hex `openssl x509 -fingerprint -sha256` prints; both are read back.
public struct TLSFingerprint: Equatable, Hashable, Sendable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// `AB:CD:…`, as OpenSSL prints it.
    public var hex: String {
        bytes.map { b in
            let d = Array("0123456789ABCDEF")
            return String([d[Int(b >> 4)], d[Int(b & 15)]])
        }.joined(separator: ":")
    }

    public var description: String { "SHA256:" + hex }

    /// Lower-case hex without colons, as Ergo shows and stores a client certificate's
    /// fingerprint (the server's accounts keep them so).
    public var plainHex: String { hex.lowercased().filter { $0 != ":" } }

    /// Hex with or without colons, with or without a `SHA256:` in front; nil for anything else.
    public init?(parsing text: String) {
        var t = Substring(text)
        if t.lowercased().hasPrefix("sha256:") { t = t.dropFirst(7) }
        let digits = t.filter { $0 != ":" }
        guard digits.count == 64 else { return nil }
        var out: [UInt8] = []
        var it = digits.makeIterator()
        while let hi = it.next(), let lo = it.next() {
            guard let h = hi.hexDigitValue, let l = lo.hexDigitValue else { return nil }
            out.append(UInt8(h << 4 | l))
        }
        bytes = out
    }
}
