import ChatPOSIX
import ChatProtocol

/// How the command line and the configuration file combine: an option given wins, then
/// the chosen network's key, then the file's top-level key, then the default.
extension ChatTUICommand.Connect {
    /// What `run` starts with once the file and the options are combined.
    struct Chosen {
        /// What the user calls it: the network's name in the file, else `HOST:PORT`.
        var name: String
        var target: ServerTarget
        var config: ClientConfig
        var tls: Bool
        var fingerprint: String?
        /// The client certificate's PEM file (`tls_cert`), presented over TLS.
        var certificate: String?
        var logDir: String?
        var mouse: Bool
    }

    /// Combines `settings` (from `file`) with the options; throws a sentence when no server
    /// can be chosen.
    func choose(_ settings: Settings, file: ConfigFile?) throws(ConfigError) -> Chosen {
        let source = file?.path ?? "the configuration file"
        let networks = settings.networkNames
        var network: String?
        if let server, networks.contains(server) {
            network = server
        } else if server == nil {
            network = settings.values["network"]?.string ?? (networks.count == 1 ? networks[0] : nil)
            guard network != nil else {
                throw ConfigError(file: source, message: networks.isEmpty
                    ? "no server given, and the file has no [networks.NAME]: chat-tui connect HOST:PORT"
                    : "no server given, and the file has several networks (\(networks.joined(separator: ", "))) but no `network = \"NAME\"` to choose one")
            }
        }
        return try chosen(network: network, address: server.flatMap { network == nil ? $0 : nil }, settings, file: file, options: true)
    }

    /// One network of the file (`network`) or a server (`address`), with the command line's
    /// options over the file's keys; `options` false leaves out those that belong to the
    /// network the command line named (its channels, TLS, --raw): `/connect`. The nick is
    /// the person's, so --nick holds for every network.
    func chosen(network: String?, address: String?, _ settings: Settings, file: ConfigFile?, options: Bool) throws(ConfigError) -> Chosen {
        let source = file?.path ?? "the configuration file"
        let channels = options ? channels : []
        let raw = options && raw
        let tls = options && tls
        let tlsFingerprint = options ? tlsFingerprint : nil
        func net(_ key: String) -> SettingValue? { network.flatMap { settings.values["networks.\($0).\(key)"] } }
        let address = address ?? net("address")?.string ?? ""
        let target: ServerTarget
        do { target = try ServerTarget.parse(address) } catch {
            throw ConfigError(file: source, key: network.map { "networks.\($0).address" }, message: error.description)
        }
        let fileNick = net("nick")?.string ?? settings.values["nick"]?.string
        var config = ClientConfig(nick: nick ?? fileNick ?? Self.defaultNick(),
                                  userName: settings.values["user"]?.string ?? Self.defaultUser(),
                                  server: "\(target.host):\(target.port)")
        if let real = settings.values["realname"]?.string { config.realName = real }
        config.mode = raw || target.raw ? .raw : .irc
        config.nickGiven = nick != nil || fileNick != nil
        config.showFormatting = !(stripFormatting ?? settings.values["strip_formatting"]?.bool ?? false)
        let named = target.channels + channels
        config.channels = (named.isEmpty ? net("channels")?.list ?? [] : named).map { $0.hasPrefix("#") || $0.hasPrefix("&") ? $0 : "#" + $0 }
        config.scrollbackLines = scrollback ?? settings.values["scrollback"]?.int ?? 10_000
        let logDir = logDir ?? settings.values["log_dir"]?.string.map(Self.expandingHome)
        config.logging = logDir != nil
        config.version = "chat-tui \(ChatTUICommand.version)"
        config.settings = settings
        config.configPath = file?.path
        config.addressCheck = Self.addressProblem
        let fingerprint = tlsFingerprint ?? net("tls_fingerprint")?.string
        // The login keys: the network's, else the file's top-level ones.
        func login(_ key: String) -> String? { net(key)?.string ?? settings.values[key]?.string }
        let certificate = login("tls_cert").map(Self.expandingHome)
        let useTLS = target.tls || tls || fingerprint != nil || net("tls")?.bool == true
        config.serverPassword = login("password")
        if let mechanism = login("sasl_mechanism")?.lowercased() {
            let key = network.map { "networks.\($0).sasl_mechanism" } ?? "sasl_mechanism"
            if mechanism == "external" {
                guard certificate != nil, useTLS else {
                    throw ConfigError(file: source, key: key, message: "sasl_mechanism = \"external\" needs TLS (ircs:// or tls = true) and a tls_cert")
                }
                config.sasl = SASLLogin(mechanism: .external)
            } else {
                guard let password = login("sasl_password") else {
                    throw ConfigError(file: source, key: key, message: "sasl_mechanism = \"plain\" needs a sasl_password")
                }
                config.sasl = SASLLogin(mechanism: .plain, username: login("sasl_username") ?? config.nick, password: password)
            }
        }
        return Chosen(name: network ?? config.server, target: target, config: config, tls: useTLS,
                      fingerprint: fingerprint, certificate: certificate, logDir: logDir,
                      mouse: mouse ?? settings.values["mouse"]?.bool ?? true)
    }

    /// `~/logs` as `$HOME/logs` (the file's paths are written by hand).
    static func expandingHome(_ path: String) -> String {
        guard path == "~" || path.hasPrefix("~/"), let home = Proc.environment("HOME") else { return path }
        return home + path.dropFirst()
    }
}
