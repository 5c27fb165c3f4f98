/// The text of a churn line: `~C~ SENDER DEST SEQ CHECKSUM`, DEST `p` (private) or a channel
/// number, CHECKSUM 8 hex digits (`Payload.checksum`) over what comes before its space.
enum ChurnPayload {
    static let marker: [UInt8] = Array("~C~ ".utf8)

    static func text(sender: Int, channel: Int?, seq: UInt64) -> String {
        let body = "~C~ \(sender) \(channel.map(String.init) ?? "p") \(seq)"
        let bytes = Array(body.utf8)
        let sum = bytes.withUnsafeBufferPointer { Payload.checksum($0.baseAddress!, $0.count) }
        var hex = [UInt8](repeating: 0, count: 8)
        hex.withUnsafeMutableBufferPointer { Payload.writeHex32(sum, to: $0.baseAddress!) }
        return body + " " + String(decoding: hex, as: UTF8.self)
    }

    enum Parsed: Equatable {
        case line(sender: Int, channel: Int?, seq: UInt64)
        case corrupt
    }

    /// Finds a churn payload in a received line (wherever the dialect put it): nil when the
    /// line has no marker.
    static func find<C: Collection>(in line: C) -> Parsed? where C.Element == UInt8 {
        let b = Array(line)
        guard b.count >= marker.count else { return nil }
        var at = -1
        var i = 0
        while i + 4 <= b.count {
            if b[i] == 0x7E && b[i + 1] == 0x43 && b[i + 2] == 0x7E && b[i + 3] == 0x20 { at = i; break }
            i += 1
        }
        guard at >= 0 else { return nil }
        let p = Array(b[at...])
        guard p.count > 13, p[p.count - 9] == 0x20,
              let want = p.withUnsafeBufferPointer({ Payload.readHex32($0.baseAddress! + p.count - 8) }),
              p.withUnsafeBufferPointer({ Payload.checksum($0.baseAddress!, p.count - 9) }) == want else { return .corrupt }
        let words = p[4..<(p.count - 9)].split(separator: 0x20, omittingEmptySubsequences: false)
        guard words.count == 3, let s = Int(String(decoding: words[0], as: UTF8.self)),
              let q = UInt64(String(decoding: words[2], as: UTF8.self)) else { return .corrupt }
        let d = String(decoding: words[1], as: UTF8.self)
        if d == "p" { return .line(sender: s, channel: nil, seq: q) }
        guard let c = Int(d) else { return .corrupt }
        return .line(sender: s, channel: c, seq: q)
    }
}
