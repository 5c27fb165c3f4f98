import Testing
import TestSupport
@testable import ChatTUI

/// The login keys of the configuration file: SASL, the server password, the client
/// certificate, a network's over the top-level ones, and what cannot work said at start.
extension ConfigFileTests {
    @Test func loginKeysComeFromTheNetworkThenTheTopLevel() throws {
        let s = try load("""
            sasl_mechanism = "plain"
            sasl_username = "alice"
            sasl_password = "top secret"
            password = "serverpass"
            [networks.home]
            address = "127.0.0.1:4444"
            [networks.work]
            address = "ircs://127.0.0.1:6697"
            sasl_mechanism = "EXTERNAL"
            tls_cert = "~/me.pem"
            password = "workpass"
            """)
        func choose(_ args: [String]) throws -> ChatTUICommand.Connect.Chosen {
            try ChatTUICommand.Connect.parse(args).choose(s, file: ConfigFile(path: "conf.toml"))
        }
        let home = try choose(["home"])
        #expect(home.config.sasl == SASLLogin(mechanism: .plain, username: "alice", password: "top secret"))
        #expect(home.config.serverPassword == "serverpass" && home.certificate == nil)
        let work = try choose(["work"])
        #expect(work.config.sasl == SASLLogin(mechanism: .external) && work.config.serverPassword == "workpass")
        #expect(work.certificate?.hasSuffix("/me.pem") == true && work.certificate?.hasPrefix("~") == false && work.tls)
        // No login keys: no login.
        let none = try ChatTUICommand.Connect.parse(["127.0.0.1:1"]).choose(Settings(), file: nil)
        #expect(none.config.sasl == nil && none.config.serverPassword == nil)
    }

    @Test func aLoginThatCannotWorkIsSaidAtStart() throws {
        let cases: [(String, String)] = [
            ("sasl_mechanism = \"external\"\ntls_cert = \"/me.pem\"\n",
             "conf.toml: sasl_mechanism: sasl_mechanism = \"external\" needs TLS (ircs:// or tls = true) and a tls_cert"),
            ("sasl_mechanism = \"external\"\n", "conf.toml: sasl_mechanism: sasl_mechanism = \"external\" needs TLS (ircs:// or tls = true) and a tls_cert"),
            ("sasl_mechanism = \"plain\"\nsasl_username = \"a\"\n", "conf.toml: sasl_mechanism: sasl_mechanism = \"plain\" needs a sasl_password"),
        ]
        for (text, said) in cases {
            let s = try load(text)
            #expect(throws: ConfigError.self) { try ChatTUICommand.Connect.parse(["127.0.0.1:1"]).choose(s, file: ConfigFile(path: "conf.toml")) }
            do { _ = try ChatTUICommand.Connect.parse(["127.0.0.1:1"]).choose(s, file: ConfigFile(path: "conf.toml")) } catch {
                #expect("\(error)" == said, "\(text)")
            }
        }
        // Bad values are the file's mistakes, with their line.
        #expect(throws: ConfigError.self) { try load("sasl_mechanism = \"scram\"\n") }
        #expect(throws: ConfigError.self) { try load("password = \"\"\n") }
        #expect(throws: ConfigError.self) { try load("sasl_password = \"a\\u0007b\"\n") }
    }
}
