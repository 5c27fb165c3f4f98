import Testing
import TestSupport
@testable import ChatProtocol

/// Every request's fields and lists at and past `RequestLimits`: the decoder takes a request
/// at its limits and refuses one past them, naming the field; `bounded()` (what a session
/// sends) always fits; the row sizes the hub chunks replies by are exact.
@Suite(.serialized, .compute) struct RequestLimitsTests {
    /// Every request type with names of `name` bytes, texts of `text` bytes and lists of
    /// `items` items (when given, else one).
    static func requests(name: Int, text: Int, items: Int = 1) -> [HubRequest] {
        let n = String(repeating: "n", count: name), t = String(repeating: "t", count: text)
        let list = Array(repeating: "l", count: items)
        return [
            .hello(dialect: .irc), .register(nick: n, user: n, realName: t), .nick(n), .join(channels: [n]),
            .join(channels: list), .part(channels: [n], reason: t), .part(channels: list, reason: ""),
            .message(kind: .privmsg, target: n, text: t), .topic(channel: n, text: t), .topic(channel: n, text: nil),
            .names(channel: n), .names(channel: nil), .who(mask: n), .whois(nick: n), .kick(channel: n, nick: n, reason: t),
            .away(text: t), .away(text: nil), .mode(target: n, args: [n]), .mode(target: "#c", args: list), .list(channels: [n]), .list(channels: list), .motd,
            .quit(reason: t), .lusers, .ison(nicks: [n]), .ison(nicks: list), .userhost(nicks: [n]), .userhost(nicks: list),
            .whowas(nick: n, count: 1), .who(mask: n, options: WhoOptions(operatorsOnly: true, whox: WhoxFormat(fields: .all, token: "123"))),
            .join(channels: [n], keys: [n]), .join(channels: list, keys: list), .invite(nick: n, channel: n),
            .monitor(.add, targets: [n]), .monitor(.remove, targets: list),
            // Tags have a limit of their own (`tagsAtAndPastTheirLimit`).
            .capabilities(names: [n]), .capabilities(names: list), .taggedMessage(kind: .notice, target: n, text: t, tags: ""),
            .tagMessage(target: n, tags: ""), .setName(realName: t), .tlsInfo(version: n, cipher: n, certificate: n),
            .authenticateExternal(account: n),
            .chatHistory(HistoryQuery(subcommand: .around, target: n, first: .messageID(.max), second: .time(.min), limit: .max)),
        ]
    }

    private func decode(_ r: HubRequest) throws(PayloadError) -> HubRequest {
        let frame = r.frame()
        let payload = Array(frame[HubFrame.headerSize...])
        let d: Result<HubRequest, PayloadError> = payload.withUnsafeBytes { raw in
            Result { () throws(PayloadError) in try HubRequest(type: frame[3], payload: raw) }
        }
        return try d.get()
    }

    @Test func everyFieldAtItsLimitIsTaken() throws {
        for r in Self.requests(name: RequestLimits.name, text: RequestLimits.text, items: RequestLimits.items) {
            #expect(try decode(r) == r, "\(r.messageType)")
            #expect(r.bounded() == r, "\(r.messageType) was cut at its limits")
        }
    }

    /// A TLS signature's input has a limit of its own (an RSA modulus of 8192 bits).
    @Test func aSignatureInputAtAndPastItsLimit() throws {
        let at = HubRequest.tlsSign(kind: 2, padding: 3, input: [UInt8](repeating: 7, count: RequestLimits.signatureInput))
        #expect(try decode(at) == at)
        let past = HubRequest.tlsSign(kind: 2, padding: 3, input: [UInt8](repeating: 7, count: RequestLimits.signatureInput + 1))
        #expect(throws: PayloadError.overLimit(field: "tls signature input", size: RequestLimits.signatureInput + 1,
                                                limit: RequestLimits.signatureInput, items: false)) { _ = try decode(past) }
        #expect(past.bounded() == at)
    }

    @Test func everyFieldPastItsLimitIsRefusedByName() {
        let past = Self.requests(name: RequestLimits.name + 1, text: RequestLimits.text + 1, items: RequestLimits.items + 1)
        var refused = Set<UInt8>()
        for r in past {
            do {
                _ = try decode(r)
                // Only the requests without a name, text or list field decode.
                let bare: [HubRequest] = [.hello(dialect: .irc), .list(channels: []), .motd, .lusers, .names(channel: nil), .away(text: nil)]
                #expect(bare.contains(r), "\(r.messageType) decoded past its limits")
            } catch {
                guard case .overLimit(let field, let size, let limit, let items) = error else {
                    Issue.record("\(r.messageType): \(error)")
                    continue
                }
                #expect(size == limit + 1 && !field.isEmpty)
                #expect(items ? limit == RequestLimits.items : [RequestLimits.name, RequestLimits.text].contains(limit))
                refused.insert(r.messageType.rawValue)
            }
        }
        // Every type that carries a string was refused at least once.
        #expect(refused == Set([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16, 18, 19, 21, 29, 31, 32, 37, 38, 39, 40, 41, 44]), "\(refused.sorted())")
        #expect(PayloadError.overLimit(field: "who mask", size: 600, limit: 512, items: false).description
                == "who mask of 600 bytes is over the limit of 512")
    }

    @Test func tagsAtAndPastTheirLimit() throws {
        let at = String(repeating: "a", count: RequestLimits.tags), past = at + "a"
        for r in [HubRequest.taggedMessage(kind: .privmsg, target: "#a", text: "x", tags: at), .tagMessage(target: "#a", tags: at)] {
            #expect(try decode(r) == r && r.bounded() == r)
        }
        for r in [HubRequest.taggedMessage(kind: .privmsg, target: "#a", text: "x", tags: past), .tagMessage(target: "#a", tags: past)] {
            #expect(throws: PayloadError.self) { try decode(r) }
            #expect(try decode(r.bounded()) == r.bounded())
        }
    }

    @Test func aSessionsRequestAlwaysFitsWhateverItsClientTyped() throws {
        // A telnet line can be 8 KiB of one name; an IRC client can list 300 nicks.
        for r in Self.requests(name: 8192, text: 9000, items: 300) {
            let b = r.bounded()
            #expect(try decode(b) == b, "\(r.messageType)")
        }
        // A list of long names keeps what fits in half a frame.
        let names = Array(repeating: String(repeating: "n", count: 600), count: 300)
        for r in [HubRequest.join(channels: names), .ison(nicks: names), .mode(target: names[0], args: names)] {
            let b = r.bounded()
            #expect(try decode(b) == b && b.frame().count <= HubFrame.headerSize + HubFrame.maxPayload)
        }
        // Cut at a character's start, never inside one.
        let wide = String(repeating: "é", count: 300)  // 600 bytes
        guard case .who(let mask, _) = HubRequest.who(mask: wide).bounded() else { Issue.record("not a who"); return }
        #expect(mask.utf8.count == 512 && mask == String(repeating: "é", count: 256))
        let emoji = "#" + String(repeating: "😀", count: 200)  // 801 bytes
        guard case .names(let c?) = HubRequest.names(channel: emoji).bounded() else { Issue.record("not names"); return }
        #expect(c.utf8.count == 509 && c.unicodeScalars.dropFirst().allSatisfy { $0 == "😀" })
    }

    @Test func rowSizesAreWhatTheEncoderWrites() {
        func rowBytes(_ empty: HubEvent, _ one: HubEvent) -> Int { one.frame().count - empty.frame().count }
        let long = String(repeating: "x", count: 200)
        for nick in ["a", long, String(repeating: "é", count: 100)] {
            let m = Member(nick: nick, isOperator: true)
            #expect(HubEvent.encodedSize(m) == rowBytes(.names(channel: "#c", members: [], more: false),
                                                        .names(channel: "#c", members: [m], more: false)))
            let e = WhoEntry(channel: "#c", nick: nick, user: "u", host: long, realName: nick, isAway: true, isOperator: false,
                             idleSeconds: Int64(nick.utf8.count) * 1_000_000)
            #expect(HubEvent.encodedSize(e) == rowBytes(.who(mask: "m", entries: [], more: true),
                                                        .who(mask: "m", entries: [e], more: true)))
            for users in [0, 127, 128, 20_000, 3_000_000] {
                let row = ChannelSummary(name: "#" + nick, users: users, topic: long)
                #expect(HubEvent.encodedSize(row) == rowBytes(.list([], more: false), .list([row], more: false)))
            }
        }
    }
}
