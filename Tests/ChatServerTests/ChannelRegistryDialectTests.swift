import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Registered channels on the real server over TCP: ChanServ for IRC clients (`CS`,
/// `PRIVMSG ChanServ`) and telnet users (`/msg ChanServ`), a channel's topic, modes and bans
/// coming back after the hub is killed and restarted on the same --state-dir, an account on
/// the access list regaining +o on join and on login, the wrong user refused, hostile
/// commands answered, and the console's listing, freeze and drop.
@Suite(.serialized) struct ChannelRegistryDialectTests {
    static let chanServ = ":ChanServ!ChanServ@services. "

    /// An IRC user `nick` with an account of the same name, registered (or, when `identify`,
    /// logged in to).
    static func accountUser(_ server: ServerProcess, _ nick: String, identify: Bool = false) async throws -> UserConnection {
        let c = try await ircUser(server, nick: nick)
        try c.line(identify ? "NS IDENTIFY \(nick)-pass" : "NS REGISTER \(nick)-pass")
        try await c.expect(" 900 \(nick) ")
        return c
    }

    @Test func aRegisteredChannelSurvivesAKilledHubAndItsOperatorsRegainStatus() async throws {
        let parent = try AccountDialectTests.stateParent()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let state = parent + "/state"
        do {
            let server = try await AccountDialectTests.server(state: state)
            let alice = try await Self.accountUser(server, "alice")
            try alice.line("JOIN #keep")
            try await alice.expect(" 366 alice #keep ")
            try alice.line("CS REGISTER #keep")
            try await alice.expect(Self.chanServ + "NOTICE alice :Channel #keep successfully registered to alice.")
            let bob = try await Self.accountUser(server, "bob")
            try bob.line("JOIN #keep")
            try await bob.expect(" 366 bob #keep ")
            // The wrong user can neither drop it nor register it again.
            try bob.line("PRIVMSG ChanServ :DROP #keep")
            try await bob.expect(Self.chanServ + "NOTICE bob :Only the founder of #keep can drop it.")
            try bob.line("CHANSERV REGISTER #keep")
            try await bob.expect(Self.chanServ + "NOTICE bob :#keep is already registered.")
            try alice.line("CS ACCESS #keep ADD bob OP")
            try await alice.expect("NOTICE alice :bob is on the access list of #keep as OP.")
            try await bob.expect(Self.chanServ + "MODE #keep +o bob")
            // Hostile and mistaken commands get a clear notice.
            try bob.line("CS REGISTER #" + String(repeating: "x", count: 300))
            try await bob.expect("is not a valid channel name (# and at most 50 characters, no spaces or commas).")
            try bob.line("CS REGISTER nochannel")
            try await bob.expect("NOTICE bob :nochannel is not a valid channel name")
            try bob.line("CS FROBNICATE #keep")
            try await bob.expect("NOTICE bob :Unknown command frobnicate. Type /msg ChanServ HELP for the commands.")
            try bob.line("CS ACCESS #keep WHATEVER")
            try await bob.expect("NOTICE bob :Only the founder of #keep can see or change its access list.")
            // A telnet user reaches ChanServ with /msg, and is told to log in first.
            let tess = try await humanUser(server, nick: "tess")
            try tess.line("/msg ChanServ REGISTER #lobby")
            try await tess.expect("-ChanServ- You are not logged in: log in with /identify first.")
            try tess.line("/msg ChanServ INFO #keep")
            try await tess.expect("-ChanServ- #keep is registered to alice since ")
            // Topic, modes and bans: each seen by a member, so each is on disk.
            try alice.line("TOPIC #keep :Kept across restarts")
            try await bob.expect("TOPIC #keep :Kept across restarts")
            try alice.line("MODE #keep +tkl-n+b sekrit 5 *!*@bad.example")
            try await bob.expect("MODE #keep +tkl-n+b sekrit 5 *!*@bad.example")
            kill(server.pid, SIGKILL)
            _ = await server.waitForExit()
        }
        let server = try await AccountDialectTests.server(state: state)
        try await server.waitForLog("state in \(state)/state.db: 2 accounts, 1 registered channels")
        // Empty, but there: in LIST with its topic, its modes and bans, and nobody is +o by
        // joining it first.
        let dave = try await ircUser(server, nick: "dave")
        try dave.line("LIST")
        try await dave.expect(" 322 dave #keep 0 :Kept across restarts")
        try dave.line("MODE #keep")
        try await dave.expect(" 324 dave #keep +klt * 5")
        try dave.line("MODE #keep +b")
        try await dave.expect(" 367 dave #keep *!*@bad.example ")
        try dave.line("JOIN #keep")
        try await dave.expect(" 475 dave #keep ")
        try dave.line("JOIN #keep sekrit")
        try await dave.expect(" 332 dave #keep :Kept across restarts")
        try await dave.expect(" 353 dave = #keep :dave\r\n")
        // bob, on the access list, regains +o as he joins; alice, the founder, when she logs in.
        let bob = try await Self.accountUser(server, "bob", identify: true)
        try bob.line("JOIN #keep sekrit")
        try await dave.expect(Self.chanServ + "MODE #keep +o bob")
        let alice = try await ircUser(server, nick: "alice")
        try alice.line("JOIN #keep sekrit")
        try await dave.expect(":alice!alice@127.0.0.1 JOIN #keep")
        try alice.line("NS IDENTIFY alice-pass")
        try await alice.expect(Self.chanServ + "MODE #keep +o alice")

        // The console lists it, freezes it (a non-operator cannot join) and drops it.
        let console = try await ControlClient(server)
        let list = try await console.ok("channels")
        #expect(list.contains("#keep") && list.contains("alice") && list.contains("FOUNDER"), "\(list)")
        #expect(try await console.ok("freeze-channel #keep") == "froze #keep: only server operators may join it; its 3 members stay")
        try await dave.expect(Self.chanServ + "NOTICE dave :#keep is frozen by the server operator")
        let erin = try await ircUser(server, nick: "erin")
        try erin.line("JOIN #keep sekrit")
        try await erin.expect(" 474 erin #keep :Cannot join channel (frozen by the server operator)")
        let bad = try await console.run("drop-channel #nowhere")
        #expect(bad.error == "no registered channel named '#nowhere'")
        #expect(try await console.ok("drop-channel #keep") == "dropped the registration of #keep (founder alice)")
        try alice.line("CS INFO #keep")
        try await alice.expect("NOTICE alice :#keep is not registered.")
        await server.stop()
    }
}
