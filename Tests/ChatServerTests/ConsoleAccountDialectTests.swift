import Foundation
import Testing
import TestSupport

/// The console's account commands on the real server, through its control socket: a frozen
/// account is logged out, cannot be logged in to, and stays frozen across a restart; a
/// dropped one is gone.
@Suite(.serialized) struct ConsoleAccountDialectTests {
    @Test func freezeAndDropOverTheControlSocketSurviveARestart() async throws {
        let parent = try AccountDialectTests.stateParent()
        let state = parent + "/state"
        do {
            let server = try await AccountDialectTests.server(state: state)
            let alice = try await ircUser(server, nick: "alice")
            try alice.line("NS REGISTER sesame1")
            try await alice.expect(" 900 alice ")
            let tess = try await humanUser(server, nick: "tess")
            try tess.line("/register sesame2")
            try await tess.expect("-- You are now logged in as tess")
            let console = try await ControlClient(server)
            let list = try await console.ok("accounts")
            #expect(list.contains("alice") && list.contains("tess") && list.hasSuffix("2 accounts"), "\(list)")
            #expect(try await console.ok("freeze alice") == "froze alice; logged out 1 session")
            try await alice.expect(" 901 alice ")
            try await alice.expect("NOTICE alice :The account alice is frozen by the server operator.")
            try alice.line("NS IDENTIFY sesame1")
            try await alice.expect("NOTICE alice :Invalid account or password.")
            #expect(try await console.ok("drop-account tess") == "dropped tess; logged out 1 session")
            try await tess.expect("-- You are now logged out")
            let bad = try await console.run("freeze nobody")
            #expect(bad.error == "no account named 'nobody'" && bad.hint == "'accounts' lists them")
            await server.stop()
        }
        let server = try await AccountDialectTests.server(state: state)
        try await server.waitForLog("state in \(state)/state.db: 1 accounts")
        let console = try await ControlClient(server)
        #expect(try await console.ok("accounts").contains("frozen"))
        #expect(try await console.ok("unfreeze alice") == "unfroze alice")
        let alice = try await ircUser(server, nick: "alice")
        try alice.line("NS IDENTIFY sesame1")
        try await alice.expect(" 900 alice ")
        await server.stop()
        try? FileManager.default.removeItem(atPath: parent)
    }
}
