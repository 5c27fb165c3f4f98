import ChatPOSIX

/// Where to connect and how, from the command line's `HOST:PORT`, `telnet://HOST:PORT` or
/// `irc://HOST:PORT/#channel`.
struct ServerTarget: Equatable, Sendable {
    var host: String
    var port: Int
    var raw: Bool
    var channels: [String]
    /// ircs://: TLS.
    var tls = false

    static let defaultPort = 4444   // the chat server's
    static let ircPort = 6667
    static let ircsPort = 6697
    static let telnetPort = 23

    enum ParseError: Error, Equatable, CustomStringConvertible {
        case empty
        case unknownScheme(String)
        case badAddress(String)
        case noHost(String)

        var description: String {
            switch self {
            case .empty: return "no server given: use HOST:PORT"
            case .unknownScheme(let s): return "unknown scheme \"\(s)://\": use irc://, ircs:// or telnet://"
            case .badAddress(let s): return "\"\(s)\" is not HOST:PORT"
            case .noHost(let s): return "\"\(s)\" names no host: use HOST:PORT (127.0.0.1:4444 for this machine)"
            }
        }
    }

    static func parse(_ text: String) throws(ParseError) -> ServerTarget {
        var rest = Substring(text)
        guard !rest.isEmpty else { throw .empty }
        var raw = false
        var port = defaultPort
        var channels: [String] = []
        var tls = false
        if let colon = rest.firstIndex(of: ":"), rest[colon...].hasPrefix("://") {
            let scheme = rest[..<colon].lowercased()
            rest = rest[rest.index(colon, offsetBy: 3)...]
            switch scheme {
            case "irc": port = ircPort
            case "ircs": port = ircsPort; tls = true
            case "telnet": raw = true; port = telnetPort
            default: throw .unknownScheme(scheme)
            }
            // irc://host:port/#chan,#other  (a channel may also come without its '#')
            if let slash = rest.firstIndex(of: "/") {
                let path = rest[rest.index(after: slash)...]
                rest = rest[..<slash]
                for c in path.split(separator: ",") where !c.isEmpty {
                    let name = c.hasPrefix("%23") ? "#" + c.dropFirst(3) : String(c)
                    channels.append(name.hasPrefix("#") || name.hasPrefix("&") ? name : "#" + name)
                }
            }
        }
        // splitHostPort reads ":4444" as 0.0.0.0, which suits a server's --listen, not a
        // client: a server to connect to must be named.
        if rest.hasPrefix(":") || rest.hasPrefix("[]") { throw .noHost(text) }
        guard let (host, p) = SocketAddress.splitHostPort(String(rest)), !host.isEmpty else { throw .badAddress(text) }
        if let p {
            guard p > 0 else { throw .badAddress(text) }
            port = p
        }
        return ServerTarget(host: host, port: port, raw: raw, channels: channels, tls: tls)
    }
}
