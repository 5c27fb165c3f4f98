import ChatPOSIX
import ChatProtocol

/// What a ban matches: one exact address, or a `nick!user@host` glob mask.
enum BanTarget: Equatable, CustomStringConvertible {
    case address(String)
    case mask(String)

    var description: String {
        switch self {
        case .address(let a): return a
        case .mask(let m): return m
        }
    }

    /// An address as the hub writes it ("192.0.2.7", "2001:db8::7"), or nil.
    static func canonicalAddress(_ text: String) -> String? {
        let t = text.hasPrefix("[") && text.hasSuffix("]") ? String(text.dropFirst().dropLast()) : text
        guard !t.isEmpty, !t.contains("*"), !t.contains("?") else { return nil }
        let probe = t.contains(":") ? "[\(t)]:0" : "\(t):0"
        return SocketAddress.parse(numeric: probe)?.host
    }

    /// Reads an operator's ban target: an exact address, a full mask, `user@host` (nick any),
    /// or a bare host glob (`192.0.2.*`: nick and user any). nil when it is none of those.
    static func parse(_ text: String) -> BanTarget? {
        if let a = canonicalAddress(text) { return .address(a) }
        guard !text.isEmpty, text.utf8.count <= 200,
              !text.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }),
              // nick!user@host has one of each: a mask with more could never match anyone.
              text.filter({ $0 == "!" }).count <= 1, text.filter({ $0 == "@" }).count <= 1 else { return nil }
        if let bang = text.firstIndex(of: "!") {
            guard let at = text[bang...].firstIndex(of: "@"), bang != text.startIndex,
                  text.index(after: bang) < at, text.index(after: at) < text.endIndex else { return nil }
            return .mask(text)
        }
        if let at = text.firstIndex(of: "@") {
            guard at != text.startIndex, text.index(after: at) < text.endIndex else { return nil }
            return .mask("*!" + text)
        }
        // A host glob must look like a host pattern: wildcards and address or name characters.
        if text.contains("*") || text.contains("?") {
            let ok = text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || ".:-*?".unicodeScalars.contains($0)) }
            return ok ? .mask("*!*@" + text) : nil
        }
        return nil
    }

    /// The three parts of a mask.
    var maskParts: (nick: String, user: String, host: String)? {
        guard case .mask(let m) = self, let bang = m.firstIndex(of: "!"),
              let at = m[bang...].firstIndex(of: "@") else { return nil }
        return (String(m[..<bang]), String(m[m.index(after: bang)..<at]), String(m[m.index(after: at)...]))
    }

    /// Whether the mask is decided by the address alone (nick and user parts are all `*`),
    /// so it can refuse a connection before it says anything.
    var matchesAtConnect: Bool {
        switch self {
        case .address: return true
        case .mask:
            guard let p = maskParts else { return false }
            return p.nick.allSatisfy { $0 == "*" } && !p.nick.isEmpty && p.user.allSatisfy { $0 == "*" } && !p.user.isEmpty
        }
    }

    func matches(host: String) -> Bool {
        switch self {
        case .address(let a): return a == host
        case .mask:
            guard matchesAtConnect, let p = maskParts else { return false }
            return Names.maskMatches(mask: p.host, host, casemapping: .ascii)
        }
    }

    /// Against a registered user's `nick!user@host`.
    func matches(source: String, host: String) -> Bool {
        switch self {
        case .address(let a): return a == host
        case .mask(let m): return Names.maskMatches(mask: m, source, casemapping: .ascii)
        }
    }
}
