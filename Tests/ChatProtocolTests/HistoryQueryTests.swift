import Testing
import TestSupport
@testable import ChatProtocol

/// CHATHISTORY's parameters (HistoryQuery+IRC.swift), its references and timestamps, and how
/// a refusal is rendered.
@Suite(.serialized, .compute) struct HistoryQueryTests {
    @Test func timestampsParseToMillisecondsAndBackAgain() {
        for ms: Int64 in [0, 1_764_300_000_123, 951_782_400_999] {
            let s = IRCRenderer.timestamp(epochMilliseconds: ms)
            #expect(CivilTime.epochMilliseconds(iso8601: s[...]) == ms, "\(s)")
        }
        #expect(CivilTime.epochMilliseconds(iso8601: "2025-11-28T03:20:00Z") == 1_764_300_000_000)
        #expect(CivilTime.epochMilliseconds(iso8601: "2025-11-28T03:20:00.5Z") == 1_764_300_000_500)
        #expect(CivilTime.epochMilliseconds(iso8601: "2025-11-28T03:20:00.123456Z") == 1_764_300_000_123)
        for bad in ["", "2025-11-28", "2025-11-28T03:20:00", "2025-13-28T03:20:00Z", "2025-11-28T03:20:00.Z",
                    "2025-11-28 03:20:00Z", "2025-11-28T03:2x:00Z", "2025-11-28T03:20:00.1234567890Z"] {
            #expect(CivilTime.epochMilliseconds(iso8601: bad[...]) == nil, "\(bad)")
        }
    }

    @Test func referencesAreStarMsgidOrTimestamp() {
        #expect(HistoryQuery.Reference(parsing: "*") == HistoryQuery.Reference.none)
        #expect(HistoryQuery.Reference(parsing: "msgid=00000000000000ff") == .messageID(255))
        #expect(HistoryQuery.Reference(parsing: "msgid=nope") == .messageID(0), "parses, finds nothing")
        #expect(HistoryQuery.Reference(parsing: "timestamp=2025-11-28T03:20:00.000Z") == .time(1_764_300_000_000))
        for bad in ["", "msgid=", "timestamp=yesterday", "id=1", "**", "msgid=" + String(repeating: "a", count: 65)] {
            #expect(HistoryQuery.Reference(parsing: bad) == nil, "\(bad)")
        }
    }

    func parse(_ line: String) -> Result<HistoryQuery, HistoryQuery.Refusal> {
        HistoryQuery.parse(line.split(separator: " ").map(String.init))
    }

    @Test func subcommandsParseAndBadOnesAreRefused() throws {
        #expect(try parse("latest #c * 10").get() == HistoryQuery(subcommand: .latest, target: "#c", first: .none, limit: 10))
        #expect(try parse("BETWEEN #c msgid=0000000000000001 timestamp=2025-11-28T03:20:00.000Z 5").get()
                == HistoryQuery(subcommand: .between, target: "#c", first: .messageID(1), second: .time(1_764_300_000_000), limit: 5))
        #expect(try parse("AROUND #c msgid=0000000000000001 1000").get().limit == HistoryQuery.maxLimit)
        func code(_ line: String) -> String? {
            if case .failure(let r) = parse(line) { return r.code } else { return nil }
        }
        #expect(code("") == "INVALID_PARAMS")
        #expect(code("FETCH #c * 10") == "UNKNOWN_COMMAND")
        #expect(code("TARGETS * * 10") == "INVALID_PARAMS", "* is not a timestamp")
        #expect(code("LATEST #c *") == "INVALID_PARAMS")
        #expect(code("LATEST #c * ten") == "INVALID_PARAMS")
        #expect(code("LATEST #c * 0") == "INVALID_PARAMS")
        #expect(code("LATEST #c * -3") == "INVALID_PARAMS")
        #expect(code("BEFORE #c * 10") == "INVALID_PARAMS", "only LATEST takes *")
        #expect(code("AFTER #c when=now 10") == "INVALID_PARAMS")
        #expect(code("BETWEEN #c * msgid=0000000000000001 10") == "INVALID_PARAMS")
        #expect(code("BETWEEN #c msgid=0000000000000001 10") == "INVALID_PARAMS")
        // A refusal echoes one word of what was sent, never a space.
        guard case .failure(let r) = HistoryQuery.parse(["bad word\u{1}" + String(repeating: "x", count: 99)]) else { return }
        #expect(r.context == ["bad"])
    }

    @Test func targetsTakesTwoTimestampsAndALimit() throws {
        let a = "timestamp=2025-11-28T03:20:00.000Z", b = "timestamp=2025-11-28T03:20:01.000Z"
        #expect(try parse("targets \(a) \(b) 10").get()
                == HistoryQuery(subcommand: .targets, target: "*", first: .time(1_764_300_000_000), second: .time(1_764_300_001_000), limit: 10))
        #expect(try parse("TARGETS \(b) \(a) 1000").get().limit == HistoryQuery.maxLimit)
        for bad in ["TARGETS", "TARGETS \(a) \(b)", "TARGETS \(a) \(b) 0", "TARGETS \(a) \(b) -1", "TARGETS \(a) \(b) many",
                    "TARGETS msgid=0000000000000001 \(b) 5", "TARGETS \(a) * 5", "TARGETS timestamp=yesterday \(b) 5"] {
            guard case .failure(let r) = parse(bad) else { Issue.record("\(bad) parsed"); continue }
            #expect(r.code == "INVALID_PARAMS" && r.context == ["TARGETS"], "\(bad)")
        }
        let lines = IRCRenderer.render(.historyTargets([HistoryTarget(name: "#c", time: 1_764_300_000_000), HistoryTarget(name: "bob\r\n", time: 0)]),
                                       context: IRCRenderContext(serverName: "irc.test", nick: "al"))
        #expect(lines.map { $0.serialized() } == [":irc.test CHATHISTORY TARGETS #c :2025-11-28T03:20:00.000Z",
                                                  ":irc.test CHATHISTORY TARGETS bob :1970-01-01T00:00:00.000Z"])
    }

    @Test func theCommandIsKnownAndRefusalsRender() throws {
        #expect(IRCCapability.offered.split(separator: " ").contains("draft/chathistory"))
        #expect(IRCCapability.chatHistory.value == nil && !IRCCapability.chatHistory.concernsHub)
        let m = try IRCMessage(parsing: Array("CHATHISTORY LATEST #c * 5".utf8), limits: IRCLimits(maxTagBytes: 4096, maxBodyBytes: 510))
        #expect(try IRCInput.parse(m, registered: true)
                == .chatHistory(.success(HistoryQuery(subcommand: .latest, target: "#c", first: .none, limit: 5))))
        let lines = IRCRenderer.render(.historyRefused(subcommand: "LATEST", target: "#c"),
                                       context: IRCRenderContext(serverName: "irc.test", nick: "al"))
        #expect(lines.map { $0.serialized() } == [":irc.test FAIL CHATHISTORY INVALID_TARGET LATEST #c :Messages could not be retrieved"])
        #expect(IRCRenderer.render(.historyBatch(target: "#c", isEnd: false), context: IRCRenderContext(serverName: "s", nick: "al")).isEmpty)
    }

    @Test func telnetHistoryAsksForTheLatestLines() {
        #expect(HumanInput.parse("/history") == .history(channel: nil, count: HumanInput.historyLines))
        #expect(HumanInput.parse("/history 5") == .history(channel: nil, count: 5))
        #expect(HumanInput.parse("/history rust 500") == .history(channel: "#rust", count: HistoryQuery.maxLimit))
        #expect(HumanInput.parse("/history #rust") == .history(channel: "#rust", count: HumanInput.historyLines))
        for bad in ["/history 0", "/history -2", "/history #a #b", "/history #a 5 6"] {
            guard case .usage = HumanInput.parse(bad) else { Issue.record("\(bad)"); continue }
        }
        #expect(HumanInput.history(channel: nil, count: 5).request(currentChannel: "#lobby")
                == .chatHistory(HistoryQuery(subcommand: .latest, target: "#lobby", first: .none, limit: 5)))
        #expect(HumanInput.history(channel: nil, count: 5).request(currentChannel: nil) == nil)
        let context = HumanRenderContext(nick: "al", serverName: "chat.local")
        #expect(renderHuman(.historyBatch(target: "#c", isEnd: false), context: context) == ["-- History of #c:"])
        #expect(renderHuman(.historyBatch(target: "#c", isEnd: true), context: context) == ["-- End of the history of #c"])
        #expect(renderHuman(.historyRefused(subcommand: "LATEST", target: "#c"), context: context)
                == ["-- No history of #c: you are not in that channel"])
        #expect(HumanText.help(command: nil).joined().contains("/history"))
    }
}
