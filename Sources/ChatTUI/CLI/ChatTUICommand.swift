import ArgumentParser
import ChatPOSIX
import ChatProtocol
import ChatTLS

/// `chat-tui`: the command line.
struct ChatTUICommand: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "chat-tui",
        abstract: "A full-screen terminal chat client for IRC servers and plain line-based chat servers.",
        discussion: """
        Examples:
          chat-tui connect 127.0.0.1:4444 --nick alice --channel '#lobby'
          chat-tui connect irc://irc.example.org:6667/#chat
          chat-tui connect ircs://irc.example.org/#chat   (TLS, port 6697)
          chat-tui connect telnet://127.0.0.1:4000   (same as --raw)
          chat-tui   (every network of the configuration file with autoconnect = true)

        Inside, /help lists the commands. Alt-1..9 and Ctrl-N/Ctrl-P
        switch windows, PgUp/PgDn scroll, Tab completes, /quit leaves.
        """,
        version: "chat-tui \(version)",
        subcommands: [Connect.self],
        // `chat-tui` alone connects as `chat-tui connect` does: the autoconnect networks.
        defaultSubcommand: Connect.self
    )

    struct Connect: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Connect to a server and open the chat screen.")

        @Argument(help: "HOST:PORT, irc://HOST:PORT/#channel, ircs://HOST[:6697]/#channel (TLS), telnet://HOST:PORT, or a network of the configuration file (default: every network with autoconnect = true, else the file's network key).")
        var server: String?

        @Option(help: ArgumentHelp("The configuration file (default: $XDG_CONFIG_HOME/chat-tui/config.toml, else ~/.config/chat-tui/config.toml).", valueName: "PATH"))
        var config: String?

        @Option(help: "Nick to use (default: your login name).")
        var nick: String?

        @Option(name: .customLong("channel"), help: "A channel to join once connected (repeatable).")
        var channels: [String] = []

        @Flag(help: "Talk to a plain line-based chat server (no IRC, no nick list).")
        var raw = false

        @Flag(help: "Speak TLS (as ircs:// does): the certificate is checked against the system's CA store, or trusted on first use.")
        var tls = false

        @Option(name: .customLong("tls-fingerprint"), help: ArgumentHelp("Trust only the certificate with this SHA-256 fingerprint (hex, colons optional; implies --tls).", valueName: "SHA256"))
        var tlsFingerprint: String?

        @Option(help: "Write one log file per window into this directory.")
        var logDir: String?

        @Option(help: "Lines kept per window (default 10000).")
        var scrollback: Int?

        @Flag(inversion: .prefixedNo, help: "Scroll with the mouse wheel (turn off to select text with the mouse).")
        var mouse: Bool?

        @Flag(inversion: .prefixedNo, help: "Show mIRC bold, colours and the like as plain text (--no-strip-formatting: show them, the default, whatever the configuration file says).")
        var stripFormatting: Bool?

        @Option(help: .hidden)
        var statsFile: String?

        func validate() throws {
            if let server, let problem = Self.addressProblem(server) { throw ValidationError(problem) }
            if let nick, nick.utf8.count > Self.maxNickLength {
                throw ValidationError("\"\(nick)\" is too long for a nick: at most \(Self.maxNickLength) characters.")
            }
            if let nick, !Names.isValidNick(nick, maxLength: Self.maxNickLength) {
                throw ValidationError("\"\(nick)\" is not a valid nick: start with a letter or one of []\\`_^{|}, then letters, digits, - or those.")
            }
            for c in channels where !(Names.isValidChannel(c) || Names.isValidChannel("#" + c)) {
                throw ValidationError("\"\(c)\" is not a valid channel name.")
            }
            if let scrollback, scrollback < 100 { throw ValidationError("--scrollback must be at least 100.") }
            if let tlsFingerprint, TLSFingerprint(parsing: tlsFingerprint) == nil {
                throw ValidationError("--tls-fingerprint takes a SHA-256 fingerprint: 64 hex digits, colons optional (openssl x509 -fingerprint -sha256 prints one).")
            }
        }

        func run() throws {
            // The file first: a mistake in it is said before anything else happens.
            let file = config.map(ConfigFile.init(path:)) ?? ConfigFile.forUser()
            let settings: Settings
            do {
                settings = try file?.load(addressCheck: Self.addressProblem) ?? Settings()
            } catch {
                FD.writeAllIgnoringErrors(2, "chat-tui: \(error)\n")
                throw ExitCode(1)
            }
            let chosen: [Chosen]
            do {
                chosen = try chooseNetworks(settings, file: file)
            } catch {
                FD.writeAllIgnoringErrors(2, "chat-tui: \(error)\n")
                throw ExitCode(1)
            }
            // ncurses on a pipe or a file can neither read keys nor draw, and polls a
            // descriptor that is always ready: refuse before starting it.
            let missing = [(Int32(0), "standard input"), (1, "standard output")].filter { !TTY.isTerminal($0.0) }.map(\.1)
            if !missing.isEmpty {
                let what = missing.joined(separator: " and ") + (missing.count > 1 ? " are" : " is")
                FD.writeAllIgnoringErrors(2, "chat-tui: \(what) not a terminal; chat-tui is a full-screen program, run it in one.\n")
                throw ExitCode(Self.notATerminal)
            }
            var starts: [NetworkStart] = []
            for c in chosen {
                do {
                    starts.append(try start(c, askingTrust: true))
                } catch {
                    if !error.message.isEmpty { FD.writeAllIgnoringErrors(2, "chat-tui: \(error.message)\n") }
                    throw ExitCode(1)
                }
            }
            Screen.setUTF8Locale()
            let loop = EventLoop(networks: starts, mouse: chosen[0].mouse, statsFile: statsFile,
                                 resolve: { name, settings in resolve(name, settings, file: file) })
            let code = loop.run()
            if code != 0 { throw ExitCode(code) }
        }

        /// Why `address` is no server address (nil: it is one), as `ServerTarget` says.
        @Sendable static func addressProblem(_ address: String) -> String? {
            do {
                _ = try ServerTarget.parse(address)
                return nil
            } catch {
                return error.description
            }
        }

        /// Longest nick accepted (`Names.isValidNick`'s default, our server's limit).
        static let maxNickLength = 30

        /// Exit status when standard input or output is not a terminal.
        static let notATerminal: Int32 = 1

        /// The login name, made into a valid nick.
        static func defaultNick() -> String {
            let login = Proc.loginName() ?? "user"
            if Names.isValidNick(login) { return login }
            let cleaned = String(login.filter { $0.isASCII && ($0.isLetter || $0.isNumber || "-_[]{}\\`^|".contains($0)) }.prefix(16))
            let nick = cleaned.first?.isLetter == true ? cleaned : "u" + cleaned
            return Names.isValidNick(nick) ? nick : "user"
        }

        static func defaultUser() -> String {
            let login = Proc.loginName() ?? "user"
            let u = String(login.filter { $0.isASCII && ($0.isLetter || $0.isNumber) }.prefix(10))
            return u.isEmpty ? "user" : u
        }
    }
}
