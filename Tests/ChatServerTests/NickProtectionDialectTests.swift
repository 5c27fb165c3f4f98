import ChatPOSIX
import ChatProtocol
import Foundation
import Testing
import TestSupport
@testable import ChatServerDaemon

/// Protected nicks on the real server over TCP: a squatter in either dialect is told to
/// identify and renamed to a guest nick when `--nick-grace` is over; the owner takes the nick
/// back with NickServ REGAIN, `/regain` or GHOST; bad `nick-grace` values are refused.
@Suite(.serialized) struct NickProtectionDialectTests {
    /// A server with a one-second grace period, where `alice` is registered with "sesame1"
    /// and her connection, logged in, has moved to `alice_`.
    static func serverWithAlice() async throws -> (ServerProcess, UserConnection) {
        let server = try await ServerProcess(["--nick-grace", "1"])
        let alice = try await ircUser(server, nick: "alice")
        try alice.line("NS REGISTER sesame1")
        try await alice.expect(" 900 alice ")
        try alice.line("NICK alice_")
        try await alice.expect(":alice!alice@127.0.0.1 NICK :alice_")
        return (server, alice)
    }

    @Test func squattersInBothDialectsAreRenamedToGuestNicks() async throws {
        let (server, alice) = try await Self.serverWithAlice()
        let mallory = try await ircUser(server, nick: "alice")
        try await mallory.expect(":NickServ!NickServ@services. NOTICE alice :The nick alice is registered. Identify with /msg NickServ IDENTIFY <password> within 1 s, or you will be renamed.")
        let renamed = try await mallory.expect(":NickServ!NickServ@services. NOTICE alice :You did not identify for alice in time: you are now Guest")
        let guest = String(renamed.split(separator: " ").last!.dropLast(3))  // "Guest12345.\r\n"
        try await mallory.expect(":alice!alice@127.0.0.1 NICK :\(guest)")
        // A telnet user, by /nick.
        let tess = try await humanUser(server, nick: "tess")
        try tess.line("/nick alice")
        try await tess.expect("-NickServ- The nick alice is registered. Identify with /identify within 1 s, or you will be renamed.")
        try await tess.expect("-NickServ- You did not identify for alice in time: you are now Guest")
        try await tess.expect("-- You are now known as Guest")
        // The nick is free again, for its owner.
        try alice.line("NICK alice")
        try await alice.expect(":alice_!alice@127.0.0.1 NICK :alice")
        await server.stop()
    }

    @Test func theOwnerRegainsTheNickInBothDialectsAndGhostDisconnects() async throws {
        let server = try await ServerProcess(["--nick-grace", "600"])
        let alice = try await ircUser(server, nick: "alice")
        try alice.line("NS REGISTER sesame1")
        try await alice.expect(" 900 alice ")
        try alice.line("NICK alice_")
        try await alice.expect("NICK :alice_")
        let mallory = try await ircUser(server, nick: "alice")
        try await mallory.expect("Identify with /msg NickServ IDENTIFY <password> within 600 s")
        try alice.line("PRIVMSG NickServ :REGAIN alice")
        try await mallory.expect(":NickServ!NickServ@services. NOTICE alice :The owner of alice took it back: you are now Guest")
        try await mallory.expect(":alice!alice@127.0.0.1 NICK :Guest")
        try await alice.expect(":alice_!alice@127.0.0.1 NICK :alice")
        try await alice.expect("NOTICE alice :You have regained the nick alice.")
        // A telnet owner, not logged in, with the password.
        try alice.line("NICK alice_")
        try await alice.expect("NICK :alice_")
        try alice.line("NS LOGOUT")
        try await alice.expect(" 901 ")
        let tess = try await humanUser(server, nick: "tess")
        try mallory.line("NICK alice")
        try await mallory.expect("NICK :alice")
        try tess.line("/regain alice wrong-one")
        try await tess.expect("-NickServ- Invalid account or password.")
        try tess.line("/regain alice")
        try await tess.expect("-NickServ- Identify to alice first, or give its password: REGAIN alice <password>")
        try tess.line("/regain alice sesame1")
        try await tess.expect("-- You are now logged in as alice")
        try await tess.expect("-- You are now known as alice")
        try await mallory.expect("you are now Guest")
        // GHOST: the holder is disconnected.
        try tess.line("/nick tess")
        try await tess.expect("-- You are now known as tess")
        try mallory.line("NICK alice")
        try await mallory.expect("NICK :alice")
        try tess.line("/msg NickServ GHOST alice")
        try await mallory.expect("ERROR :Closing Link: 127.0.0.1 (GHOST command used by tess)")
        #expect(await mallory.expectClosed())
        try await tess.expect("-- You are now known as alice")
        await server.stop()
    }

    @Test func badGraceValuesAreRefused() async throws {
        for (arguments, message) in [(["--nick-grace", "-1"], "--nick-grace must be between 0 and 86400 seconds"),
                                     (["--nick-grace", "86401"], "--nick-grace must be between 0 and 86400 seconds"),
                                     (["--nick-grace", "soon"], "The value 'soon' is invalid for '--nick-grace <SECONDS>'")] {
            let r = try await runToExit(productPath("chat-server"), arguments + ["--control-socket", "none", "--no-console"])
            #expect(r.status == 64 && r.output.contains(message), "\(r.output)")
        }
        let dir = try AccountDialectTests.stateParent()
        try expectConfigRefused([("nick-grace = soon", "line 1: nick-grace takes a whole number, not 'soon'"),
                                 ("nick-grace = -5", "line 1: nick-grace must be between 0 and 86400 seconds")], in: dir)
        try "nick-grace = 0\n".write(toFile: dir + "/ok.conf", atomically: true, encoding: .utf8)
        var l = Limits(maxClients: 10, maxPerIP: 2, history: 5, floodRate: 5, floodBurst: 20, motdFile: nil)
        try l.apply(configFile: dir + "/ok.conf")
        #expect(l.nickGrace == 0)
        try? FileManager.default.removeItem(atPath: dir)
    }
}
