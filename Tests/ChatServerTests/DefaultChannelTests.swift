import Testing
import TestSupport
@testable import ChatServerDaemon

/// ISUPPORT `DEFCHAN`: IRC clients are told the channel telnet users are put in, over TCP.
@Suite(.serialized) struct DefaultChannelTests {
    @Test func ircClientsAreToldTheChannelTelnetUsersLandIn() async throws {
        let server = try await ServerProcess()
        let c = try UserConnection(port: server.port)
        try c.line("NICK alice")
        try c.line("USER alice 0 * :Test User")
        let isupport = try await c.expect("DEFCHAN=")
        let token = try #require(isupport.split(separator: " ").first { $0.hasPrefix("DEFCHAN=") })
        #expect(token == "DEFCHAN=#lobby", "\(isupport)")
        #expect(isupport.contains(" 005 alice "), "in an ISUPPORT line: \(isupport)")
        try await c.expectAny([" 376 alice ", " 422 alice "])
        // The channel named is the one a telnet user is put in: joining it meets him there.
        let tom = try await humanUser(server, nick: "tom")
        try c.line("JOIN \(token.dropFirst("DEFCHAN=".count))")
        let names = try await c.expect(" 353 alice ")
        #expect(names.contains("#lobby :") && names.contains("tom"), "\(names)")
        try await tom.expect("alice")
        #expect(ChatSettings.defaultChannel == "#lobby")
    }
}
