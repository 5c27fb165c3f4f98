import Testing
import TestSupport
@testable import ChatProtocol

/// The fast path must write exactly what the general renderers write, or decline.
@Suite(.serialized, .compute) struct MessageFastPathTests {
    func withView<R>(_ e: HubEvent, _ body: (MessageView) -> R) -> R {
        let frame = e.frame()
        return frame.withUnsafeBytes { raw in
            body(MessageView(payload: UnsafeRawBufferPointer(rebasing: raw[HubFrame.headerSize...]))!)
        }
    }

    func slowIRC(_ e: HubEvent, _ ctx: IRCRenderContext) -> [UInt8] {
        var out: [UInt8] = []
        for m in IRCRenderer.render(e, context: ctx) { m.appendLine(to: &out) }
        return out
    }

    static let texts = ["hello", "", "with spaces  and : colons", "世界 😀", String(repeating: "y", count: 600),
                        "bold \u{2}x\u{2}", ":starts with colon", "tab\there"]

    @Test(arguments: texts)
    func ircMatchesTheGeneralRenderer(text: String) {
        for kind in [MessageKind.privmsg, .notice, .action] {
            for target in ["#lobby", "bob"] {
                for serverTime in [false, true] {
                    let e = HubEvent.message(source: "alice!al@127.0.0.1", kind: kind, target: target, text: text,
                                             time: 1_764_300_000_123)
                    let ctx = IRCRenderContext(serverName: "irc.test", nick: "bob", serverTime: serverTime)
                    var fast: [UInt8] = []
                    let took = withView(e) { IRCRenderer.appendMessageLine($0, context: ctx, to: &fast) }
                    if took {
                        #expect(fast == slowIRC(e, ctx), "\(kind) \(target) \(text.prefix(20))")
                    } else {
                        #expect(fast.isEmpty)
                    }
                }
            }
        }
    }

    @Test func ircTakesTheCommonCase() {
        let e = HubEvent.message(source: "alice!al@h", kind: .privmsg, target: "#lobby", text: "hi there", time: 0)
        var out: [UInt8] = []
        #expect(withView(e) { IRCRenderer.appendMessageLine($0, context: IRCRenderContext(serverName: "s"), to: &out) })
        #expect(String(decoding: out, as: UTF8.self) == ":alice!al@h PRIVMSG #lobby :hi there\r\n")
    }

    /// The line-breaking bytes are found at every position of the eight-byte scan (a word,
    /// its tail, a lone byte), and the harmless ones just below the thresholds pass.
    @Test func declinesLineBreakingBytesAtEveryPosition() {
        let plain = Array("abcdefghijklmnopqrstuvwxy".utf8)
        for at in 0..<plain.count {
            for bad: UInt8 in [0x00, 0x0A, 0x0D] {
                var text = plain
                text[at] = bad
                let e = HubEvent.message(source: "alice!al@h", kind: .privmsg, target: "#lobby",
                                         text: String(decoding: text, as: UTF8.self), time: 0)
                var out: [UInt8] = []
                #expect(!withView(e) { IRCRenderer.appendMessageLine($0, serverTime: false, to: &out) }, "\(bad) at \(at)")
                #expect(out.isEmpty)
            }
            var withSpace = plain
            withSpace[at] = 0x20
            let spaced = String(decoding: withSpace, as: UTF8.self)
            var out: [UInt8] = []
            let inSource = HubEvent.message(source: spaced, kind: .privmsg, target: "#lobby", text: "x", time: 0)
            #expect(!withView(inSource) { IRCRenderer.appendMessageLine($0, serverTime: false, to: &out) })
            let inTarget = HubEvent.message(source: "a!b@c", kind: .privmsg, target: "#" + spaced, text: "x", time: 0)
            #expect(!withView(inTarget) { IRCRenderer.appendMessageLine($0, serverTime: false, to: &out) })
            for harmless: UInt8 in [0x01, 0x0B, 0x0E, 0x1F, 0x20, 0x7F, 0x80, 0xFF] {
                var text = plain
                text[at] = harmless
                let e = HubEvent.message(source: "alice!al@h", kind: .privmsg, target: "#lobby",
                                         text: String(decoding: text, as: UTF8.self), time: 0)
                #expect(withView(e) { IRCRenderer.appendMessageLine($0, serverTime: false, to: &out) }, "\(harmless) at \(at)")
            }
        }
    }

    @Test(arguments: texts)
    func humanMatchesTheGeneralRenderer(text: String) {
        var stamp = MinuteStamp()
        for kind in [MessageKind.privmsg, .notice, .action] {
            for target in ["#lobby", "#other", "bob"] {
                for offset in [0, 3600, -19800] {
                    let e = HubEvent.message(source: "alice!al@h", kind: kind, target: target, text: text,
                                             time: 1_764_300_000_123)
                    var fast: [UInt8] = []
                    let took = withView(e) {
                        appendHumanChannelMessage($0, currentChannel: Array("#lobby".utf8), utcOffsetSeconds: offset,
                                                  stamp: &stamp, to: &fast)
                    }
                    let ctx = HumanRenderContext(nick: "bob", currentChannel: "#lobby", serverName: "s", utcOffsetSeconds: offset)
                    let slow = Array(renderHuman(e, context: ctx).map { $0 + "\r\n" }.joined().utf8)
                    if took { #expect(fast == slow) } else { #expect(fast.isEmpty) }
                }
            }
        }
        let common = HubEvent.message(source: "alice!al@h", kind: .privmsg, target: "#lobby", text: "hi", time: 0)
        var out: [UInt8] = []
        #expect(withView(common) {
            appendHumanChannelMessage($0, currentChannel: Array("#lobby".utf8), utcOffsetSeconds: 0, stamp: &stamp, to: &out)
        })
        #expect(String(decoding: out, as: UTF8.self) == "[00:00] <alice> hi\r\n")
    }

    /// Found by fuzzing (fuzz/targets/message-fast-path.swift): the stamp cache was keyed on
    /// the UTC minute, so with an offset that is not whole minutes (local mean times, e.g.
    /// Monrovia's -0:44:30 until 1972) a second message in the same UTC minute but the next
    /// local minute got the previous message's stamp.
    @Test func minuteStampFollowsTheLocalMinute() {
        let offset = -2670  // -0:44:30
        var stamp = MinuteStamp()
        for ms: Int64 in [0, 29_000, 31_000, 59_999, 60_000, 89_999, 90_000, -1, -30_001] {
            let expected = "[" + hourMinute(epochMilliseconds: ms, utcOffsetSeconds: offset) + "] "
            #expect(stamp.stamp(epochMilliseconds: ms, utcOffsetSeconds: offset) == Array(expected.utf8), "\(ms)")
        }
    }

    @Test func malformedPayloadsAreRejected() {
        let frame = HubEvent.message(source: "a!b@c", kind: .privmsg, target: "#x", text: "t", time: 1).frame()
        let payload = Array(frame[HubFrame.headerSize...])
        for cut in 0..<payload.count {
            payload[..<cut].withUnsafeBytes { #expect(MessageView(payload: $0) == nil) }
        }
        var bad = payload
        bad[6] = 9  // kind out of range ("a!b@c" is 1 + 5 bytes)
        bad.withUnsafeBytes { #expect(MessageView(payload: $0) == nil) }
    }
}
