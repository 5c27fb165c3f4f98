import ChatPOSIX
import ChatProtocol
import Logging

/// What a running server can change on a reload (SIGHUP, or `reload` at the console): the
/// command line's values, overridden by the `--config` file's settings, read again each time.
struct Limits: Equatable {
    var maxClients: Int
    var maxPerIP: Int
    var history: Int
    var floodRate: Double
    var floodBurst: Int
    var motdFile: String?
    /// `oper = NAME HASH [MASK]` lines: who may become a server operator.
    var operators: [OperatorBlock] = []
    /// `--description`, `description`, `admin-location`, `admin-email`: LINKS, WHOIS, ADMIN.
    var about = ServerAbout()
    /// `--tls-cert`, `--tls-key`: PEM files, read again on every reload (issue 15).
    var tlsCertificate: String?
    var tlsKey: String?
    /// `--state-dir`, `state-dir`: where the accounts are kept (read at start-up only).
    var stateDir: String?
    /// `--history-days`, `history-days`: how long channel lines are kept on disk (with a
    /// state directory); 0 keeps none there.
    var historyDays = 7
    /// `--nick-grace`, `nick-grace`: seconds to identify for a registered nick; 0: not enforced.
    var nickGrace = 60
    /// `--history-private`, `history-private`: private messages are kept with the channel
    /// lines (on disk, with a state directory) and served to CHATHISTORY.
    var historyPrivate = false

    /// The same rules for the command line and the file; the message names the setting.
    func problem() -> String? {
        if maxClients < 0 { return "max-clients must be 0 or more" }
        if maxPerIP < 0 { return "max-per-ip must be 0 or more" }
        if history < 0 || history > 10000 { return "history must be between 0 and 10000" }
        if historyDays < 0 || historyDays > 36500 { return "history-days must be between 0 and 36500" }
        if !floodRate.isFinite || floodRate < 0 { return "flood-rate must be a number, 0 or more" }
        if floodRate > 1_000_000 { return "flood-rate must be at most 1000000 (0 turns flood control off)" }
        // Sessions multiply the burst (the "Excess flood" bound is ten bursts): an absurd one
        // overflowed and crashed every session.
        if floodBurst < 1 || floodBurst > 100_000 { return "flood-burst must be between 1 and 100000" }
        if nickGrace < 0 || nickGrace > 86400 { return "nick-grace must be between 0 and 86400 seconds (0: registered nicks are not enforced)" }
        return about.problem()
    }

    /// `name = value` lines (`#` starts a comment) over these limits: the names of the
    /// command-line options, without their dashes.
    mutating func apply(configFile path: String) throws {
        let bytes: [UInt8]
        do { bytes = try FD.readFile(path, limit: 64 * 1024) } catch {
            throw StartupError("cannot read the config file \(path): \(error)")
        }
        let lines = TextSafety.repairUTF8(bytes).split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for (i, raw) in lines.enumerated() {
            let line = raw.prefix { $0 != "#" }.trimming(while: Character.isSpaceOrTab)
            if line.isEmpty { continue }
            func bad(_ why: String) -> StartupError { StartupError("config file \(path), line \(i + 1): \(why)") }
            guard let eq = line.firstIndex(of: "=") else { throw bad("expected 'name = value', got '\(TextSafety.sanitize(String(line.prefix(60))))'") }
            let key = line[..<eq].trimming(while: Character.isSpaceOrTab), value = line[line.index(after: eq)...].trimming(while: Character.isSpaceOrTab)
            func int() throws -> Int {
                guard let v = Int(value) else { throw bad("\(key) takes a whole number, not '\(TextSafety.sanitize(String(value.prefix(40))))'") }
                return v
            }
            switch key {
            case "max-clients": maxClients = try int()
            case "max-per-ip": maxPerIP = try int()
            case "history": history = try int()
            case "history-days": historyDays = try int()
            case "flood-burst": floodBurst = try int()
            case "nick-grace": nickGrace = try int()
            case "history-private":
                switch value.lowercased() {
                case "yes", "on", "true": historyPrivate = true
                case "no", "off", "false": historyPrivate = false
                default: throw bad("history-private takes yes or no, not '\(TextSafety.sanitize(String(value.prefix(40))))'")
                }
            case "flood-rate":
                guard let v = Double(value) else { throw bad("flood-rate takes a number, not '\(TextSafety.sanitize(String(value.prefix(40))))'") }
                floodRate = v
            case "oper":
                let words = value.split(whereSeparator: Character.isSpaceOrTab).map(String.init)
                guard words.count == 2 || words.count == 3 else {
                    throw bad("oper takes a name, a password hash and an optional user@host mask: oper = NAME HASH [MASK]")
                }
                guard PasswordHash.isReadable(words[1]) else {
                    throw bad("the password of operator \(TextSafety.sanitize(String(words[0].prefix(40)))) is not an argon2id hash: make one with 'chat-server hash-password'")
                }
                guard Names.isValidNick(words[0], maxLength: 64) else {
                    throw bad("an operator's name is a word of letters, digits and - _ [ ] { } \\ ` ^ |, not '\(TextSafety.sanitize(String(words[0].prefix(40))))'")
                }
                if operators.contains(where: { $0.name == words[0] }) { throw bad("operator \(words[0]) is defined twice") }
                operators.append(OperatorBlock(name: words[0], hash: words[1], mask: words.count == 3 ? words[2] : "*@*"))
            case "description": about.description = String(value)
            case "tls-cert": tlsCertificate = value.isEmpty ? nil : Self.relative(String(value), to: path)
            case "tls-key": tlsKey = value.isEmpty ? nil : Self.relative(String(value), to: path)
            case "admin-location": about.adminLocation = String(value)
            case "admin-email": about.adminEmail = String(value)
            case "motd-file", "state-dir":
                // Relative to the config file's directory.
                let dir = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
                let resolved = value.isEmpty ? nil : value.hasPrefix("/") ? String(value) : (dir.isEmpty ? "" : dir) + "/" + value
                if key == "motd-file" { motdFile = resolved } else { stateDir = resolved }
            default:
                throw bad("unknown setting '\(TextSafety.sanitize(String(key.prefix(40))))' (max-clients, max-per-ip, history, flood-rate, flood-burst, motd-file, oper, description, admin-location, admin-email, tls-cert, tls-key, state-dir, history-days, history-private, nick-grace)")
            }
            if let problem = problem() { throw bad(problem) }
        }
    }
}

/// Everything the command line decides, checked once at start-up.
struct ServerConfig {
    var listen: [SocketAddress]
    /// `--tls-listen`: where clients speak TLS (issue 15).
    var tlsListen: [SocketAddress] = []
    /// The TLS certificate and key in force, read at start-up and on each reload when
    /// `--tls-cert` and `--tls-key` are given.
    var certificate: ServerCertificate?
    var name: String
    var motd: [String]?
    /// What is in force now: `commandLineLimits` with the config file's settings over them.
    var limits: Limits
    /// `--config`: re-read, over the command line's limits, at start-up and on every reload.
    var configFile: String?
    var commandLineLimits: Limits
    var hubQueueLimit = 8 << 20
    /// `--delivery-tick`: how long events for a session the hub has just written to may wait
    /// for more (`Hub+Delivery`); 0: never.
    var deliveryTickNanos = UInt64(ServerConfig.defaultDeliveryTick) * 1000
    /// In microseconds: a line waits at most 8 ms, and only for a reader sent 250 lines a
    /// second or more (docs/BENCHMARKS.md, "The delivery tick").
    static let defaultDeliveryTick = 8000
    /// Bytes' worth of replies a session may ask for, a second on average (`WorkBudget`); 0: no limit.
    var replyRate = 256 * 1024
    /// What it may ask for at once: four seconds' worth.
    var replyBurst: Int { replyRate * 4 }
    /// Bytes of history the whole hub keeps, every channel together.
    var historyMemory = 64 << 20
    var sessionQueueLimit = 1 << 20
    var maxLineLength = 8192
    var registrationTimeout = 60
    var pingInterval = 90
    var pingTimeout = 180
    var quietPeriodMS = 300
    /// IRCv3 `sts`'s `duration=` on TLS ports: how long a client keeps to TLS (`--sts-duration`).
    var stsDuration = ServerConfig.defaultSTSDuration
    let createdAt = Proc.wallMillis() / 1000

    static let version = "0.1.0"

    mutating func reloadMOTD() throws {
        guard let motdFile = limits.motdFile else { motd = nil; return }
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

    /// Reads the config file (if any) over the command line's limits, and the MOTD; all or
    /// nothing: on an error the settings stay as they were. Returns what changed, for the log.
    mutating func reload() throws -> [String] {
        var next = self
        var limits = commandLineLimits
        if let configFile { try limits.apply(configFile: configFile) }
        next.limits = limits
        try next.reloadMOTD()
        try next.reloadCertificate()
        let old = self.limits
        var changes: [String] = []
        func note<T: Equatable>(_ name: String, _ a: T, _ b: T) { if a != b { changes.append("\(name) \(a) -> \(b)") } }
        note("max-clients", old.maxClients, limits.maxClients)
        note("max-per-ip", old.maxPerIP, limits.maxPerIP)
        note("history", old.history, limits.history)
        note("history-days", old.historyDays, limits.historyDays)
        note("flood-rate", old.floodRate, limits.floodRate)
        note("flood-burst", old.floodBurst, limits.floodBurst)
        note("nick-grace", old.nickGrace, limits.nickGrace)
        note("history-private", old.historyPrivate, limits.historyPrivate)
        note("motd-file", old.motdFile ?? "none", limits.motdFile ?? "none")
        if old.stateDir != limits.stateDir { changes.append("state-dir \(limits.stateDir ?? "none") takes effect at the next start") }
        note("description", old.about.description, limits.about.description)
        note("admin-location", old.about.adminLocation ?? "none", limits.about.adminLocation ?? "none")
        note("admin-email", old.about.adminEmail ?? "none", limits.about.adminEmail ?? "none")
        func names(_ blocks: [OperatorBlock]) -> String { blocks.isEmpty ? "none" : blocks.map(\.name).joined(separator: ",") }
        if old.operators != limits.operators { changes.append("operators \(names(old.operators)) -> \(names(limits.operators))") }
        if next.motd != motd { changes.append("new message of the day") }
        if next.certificate?.fingerprint != certificate?.fingerprint {
            changes.append("TLS certificate \(next.certificate.map { "\($0.fingerprint)" } ?? "none")")
        }
        self = next
        return changes
    }

    func chatSettings() -> ChatSettings {
        var s = ChatSettings(serverName: name, network: name, version: "chat-server-\(Self.version)", createdAt: createdAt,
                             historyLength: limits.history, historyMemory: historyMemory, motd: motd)
        s.operators = limits.operators
        s.historyRetention = Int64(limits.historyDays) * 86_400_000
        s.nickGrace = limits.nickGrace
        s.historyPrivate = limits.historyPrivate
        return s
    }

    func sessionConfig() -> SessionConfig {
        SessionConfig(serverName: name, floodRate: limits.floodRate, floodBurst: limits.floodBurst, queueLimit: sessionQueueLimit,
                      maxLineLength: maxLineLength, registrationTimeout: registrationTimeout,
                      pingInterval: pingInterval, pingTimeout: pingTimeout, quietPeriodMS: quietPeriodMS,
                      about: limits.about)
    }
}

/// A start-up problem: one clear line and a non-zero exit, never a backtrace.
struct StartupError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
