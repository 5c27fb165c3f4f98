import ChatPOSIX
import ChatProtocol
import ChatTLS

/// Several networks: those `chat-tui connect` opens at start (the file's `autoconnect`
/// ones), and those `/connect` opens later.
extension ChatTUICommand.Connect {
    /// What to connect to at start: with no server named and networks marked `autoconnect`,
    /// each of them (in name order, each logging into a directory of its own under
    /// `log_dir`); otherwise the one network `choose` picks.
    func chooseNetworks(_ settings: Settings, file: ConfigFile?) throws(ConfigError) -> [Chosen] {
        let source = file?.path ?? "the configuration file"
        let auto = settings.networkNames.filter { settings.values["networks.\($0).autoconnect"]?.bool == true }
        guard server == nil, !auto.isEmpty else { return [try choose(settings, file: file)] }
        // These name one network's connection: with several, they would be guesses.
        let oneNetworkOnly = [(!channels.isEmpty, "--channel"), (raw, "--raw"), (tls, "--tls"), (tlsFingerprint != nil, "--tls-fingerprint")]
        if let (_, option) = oneNetworkOnly.first(where: \.0) {
            throw ConfigError(file: source, message: "\(option) belongs to one network, and the file's autoconnect networks are several (\(auto.joined(separator: ", "))): name one, chat-tui connect NAME \(option) …")
        }
        return try auto.map { name throws(ConfigError) in
            var c = try chosen(network: name, address: nil, settings, file: file, options: true)
            if auto.count > 1 { c.logDir = c.logDir.map { Self.networkLogDirectory($0, name) } }
            return c
        }
    }

    /// `/connect NAME|HOST:PORT`: a network of the file (as `/set` left it), or a server,
    /// with the command line's options that are not one network's (`chosen`); it logs into
    /// a directory of its own under `log_dir`.
    func resolve(_ name: String, _ settings: Settings, file: ConfigFile?) -> Result<NetworkStart, ConfigError> {
        do throws(ConfigError) {
            let isNetwork = settings.networkNames.contains(name)
            var c = try chosen(network: isNetwork ? name : nil, address: isNetwork ? nil : name, settings, file: file, options: false)
            c.config.settings = settings
            c.logDir = c.logDir.map { Self.networkLogDirectory($0, c.name) }
            return .success(try start(c, askingTrust: false))
        } catch {
            return .failure(error)
        }
    }

    /// The network's log directory under `dir`.
    static func networkLogDirectory(_ dir: String, _ network: String) -> String {
        dir + "/" + LogFiles.directoryName(for: network)
    }

    /// A chosen network made ready to open: its TLS set up. `askingTrust` (before the screen
    /// starts) asks about a certificate nobody vouches for, as ssh does; later (`/connect`)
    /// such a certificate is refused when the connection meets it. A failure's `message` is
    /// the sentence to say (empty when the trust question has said it already).
    func start(_ c: Chosen, askingTrust: Bool) throws(ConfigError) -> NetworkStart {
        var config = c.config
        config.utcOffset = Proc.utcOffsetSeconds()
        var clientTLS: ClientTLS?
        if c.tls {
            let context: TLSContext
            do { context = try TLSContext.client() } catch {
                throw ConfigError(file: "", message: "cannot set up TLS: \(error)")
            }
            if let path = c.certificate {
                do { try context.useClientCertificate(pem: try FD.readFile(path, limit: 1 << 20)) } catch {
                    throw ConfigError(file: "", message: "tls_cert \(path): \(error)")
                }
            }
            let port = c.target.port
            clientTLS = ClientTLS(context: context, pinned: c.fingerprint.flatMap(TLSFingerprint.init(parsing:)),
                                  knownHosts: KnownHosts.forUser(), server: "\(c.target.host):\(port)", host: c.target.host)
            if askingTrust {
                let (ok, message) = clientTLS!.firstContact(port: port)
                if let message { FD.writeAllIgnoringErrors(2, "chat-tui: \(message)\n") }
                if !ok { throw ConfigError(file: "", message: "") }
            }
        }
        return NetworkStart(name: c.name, config: config, host: c.target.host, port: c.target.port, tls: clientTLS, logDirectory: c.logDir)
    }
}
