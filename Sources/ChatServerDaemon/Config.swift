import ChatPOSIX
import ChatProtocol
import Logging

/// Everything the command line decides, checked once at start-up.
struct ServerConfig {
    var listen: [SocketAddress]
    var name: String
    var motdFile: String?
    var motd: [String]?
    var maxClients: Int
    var maxPerIP: Int
    var history: Int
    var floodRate: Double
    var floodBurst: Int
    var hubQueueLimit = 8 << 20
    var sessionQueueLimit = 1 << 20
    var maxLineLength = 8192
    var registrationTimeout = 60
    var pingInterval = 90
    var pingTimeout = 180
    var quietPeriodMS = 300
    let createdAt = Proc.wallMillis() / 1000

    static let version = "0.1.0"

    mutating func reloadMOTD() throws {
        guard let motdFile else { motd = nil; return }
        let bytes: [UInt8]
        do {
            bytes = try FD.readFile(motdFile, limit: 64 * 1024)
        } catch {
            throw StartupError("cannot read the MOTD file \(motdFile): \(error)")
        }
        let text = TextSafety.repairUTF8(bytes)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            TextSafety.sanitize(String($0))
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        // It travels in one hub frame with the welcome: keep it well under 64 KiB.
        var total = 0
        lines = Array(lines.prefix { line in
            total += line.utf8.count + 2
            return total <= 16 * 1024
        })
        motd = lines
    }

    func chatSettings() -> ChatSettings {
        ChatSettings(serverName: name, network: name, version: "chat-server-\(Self.version)", createdAt: createdAt,
                     historyLength: history, motd: motd)
    }

    func sessionConfig() -> SessionConfig {
        SessionConfig(serverName: name, floodRate: floodRate, floodBurst: floodBurst, queueLimit: sessionQueueLimit,
                      maxLineLength: maxLineLength, registrationTimeout: registrationTimeout,
                      pingInterval: pingInterval, pingTimeout: pingTimeout, quietPeriodMS: quietPeriodMS)
    }
}

/// A start-up problem: one clear line and a non-zero exit, never a backtrace.
struct StartupError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
