import Testing
import TestSupport

/// The delivery tick over TCP with the real server: a reader sent lines faster than two a
/// tick gets them in batches, every line once and in order; the console counts the waits.
@Suite(.serialized) struct DeliveryTickDialectTests {
    @Test func aBusyReaderGetsEveryLineInOrderAndTheHubCountsTheWaits() async throws {
        // 20 ms: two lines a tick is 100 lines a second.
        let server = try await ServerProcess(["--delivery-tick", "20000", "--flood-rate", "0"])
        let console = try await ControlClient(server)
        let sender = try await ircUser(server, nick: "sender", join: "#busy")
        let reader = try await ircUser(server, nick: "reader", join: "#busy")
        try await sender.expect(":reader!")
        // News of the reader's join may already have waited (it came right after the
        // sender's own): what counts is what the lines add.
        let before = try await waits(console)
        #expect(before >= 0)
        // Ten lines at a time, the next ten once the reader has them: a few hundred lines a
        // second, until the hub says a wake-up waited (the rate is measured over 100 ms).
        var saw = ""
        var rounds = 0
        var waited = false
        while !waited && rounds < 5000 {
            try sender.send((0..<10).map { "PRIVMSG #busy :line \(rounds * 10 + $0)\r\n" }.joined())
            saw += try await reader.expect("PRIVMSG #busy :line \(rounds * 10 + 9)\r\n")
            rounds += 1
            if rounds % 20 == 0 { waited = try await waits(console) > before }
        }
        #expect(waited)
        let numbers = saw.split(whereSeparator: \.isNewline).compactMap { line -> Int? in
            guard let r = line.range(of: "PRIVMSG #busy :line ") else { return nil }
            return Int(line[r.upperBound...])
        }
        #expect(numbers == Array(0..<(rounds * 10)))
        // The reader, busy a moment ago, is answered by the hub (a reply goes at once: `DeliveryTickTests`).
        try reader.line("MODE #busy")
        try await reader.expect(" 324 reader #busy ")
    }

    /// The console's count of waits for the delivery tick.
    private func waits(_ console: ControlClient) async throws -> Int {
        let stats = try await console.ok("stats")
        let line = stats.split(separator: "\n").first { $0.contains("waited for the delivery tick") } ?? ""
        return Int(line.split(separator: " ").first { Int($0) != nil } ?? "") ?? -1
    }

    /// A PING is a client's barrier (irctest synchronises on it): news the hub held back for
    /// the tick arrives before the PONG, not a tick after it.
    @Test func aPingComesAfterWhatTheTickHeldBack() async throws {
        // 100 ms: news of baz's join, right after bar's own, surely waits.
        let server = try await ServerProcess(["--delivery-tick", "100000"])
        let bar = try await ircUser(server, nick: "bar", join: "#chan")
        // Everything bar asked is answered (a PING after the JOIN), so the next PING has no
        // answers of its own to wait for.
        try bar.line("PING first")
        try await bar.expect("PONG test.server first")
        let baz = try await ircUser(server, nick: "baz", join: "#chan")
        try bar.line("PING barrier")
        let before = try await bar.expect("PONG test.server barrier")
        #expect(before.contains(":baz!") && before.contains(" JOIN #chan"), "\(before)")
        // And a line said after it, to a reader sent little, goes at once.
        try baz.line("PRIVMSG #chan :after the barrier")
        try await bar.expect("PRIVMSG #chan :after the barrier", timeout: 5)
    }
}
