import ChatPOSIX
import ChatProtocol
import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A compromised session: well-formed frames written straight into a session's channel to the
/// hub, past its dialect and its flood control. The hub must survive, end only that session,
/// and keep delivering to everyone else.
@Suite(.serialized) struct HostileSessionTests {
    @Test func aNamesRequestNearTheFrameLimitEndsOnlyThatSession() async throws {
        let server = try await ServerProcess()
        let alice = try await humanUser(server, nick: "alice")
        let (mallory, pid) = try await newSession(server) { try await humanUser(server, nick: "mallory") }
        defer { withExtendedLifetime(mallory) {} }
        try await alice.expect("mallory joined")
        let name = "#" + String(repeating: "x", count: HubFrame.maxPayload - 5)
        try writeFrames(HubRequest.names(channel: name).frame(), into: pid)
        try await alice.expect("mallory quit")
        try await server.waitForLog("names channel of 65532 bytes is over the limit of 512")
        let carol = try await humanUser(server, nick: "carol")
        try await alice.expect("carol joined")
        try carol.line("hello")
        try await alice.expect("<carol> hello")
    }

    /// Every request type with every field and list at its limit, then a stream of random
    /// requests (hostile text, any length up to the limits): all answered, the session kept,
    /// and the others still talk.
    @Test func everyRequestAtItsLimitsIsAnsweredAndTheSessionStays() async throws {
        let server = try await ServerProcess()
        let alice = try await humanUser(server, nick: "alice")
        let bob = try await ircUser(server, nick: "bob", join: "#lobby")
        let (mallory, pid) = try await newSession(server) { try await humanUser(server, nick: "mallory") }
        try await alice.expect("mallory joined")
        var frames: [UInt8] = []
        for r in Self.requests(name: RequestLimits.name, text: RequestLimits.text, items: RequestLimits.items) {
            r.appendFrame(to: &frames)
        }
        var rng = SplitMix64(seed: 13)
        for _ in 0..<2000 { Self.randomRequest(&rng).appendFrame(to: &frames) }
        // Random PARTs may have taken mallory out of #lobby.
        HubRequest.join(channels: ["#lobby"]).appendFrame(to: &frames)
        HubRequest.message(kind: .privmsg, target: "#lobby", text: "still mallory").appendFrame(to: &frames)
        try writeFrames(frames, into: pid)
        try await bob.expect("PRIVMSG #lobby :still mallory", timeout: 20)
        #expect(!server.log.contains("corrupt frame"), "\(server.log)")
        try bob.line("PRIVMSG #lobby :bob still here")
        try await alice.expect("<bob> bob still here")
        try await mallory.expect("<bob> bob still here")
        #expect(kill(server.pid, 0) == 0)
    }

    /// Each field and list one past its limit, from a session of its own: that session
    /// ends as corrupt with a log line naming the field, the others stay.
    @Test func everyFieldPastItsLimitEndsOnlyThatSession() async throws {
        let server = try await ServerProcess()
        let alice = try await humanUser(server, nick: "alice")
        let bob = try await ircUser(server, nick: "bob", join: "#lobby")
        let past = Self.requests(name: RequestLimits.name + 1, text: RequestLimits.text + 1, items: RequestLimits.items + 1)
            .filter { r in (try? Self.decodes(r)) == nil }
        #expect(past.count >= 20)
        for (i, r) in past.enumerated() {
            let nick = "m\(i)"
            let (m, pid) = try await newSession(server) { try await humanUser(server, nick: nick) }
            try await alice.expect("\(nick) joined")
            try writeFrames(r.frame(), into: pid)
            try await alice.expect("\(nick) quit (Session error (corrupt frame))")
            #expect(await m.expectClosed())
            try await server.waitForLog("is over the limit of")
        }
        let limits = server.log.components(separatedBy: "is over the limit of").count - 1
        #expect(limits == past.count, "\(server.log)")
        try bob.line("PRIVMSG #lobby :after them all")
        try await alice.expect("<bob> after them all")
    }

    /// Floods past the session's flood control: requests whose answers are big (NAMES, WHO
    /// with wildcards, LIST, WHOIS, ISON) and errors, thousands in one write. The hub answers
    /// or drops that session; everyone else keeps talking.
    @Test func aFloodPastFloodControlLeavesTheOthersTalking() async throws {
        let server = try await ServerProcess()
        let alice = try await humanUser(server, nick: "alice")
        let bob = try await ircUser(server, nick: "bob", join: "#lobby")
        for i in 0..<20 { try bob.line("JOIN #c\(i)") }
        let (mallory, pid) = try await newSession(server) { try await humanUser(server, nick: "mallory") }
        defer { withExtendedLifetime(mallory) {} }
        try await alice.expect("mallory joined")
        var frames: [UInt8] = []
        let stars = String(repeating: "*", count: RequestLimits.name)
        for i in 0..<4000 {
            let r: HubRequest
            switch i % 8 {
            case 0: r = .names(channel: "#lobby")
            case 1: r = .who(mask: stars)
            case 2: r = .list(channels: [stars])
            case 3: r = .whois(nick: "bob")
            case 4: r = .ison(nicks: Array(repeating: "bob", count: RequestLimits.items))
            case 5: r = .message(kind: .privmsg, target: "nobody\(i)", text: "x")
            case 6: r = .join(channels: (0..<RequestLimits.items).map { "#f\($0 % 60)" })
            default: r = .part(channels: (0..<60).map { "#f\($0)" }, reason: "again")
            }
            r.appendFrame(to: &frames)
        }
        do {
            try writeFrames(frames, into: pid)
        } catch let e as SystemError where e.errno == EPIPE || e.errno == ECONNRESET {
            // The hub ended mallory's session before it had read the whole flood (it may drop
            // it): the rest of the write has nowhere to go.
        }
        try bob.line("PRIVMSG #lobby :through the flood")
        try await alice.expect("<bob> through the flood", timeout: 30)
        try alice.line("back to you")
        try await bob.expect("PRIVMSG #lobby :back to you", timeout: 30)
        #expect(kill(server.pid, 0) == 0)
        #expect(!server.log.contains("corrupt frame"))
    }

    // MARK: Requests

    /// Every request type with names of `name` bytes, texts of `text` bytes and lists of
    /// `items` items.
    static func requests(name: Int, text: Int, items: Int) -> [HubRequest] {
        let n = String(repeating: "n", count: name), t = String(repeating: "t", count: text)
        let c = "#" + String(repeating: "c", count: name - 1)
        let list = Array(repeating: "l", count: items)
        return [
            .hello(dialect: .human), .register(nick: n, user: n, realName: t), .nick(n), .join(channels: [c]),
            .join(channels: list), .part(channels: [c], reason: t), .part(channels: list, reason: ""),
            .message(kind: .privmsg, target: n, text: t), .message(kind: .action, target: c, text: t),
            .topic(channel: c, text: t), .topic(channel: "#lobby", text: t), .names(channel: c), .who(mask: n),
            .who(mask: String(repeating: "*", count: name)), .whois(nick: n), .kick(channel: c, nick: n, reason: t),
            .kick(channel: "#lobby", nick: n, reason: t), .away(text: t), .away(text: nil), .mode(target: c, args: [n]),
            .mode(target: "#lobby", args: list), .list(channels: list), .motd, .lusers, .invitations, .ison(nicks: [n]), .ison(nicks: list),
            .userhost(nicks: [n]), .userhost(nicks: list), .monitor(.add, targets: list), .monitor(.status, targets: []),
            .sync(token: 0), .sync(token: .max), .whowas(nick: n, count: .max),
            .who(mask: String(repeating: "*", count: name), options: WhoOptions(operatorsOnly: true, whox: WhoxFormat(fields: .all, token: "999"))),
            .join(channels: [c], keys: [n]), .join(channels: list, keys: list), .invite(nick: n, channel: c),
            .invite(nick: n, channel: "#lobby"), .mode(target: "#lobby", args: ["+beI"] + list.dropLast()),
            .oper(name: n, password: n), .kill(nick: n, reason: t), .wallops(text: t),
            // NickServ: a password as long as the text limit allows (refused, or wrong at once).
            .authenticate(account: n, password: n), .authenticateExternal(account: n),
            .message(kind: .privmsg, target: "NickServ", text: "REGISTER " + String(repeating: "p", count: text - 9)),
            .message(kind: .privmsg, target: "nickserv", text: "IDENTIFY \(n) " + String(repeating: "p", count: text - 10 - name)),
            .capabilities(names: [n]), .capabilities(names: list), .setName(realName: t), .tlsInfo(version: n, cipher: n, certificate: n),
            .tlsSign(kind: 1, padding: 0, input: [UInt8](repeating: 7, count: RequestLimits.signatureInput)),
            .chatHistory(HistoryQuery(subcommand: .between, target: n, first: .time(.min), second: .messageID(.max), limit: .max)),
            .chatHistory(HistoryQuery(subcommand: .latest, target: "#lobby", first: .none, limit: 0)),
            .chatHistory(HistoryQuery(subcommand: .targets, target: n, first: .time(.max), second: .time(.min), limit: .max)),
            .chatHistory(HistoryQuery(subcommand: .targets, target: "*", first: .messageID(1), second: .none, limit: -1)),
            .taggedMessage(kind: .privmsg, target: "#lobby", text: t, tags: "+" + String(repeating: "a", count: RequestLimits.tags - 1)),
            .taggedMessage(kind: .notice, target: n, text: t, tags: ""), .tagMessage(target: "#lobby", tags: "+a"),
            .tagMessage(target: n, tags: ""), .quit(reason: t),
        ].filter { if case .quit = $0 { return name != RequestLimits.name } else { return true } }
    }

    static func decodes(_ r: HubRequest) throws -> HubRequest {
        let frame = r.frame()
        return try Array(frame[HubFrame.headerSize...]).withUnsafeBytes { try HubRequest(type: frame[3], payload: $0) }
    }

    /// A request of any type but quit, its strings of hostile characters and any length up
    /// to the limits (mostly short).
    static func randomRequest(_ rng: inout SplitMix64) -> HubRequest {
        let alphabet: [String] = ["a", "#", "*", "?", " ", ",", ":", "!", "@", "\u{1B}[2J", "\u{9B}", "\u{202E}", "\u{200B}",
                                  "\u{2028}", "\r\n", "\u{0}", "é", "😀", "\u{301}", "\u{7}", "lobby"]
        func string(_ limit: Int) -> String {
            let n = Bool.random(using: &rng) ? Int.random(in: 0...8, using: &rng) : Int.random(in: 0...limit / 4, using: &rng)
            var s = ""
            for _ in 0..<n {
                let piece = alphabet.randomElement(using: &rng)!
                if s.utf8.count + piece.utf8.count > limit { break }
                s += piece
            }
            return s
        }
        func name() -> String { Bool.random(using: &rng) ? "#lobby" : string(RequestLimits.name) }
        func text() -> String { string(RequestLimits.text) }
        func list() -> [String] { (0..<Int.random(in: 0...8, using: &rng)).map { _ in name() } }
        switch Int.random(in: 0..<36, using: &rng) {  // 23: hello
        case 35: return .authenticateExternal(account: name())
        case 32: return .tlsInfo(version: name(), cipher: name(), certificate: name())
        case 33: return .tlsSign(kind: 2, padding: 3, input: Array(name().utf8))
        case 34: return .authenticate(account: name(), password: name())
        case 31:
            return .chatHistory(HistoryQuery(subcommand: HistoryQuery.Subcommand.allCases.randomElement(using: &rng)!, target: name(),
                                             first: Bool.random(using: &rng) ? .none : .messageID(UInt64.random(in: 0...9, using: &rng)),
                                             second: .time(Int64.random(in: Int64.min...Int64.max, using: &rng)),
                                             limit: Int.random(in: 0...Int.max, using: &rng)))
        case 19: return .whowas(nick: name(), count: Int.random(in: 0...20, using: &rng))
        case 20:
            let fields = WhoxFormat.Fields(rawValue: UInt16.random(in: 0...WhoxFormat.Fields.all.rawValue, using: &rng))
            return .who(mask: name(), options: WhoOptions(operatorsOnly: Bool.random(using: &rng), whox: WhoxFormat(fields: fields, token: "1")))
        case 21: return .join(channels: list(), keys: list())
        case 22: return .invite(nick: name(), channel: name())
        case 24: return .oper(name: name(), password: name())
        case 25: return .kill(nick: name(), reason: text())
        case 26: return .wallops(text: text())
        case 27: return .capabilities(names: list() + ["echo-message", "message-tags", "away-notify"].filter { _ in Bool.random(using: &rng) })
        case 28: return .taggedMessage(kind: .privmsg, target: name(), text: text(), tags: "+" + string(RequestLimits.tags - 1))
        case 29: return .tagMessage(target: name(), tags: string(RequestLimits.tags))
        case 30: return .setName(realName: text())
        case 0: return .register(nick: name(), user: name(), realName: text())
        case 1: return .nick(name())
        case 2: return .join(channels: list())
        case 3: return .part(channels: list(), reason: text())
        case 4: return .message(kind: [.privmsg, .notice, .action].randomElement(using: &rng)!, target: name(), text: text())
        case 5: return .topic(channel: name(), text: Bool.random(using: &rng) ? text() : nil)
        case 6: return .names(channel: Bool.random(using: &rng) ? name() : nil)
        case 7: return .who(mask: name())
        case 8: return .whois(nick: name())
        case 9: return .kick(channel: name(), nick: name(), reason: text())
        case 10: return .away(text: Bool.random(using: &rng) ? text() : nil)
        case 11: return .mode(target: name(), args: list())
        case 12: return .list(channels: list())
        case 13: return .motd
        case 14: return .lusers
        case 15: return .ison(nicks: list())
        case 16: return .userhost(nicks: list())
        case 17: return .sync(token: UInt64.random(in: 0...UInt64.max, using: &rng))
        case 18: return .monitor(MonitorAction(rawValue: UInt8.random(in: 0...4, using: &rng))!, targets: list())
        default: return .hello(dialect: .human)
        }
    }
}

/// Writes `bytes` into session `pid`'s channel to the hub (its fd 4), as the session would.
func writeFrames(_ bytes: [UInt8], into pid: pid_t) throws {
    let fd = try Proc.copyDescriptor(of: pid, 4)
    defer { close(fd) }
    try FD.writeAll(fd, bytes)
}

