import Testing
import TestSupport
@testable import ChatProtocol

func decodeAll(_ decoder: inout FrameDecoder) throws -> [(UInt8, [UInt8])] {
    var out: [(UInt8, [UInt8])] = []
    while let f = try decoder.next({ t, p in (t, Array(p)) }) { out.append(f) }
    return out
}

@Suite(.serialized, .compute) struct CRC32CTests {
    @Test func knownVectors() {
        // RFC 3720 appendix B.4 and the common "123456789" check value.
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum(Array(0...31)) == 0x46DD_794E)
        #expect(CRC32C.checksum([]) == 0)
    }

    @Test func continuingEqualsWhole() {
        let data = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        for cut in [0, 1, 7, 8, 9, 500, 999, 1000] {
            let a = data[..<cut].withUnsafeBytes { CRC32C.checksum($0) }
            let b = data[cut...].withUnsafeBytes { CRC32C.checksum($0, continuing: a) }
            #expect(b == CRC32C.checksum(data))
        }
    }

    /// The processor's instruction and the tables agree on every length, alignment and
    /// continuation (on a machine without the instruction both sides are the tables).
    @Test func instructionAgreesWithTheTables() {
        var rng = SplitMix64(seed: 0xC5C3_2C)
        let data = (0..<4096).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        data.withUnsafeBytes { raw in
            for _ in 0..<2000 {
                let start = Int(rng.next() % 64)
                let count = Int(rng.next() % UInt64(raw.count - start))
                let slice = UnsafeRawBufferPointer(rebasing: raw[start..<(start + count)])
                let seed = UInt32(truncatingIfNeeded: rng.next())
                #expect(CRC32C.checksum(slice, continuing: seed) == CRC32C.tableChecksum(slice, continuing: seed))
            }
        }
        #expect(CRC32C.tableChecksum(UnsafeRawBufferPointer(start: nil, count: 0)) == 0)
    }
}

@Suite(.serialized, .compute) struct HubFrameTests {
    let sample: [HubEvent] = [
        .message(source: "alice!alice@127.0.0.1", kind: .privmsg, target: "#lobby", text: "hello 世界 😀", time: 1_764_300_000_123),
        .join(channel: "#lobby", source: "bob!bob@::1"),
        .join(channel: "#lobby", source: "bob!bob@::1", account: "bob"),
        .tagMessage(source: "al!al@h", target: "#a", tags: "+typing=active", time: 1, id: 2, account: "al"),
        .error(code: .nicknameInUse, params: ["alice"], text: "Nickname is already in use"),
        .names(channel: "#lobby", members: [Member(nick: "alice", isOperator: true), Member(nick: "bob", isOperator: false)]),
        .names(channel: "#club", members: [Member(nick: "carol", isOperator: true, isVoiced: true, source: "carol!c@h"),
                                           Member(nick: "dan", isOperator: false, isVoiced: true, source: "dan!d@h")],
               more: true, isSecret: true),
        .invite(channel: "#club", source: "carol!c@h", nick: "erin"),
        .inviting(channel: "#club", nick: "erin"),
        .modeList(channel: "#club", mode: "b", entries: [ModeListEntry(mask: "x!*@*", setBy: "carol!c@h", setAt: 1_764_300_000)]),
        .disconnect(reason: "send queue exceeded"),
    ]

    @Test func roundTripsEveryEventAndRequestThroughOneStream() throws {
        var stream: [UInt8] = []
        for e in sample { e.appendFrame(to: &stream) }
        var d = FrameDecoder()
        d.append(stream)
        let frames = try decodeAll(&d)
        #expect(frames.count == sample.count)
        for (f, e) in zip(frames, sample) {
            let decoded = try f.1.withUnsafeBytes { try HubEvent(type: f.0, payload: $0) }
            #expect(decoded == e)
        }
        #expect(d.buffered == 0)
    }

    @Test func splitAtEveryByteBoundary() throws {
        var stream: [UInt8] = []
        for e in sample { e.appendFrame(to: &stream) }
        for cut in 0...stream.count {
            var d = FrameDecoder()
            d.append(Array(stream[..<cut]))
            var got = try decodeAll(&d)
            d.append(Array(stream[cut...]))
            got += try decodeAll(&d)
            #expect(got.count == sample.count, "cut at \(cut)")
        }
    }

    @Test func releasingMemoryKeepsAPartialFrameAndGivesBackAnEmptyBuffer() throws {
        var stream: [UInt8] = []
        for e in sample { e.appendFrame(to: &stream) }
        var d = FrameDecoder()
        d.append(Array(stream[..<(stream.count - 3)]))
        var got = try decodeAll(&d)
        d.releaseMemory()  // the last frame is still partial: nothing is given back
        #expect(d.buffered > 0 && d.capacity > 0)
        d.append(Array(stream.suffix(3)))
        got += try decodeAll(&d)
        #expect(got.count == sample.count && d.buffered == 0)
        d.releaseMemory()
        #expect(d.capacity == 0)
        d.append(stream)
        #expect(try decodeAll(&d).count == sample.count)
    }

    @Test func oneByteAtATime() throws {
        var stream: [UInt8] = []
        for e in sample { e.appendFrame(to: &stream) }
        var d = FrameDecoder()
        var got = 0
        for b in stream {
            d.append([b])
            got += try decodeAll(&d).count
        }
        #expect(got == sample.count)
    }

    @Test func rejectsBadMagic() {
        var frame = HubEvent.serverNotice(text: "hi").frame()
        frame[0] ^= 0xFF
        var d = FrameDecoder()
        d.append(frame)
        #expect(throws: FrameError.self) { _ = try decodeAll(&d) }
        if case .badMagic = d.failure {} else { Issue.record("expected badMagic, got \(String(describing: d.failure))") }
    }

    @Test func rejectsUnknownVersion() {
        var frame = HubEvent.serverNotice(text: "hi").frame()
        frame[2] = 9
        var d = FrameDecoder()
        d.append(frame)
        #expect(throws: FrameError.unsupportedVersion(9)) { _ = try decodeAll(&d) }
    }

    @Test func rejectsOversizeLengthBeforeBufferingIt() {
        var frame = HubEvent.serverNotice(text: "hi").frame()
        frame[4] = 0xFF; frame[5] = 0xFF; frame[6] = 0xFF; frame[7] = 0x00
        var d = FrameDecoder()
        d.append(Array(frame[..<12]))
        #expect(throws: FrameError.oversize(0x00FF_FFFF)) { _ = try decodeAll(&d) }
    }

    @Test func rejectsEveryFlippedBitInPayloadAndHeader() throws {
        let frame = HubEvent.message(source: "a!a@h", kind: .privmsg, target: "#x", text: "payload", time: 5).frame()
        for byte in 2..<frame.count {
            for bit in 0..<8 {
                var bad = frame
                bad[byte] ^= UInt8(1 << bit)
                var d = FrameDecoder()
                d.append(bad)
                var failed = false
                do { _ = try decodeAll(&d) } catch { failed = true }
                // A flip in the length can make the frame look longer: then it simply waits for more.
                let waiting = d.failure == nil && d.buffered == bad.count
                #expect(failed || waiting, "flip at byte \(byte) bit \(bit) went unnoticed")
            }
        }
    }

    @Test func staysFailedAfterCorruption() {
        var d = FrameDecoder()
        d.append([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        #expect(throws: FrameError.self) { _ = try decodeAll(&d) }
        d.append(HubEvent.serverNotice(text: "x").frame())
        #expect(throws: FrameError.self) { _ = try decodeAll(&d) }
    }

    @Test func payloadErrorsAreTyped() throws {
        // A valid frame whose payload is truncated for its type.
        let frame = HubFrame.make(type: HubEvent.join(channel: "", source: "").messageType.rawValue) { w in w.string("#only") }
        var d = FrameDecoder()
        d.append(frame)
        let f = try #require(try decodeAll(&d).first)
        #expect(throws: PayloadError.truncated) { try f.1.withUnsafeBytes { _ = try HubEvent(type: f.0, payload: $0) } }
        #expect(throws: PayloadError.unknownType(200)) { try [UInt8]().withUnsafeBytes { _ = try HubEvent(type: 200, payload: $0) } }
        let trailing = HubFrame.make(type: 81) { w in w.string("x"); w.u8(0) }
        var d2 = FrameDecoder()
        d2.append(trailing)
        let f2 = try #require(try decodeAll(&d2).first)
        #expect(throws: PayloadError.trailingBytes(1)) { try f2.1.withUnsafeBytes { _ = try HubEvent(type: f2.0, payload: $0) } }
        let badUTF8 = HubFrame.make(type: 81) { w in w.varint(2); w.u8(0xC3); w.u8(0x28) }
        var d3 = FrameDecoder()
        d3.append(badUTF8)
        let f3 = try #require(try decodeAll(&d3).first)
        #expect(throws: PayloadError.invalidUTF8) { try f3.1.withUnsafeBytes { _ = try HubEvent(type: f3.0, payload: $0) } }
    }
}

/// Random values of every request and event, for round-trip tests.
struct RandomMessages {
    var rng: SplitMix64

    mutating func string() -> String {
        let alphabet: [Character] = ["a", "b", "Z", "#", " ", ":", "é", "世", "😀", "\u{0}", "\r", "!", "@"]
        let n = Int.random(in: 0...12, using: &rng)
        return String((0..<n).map { _ in alphabet.randomElement(using: &rng)! })
    }
    mutating func strings() -> [String] { (0..<Int.random(in: 0...4, using: &rng)).map { _ in string() } }
    mutating func opt() -> String? { Bool.random(using: &rng) ? string() : nil }
    mutating func int() -> Int64 { Int64.random(in: Int64.min...Int64.max, using: &rng) }
    mutating func bool() -> Bool { Bool.random(using: &rng) }
    mutating func whox() -> WhoxFormat? {
        bool() ? nil : WhoxFormat(fields: WhoxFormat.Fields(rawValue: UInt16.random(in: 0...WhoxFormat.Fields.all.rawValue, using: &rng)),
                                  token: String(Int.random(in: 0...999, using: &rng)))
    }
    mutating func kind() -> MessageKind { [.privmsg, .notice, .action].randomElement(using: &rng)! }
    mutating func reference() -> HistoryQuery.Reference {
        [.none, .messageID(UInt64.random(in: 0...UInt64.max, using: &rng)), .time(int())].randomElement(using: &rng)!
    }
    mutating func historyQuery() -> HistoryQuery {
        HistoryQuery(subcommand: HistoryQuery.Subcommand.allCases.randomElement(using: &rng)!, target: string(),
                     first: reference(), second: reference(), limit: Int.random(in: 0...1000, using: &rng))
    }

    mutating func request() -> HubRequest {
        switch Int.random(in: 0..<38, using: &rng) {  // 33: quit
        case 37: return .authenticateExternal(account: string())
        case 36: return .authenticate(account: string(), password: string())
        case 35: return .tlsSign(kind: UInt8.random(in: 0...255, using: &rng), padding: 3, input: Array(string().utf8))
        case 34: return .tlsInfo(version: string(), cipher: string(), certificate: string())
        case 31: return .invitations
        case 32: return .chatHistory(historyQuery())
        case 22: return .join(channels: strings(), keys: strings())
        case 23: return .invite(nick: string(), channel: string())
        case 24: return .oper(name: string(), password: string())
        case 25: return .kill(nick: string(), reason: string())
        case 26: return .wallops(text: string())
        case 27: return .capabilities(names: strings())
        case 28: return .taggedMessage(kind: kind(), target: string(), text: string(), tags: string())
        case 29: return .tagMessage(target: string(), tags: string())
        case 30: return .setName(realName: string())
        case 0: return .hello(dialect: bool() ? .irc : .human)
        case 20: return .whowas(nick: string(), count: Int.random(in: 0...1000, using: &rng))
        case 21: return .who(mask: string(), options: WhoOptions(operatorsOnly: bool(), whox: whox()))
        case 1: return .register(nick: string(), user: string(), realName: string())
        case 2: return .nick(string())
        case 3: return .join(channels: strings())
        case 4: return .part(channels: strings(), reason: string())
        case 5: return .message(kind: kind(), target: string(), text: string())
        case 6: return .topic(channel: string(), text: opt())
        case 7: return .names(channel: opt())
        case 8: return .who(mask: string())
        case 9: return .whois(nick: string())
        case 10: return .kick(channel: string(), nick: string(), reason: string())
        case 11: return .away(text: opt())
        case 12: return .mode(target: string(), args: strings())
        case 13: return .list(channels: strings())
        case 14: return .motd
        case 15: return .lusers
        case 16: return .ison(nicks: strings())
        case 17: return .userhost(nicks: strings())
        case 18: return .sync(token: UInt64.random(in: 0...UInt64.max, using: &rng))
        case 19: return .monitor(MonitorAction(rawValue: UInt8.random(in: 0...4, using: &rng))!, targets: strings())
        default: return .quit(reason: string())
        }
    }

    mutating func event() -> HubEvent {
        switch Int.random(in: 0..<50, using: &rng) {  // 24: disconnect
        case 49: return .historyTargets(strings().map { HistoryTarget(name: $0, time: int()) })
        case 48: return .accountChange(source: string(), account: string())
        case 47: return .tlsSignature(Array(string().utf8))
        case 43: return .loggedIn(nick: string(), source: string(), account: string())
        case 44: return .loggedOut(nick: string(), source: string())
        case 45: return .saslResult(SASLOutcome(rawValue: UInt8.random(in: 0...2, using: &rng))!)
        case 46: return .serviceNotice(service: string(), text: string())
        case 40: return .invitations(channels: strings())
        case 41: return .historyBatch(target: string(), isEnd: bool())
        case 42: return .historyRefused(subcommand: string(), target: string())
        case 25: return .whoisMissing(nick: string())
        case 26:
            return .whowas(nick: string(), entries: strings().map {
                WhowasEntry(nick: $0, user: string(), host: string(), realName: string(), server: string(), leftAt: int())
            })
        case 27: return .invite(channel: string(), source: string(), nick: string(), account: string())
        case 28: return .inviting(channel: string(), nick: string())
        case 29:
            return .modeList(channel: string(), mode: string(), entries: strings().map {
                ModeListEntry(mask: $0, setBy: string(), setAt: int())
            })
        case 0:
            return .welcome(Welcome(nick: string(), user: string(), host: string(), serverName: string(),
                                    network: string(), version: string(), createdAt: int(), isupport: strings(),
                                    users: Int.random(in: 0...100_000, using: &rng), channels: 3,
                                    motd: bool() ? strings() : nil))
        case 1: return .error(code: ErrorCode(rawValue: UInt16.random(in: 0...999, using: &rng)), params: strings(), text: string())
        case 2: return .nick(source: string(), newNick: string())
        case 3: return .join(channel: string(), source: string(), account: string())
        case 4: return .part(channel: string(), source: string(), reason: string())
        case 5: return .quit(source: string(), reason: string())
        case 6: return .kick(channel: string(), source: string(), nick: string(), reason: string())
        case 7: return .message(source: string(), kind: kind(), target: string(), text: string(), time: int())
        case 8: return .topic(channel: string(), text: string(), setBy: string(), setAt: int(), isChange: bool())
        case 9:
            return .names(channel: string(), members: strings().map {
                Member(nick: $0, isOperator: $0.count % 2 == 0, isVoiced: bool(), source: string())
            }, more: bool(), isSecret: bool())
        case 10:
            return .who(mask: string(), entries: strings().map {
                WhoEntry(channel: $0, nick: string(), user: string(), host: string(), realName: string(), isAway: bool(),
                         isOperator: bool(), isVoiced: bool(), isServerOperator: bool(), idleSeconds: int())
            }, more: bool(), whox: whox())
        case 11:
            return .whois(WhoisInfo(nick: string(), user: string(), host: string(), realName: string(), channels: strings(),
                                    idleSeconds: int(), signonTime: int(), away: opt(), isServerOperator: bool(),
                                    account: opt()))
        case 12: return .awayStatus(isAway: bool())
        case 13: return .awayReply(nick: string(), text: string())
        case 14: return .channelModes(channel: string(), modes: string(), createdAt: int())
        case 15: return .list(strings().map { ChannelSummary(name: $0, users: $0.count, topic: string()) }, more: bool())
        case 16: return .motd(bool() ? strings() : nil)
        case 17: return .serverNotice(text: string())
        case 18: return .memberCount(channel: string(), count: Int.random(in: 0...1_000_000, using: &rng))
        case 19:
            return .lusers(LuserCounts(users: Int.random(in: 0...1_000_000, using: &rng), invisible: Int.random(in: 0...1000, using: &rng),
                                       operators: Int.random(in: 0...10, using: &rng), unknown: Int.random(in: 0...100, using: &rng),
                                       channels: Int.random(in: 0...100_000, using: &rng), maxUsers: Int.random(in: 0...1_000_000, using: &rng)))
        case 20: return .ison(nicks: strings())
        case 21: return .userhost(strings().map { UserHost(nick: $0, user: string(), host: string(), isAway: bool(), isServerOperator: bool()) })
        case 22: return .channelModeChange(channel: string(), source: string(), modes: string(), args: strings())
        case 23: return .sync(token: UInt64.random(in: 0...UInt64.max, using: &rng))
        case 30: return .monitor(online: strings(), offline: strings())
        case 31: return .monitorList(targets: strings())
        case 32: return .userModes(nick: string(), modes: string(), isChange: bool())
        case 33: return .youreOper(name: string())
        case 34: return .wallops(source: string(), text: string())
        case 35:
            return .message(source: string(), kind: kind(), target: string(), text: string(), time: int(),
                            id: UInt64.random(in: 0...UInt64.max, using: &rng), tags: string(), account: string())
        case 36: return .tagMessage(source: string(), target: string(), tags: string(), time: int(), id: UInt64.random(in: 0...UInt64.max, using: &rng),
                                   account: string())
        case 37: return .awayChange(source: string(), text: opt())
        case 38: return .setName(source: string(), realName: string())
        case 39: return .extendedJoin(channel: string(), source: string(), realName: string(), account: string())
        default: return .disconnect(reason: string())
        }
    }
}

@Suite(.serialized, .compute) struct HubMessageRoundTripTests {
    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func randomRequestsAndEventsRoundTrip(seed: UInt64) throws {
        var gen = RandomMessages(rng: SplitMix64(seed: seed))
        var requests: [HubRequest] = []
        var events: [HubEvent] = []
        var reqStream: [UInt8] = []
        var evStream: [UInt8] = []
        for _ in 0..<500 {
            let r = gen.request(); requests.append(r); r.appendFrame(to: &reqStream)
            let e = gen.event(); events.append(e); e.appendFrame(to: &evStream)
        }
        // Feed in random-sized chunks, as reads from a pipe would deliver them.
        func decode<T>(_ stream: [UInt8], _ make: (UInt8, UnsafeRawBufferPointer) throws -> T) throws -> [T] {
            var d = FrameDecoder()
            var out: [T] = []
            var i = 0
            var rng = SplitMix64(seed: seed &* 7)
            while i < stream.count {
                let n = min(stream.count - i, Int.random(in: 1...700, using: &rng))
                d.append(Array(stream[i..<i + n]))
                i += n
                while let m = try d.next(make) { out.append(m) }
            }
            return out
        }
        #expect(try decode(reqStream) { try HubRequest(type: $0, payload: $1) } == requests)
        #expect(try decode(evStream) { try HubEvent(type: $0, payload: $1) } == events)
    }

    @Test func nickOfSource() {
        #expect(nickOf("alice!a@h") == "alice")
        #expect(nickOf("irc.example") == "irc.example")
    }

    @Test func varintAndZigZagExtremes() throws {
        var w = BinaryWriter()
        let values: [Int64] = [0, 1, -1, 63, -64, Int64.max, Int64.min]
        for v in values { w.int(v) }
        w.varint(UInt64.max)
        try w.bytes.withUnsafeBytes { raw in
            var r = BinaryReader(raw)
            for v in values { #expect(try r.int() == v) }
            #expect(try r.varint() == UInt64.max)
            try r.finish()
        }
        let overlong: [UInt8] = Array(repeating: 0xFF, count: 11)
        overlong.withUnsafeBytes { raw in
            var r = BinaryReader(raw)
            #expect(throws: PayloadError.overlongVarint) { _ = try r.varint() }
        }
    }
}

/// The payload decoders (a frame's checksum was right, but its payload is not what its type
/// says): every kind of malformed payload is a typed error, never a crash or a wrong value.
@Suite(.serialized, .compute) struct HubPayloadMalformedTests {
    private func payload(_ frame: [UInt8]) -> [UInt8] { Array(frame[HubFrame.headerSize...]) }

    private func request(_ type: UInt8, _ bytes: [UInt8]) throws(PayloadError) -> HubRequest {
        let r: Result<HubRequest, PayloadError> = bytes.withUnsafeBytes { raw in
            Result { () throws(PayloadError) in try HubRequest(type: type, payload: raw) }
        }
        return try r.get()
    }

    private func event(_ type: UInt8, _ bytes: [UInt8]) throws(PayloadError) -> HubEvent {
        let r: Result<HubEvent, PayloadError> = bytes.withUnsafeBytes { raw in
            Result { () throws(PayloadError) in try HubEvent(type: type, payload: raw) }
        }
        return try r.get()
    }

    /// A payload cut short anywhere is refused: length-prefixed fields and counts cannot be
    /// satisfied by a prefix, and every decoder insists on reaching the end.
    private func expectEveryCutRefused(_ whole: [UInt8], sourceLocation: SourceLocation = #_sourceLocation,
                                       _ decode: ([UInt8]) throws(PayloadError) -> Void) {
        for cut in 0..<whole.count {
            do {
                try decode(Array(whole[..<cut]))
                Issue.record("a payload cut at \(cut) of \(whole.count) bytes decoded", sourceLocation: sourceLocation)
            } catch {
                #expect(error == .truncated || error == .invalidValue("count"),
                        "cut at \(cut): \(error)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func everyRequestAndEventCutAtEveryByteIsRefused() throws {
        var gen = RandomMessages(rng: SplitMix64(seed: 11))
        var requestTypes: [UInt8: Int] = [:]
        var eventTypes: [UInt8: Int] = [:]
        for _ in 0..<3600 {
            let r = gen.request()
            requestTypes[r.messageType.rawValue, default: 0] += 1
            let rp = payload(r.frame())
            #expect(try request(r.messageType.rawValue, rp) == r)
            expectEveryCutRefused(rp) { bytes throws(PayloadError) in _ = try request(r.messageType.rawValue, bytes) }
            let e = gen.event()
            eventTypes[e.messageType.rawValue, default: 0] += 1
            let ep = payload(e.frame())
            #expect(try event(e.messageType.rawValue, ep) == e)
            expectEveryCutRefused(ep) { bytes throws(PayloadError) in _ = try event(e.messageType.rawValue, bytes) }
        }
        // Every type was cut many times over.
        let requestCount = HubMessageType.allCases.filter(\.isRequest).count
        let eventCount = HubMessageType.allCases.filter(\.isEvent).count
        #expect(requestTypes.count == requestCount && requestTypes.values.allSatisfy { $0 >= 30 }, "\(requestTypes)")
        #expect(eventTypes.count == eventCount && eventTypes.values.allSatisfy { $0 >= 30 }, "\(eventTypes)")
    }

    @Test func outOfRangeValuesAreRefusedByName() throws {
        // hello: a dialect that does not exist.
        #expect(throws: PayloadError.invalidValue("dialect")) { try request(1, [2]) }
        // A message request and event with a kind that does not exist.
        var w = BinaryWriter(); w.u8(3); w.string("#lobby"); w.string("hi")
        #expect(throws: PayloadError.invalidValue("message kind")) { try request(6, w.bytes) }
        w = BinaryWriter(); w.string("alice!a@h"); w.u8(9); w.string("#lobby"); w.string("hi"); w.int(0)
        #expect(throws: PayloadError.invalidValue("message kind")) { try event(71, w.bytes) }
        // Booleans are 0 or 1: awayStatus, a topic's isChange, names' `more`; a member's
        // status has two bits (operator, voiced).
        #expect(throws: PayloadError.invalidValue("boolean")) { try event(76, [2]) }
        w = BinaryWriter(); w.string("#c"); w.string("t"); w.string("bob"); w.int(0); w.u8(0xFF)
        #expect(throws: PayloadError.invalidValue("boolean")) { try event(72, w.bytes) }
        w = BinaryWriter(); w.string("#c"); w.varint(1); w.string("bob"); w.u8(7); w.string("b@h"); w.bool(false)
        #expect(throws: PayloadError.invalidValue("member status")) { try event(73, w.bytes) }
        w = BinaryWriter(); w.string("#c"); w.varint(0); w.u8(2)
        #expect(throws: PayloadError.invalidValue("boolean")) { try event(73, w.bytes) }
        // userhost's away flag.
        w = BinaryWriter(); w.varint(1); w.string("bob"); w.string("b"); w.string("h"); w.u8(3)
        #expect(throws: PayloadError.invalidValue("boolean")) { try event(86, w.bytes) }
        // motd's "present" flag is a boolean too.
        #expect(throws: PayloadError.invalidValue("boolean")) { try event(80, [5]) }
        // A count larger than the payload could hold is refused before anything is reserved.
        w = BinaryWriter(); w.string("#c"); w.varint(1 << 40)
        #expect(throws: PayloadError.invalidValue("count")) { try event(73, w.bytes) }
        w = BinaryWriter(); w.varint(70_000)
        #expect(throws: PayloadError.invalidValue("count")) { try request(4, w.bytes) }
        // A string longer than what is left, a varint that never ends, bytes after the end.
        w = BinaryWriter(); w.varint(100); w.u8(0x61)
        #expect(throws: PayloadError.truncated) { try request(3, w.bytes) }
        #expect(throws: PayloadError.overlongVarint) { try request(3, Array(repeating: 0xFF, count: 11)) }
        w = BinaryWriter(); w.string("bob"); w.u8(0)
        #expect(throws: PayloadError.trailingBytes(1)) { try request(3, w.bytes) }
        // Invalid UTF-8 in a string, and types nobody defined, in either direction.
        w = BinaryWriter(); w.varint(2); w.u8(0xC3); w.u8(0x28)
        #expect(throws: PayloadError.invalidUTF8) { try request(3, w.bytes) }
        #expect(throws: PayloadError.unknownType(0)) { try request(0, []) }
        #expect(throws: PayloadError.unknownType(23)) { try request(23, []) }
        #expect(throws: PayloadError.unknownType(63)) { try event(63, []) }
        #expect(throws: PayloadError.unknownType(127)) { try event(127, []) }
        // A SASL outcome that does not exist.
        #expect(throws: PayloadError.invalidValue("sasl outcome")) { try event(97, [3]) }
    }
}
