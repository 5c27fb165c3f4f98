// The message fast path: `MessageView(payload:)` on arbitrary bytes, then the fast IRC and
// human renderers against the general ones.
//
// Oracles:
// - `MessageView` accepts exactly the payloads whose layout is a message event; when the
//   payload also decodes as a `HubEvent` (valid UTF-8), that event is a `.message` with the
//   same fields;
// - for such an event, `IRCRenderer.appendMessageLine` either declines (appending nothing) or
//   appends exactly the bytes of `IRCRenderer.render` + `appendLine`, with and without
//   server-time;
// - `appendHumanChannelMessage` either declines or appends exactly `renderHuman`'s line plus
//   CR LF, for a current channel of none, "#lobby", and the message's own target when that is
//   a valid channel name, at several
//   UTC offsets, with one `MinuteStamp` reused across times (its cache must not leak).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = inputBytes(data, size)
    var rng = SplitMix(input)
    input.withUnsafeBytes { payload in
        guard var view = MessageView(payload: payload) else {
            if case .message? = try? HubEvent(type: HubMessageType.eventMessage.rawValue, payload: payload) {
                violation("HubEvent decodes a message that MessageView refuses")
            }
            return
        }
        guard case .message(let source, let kind, let target, let text, let time, let id, let tags, let account)? =
                try? HubEvent(type: HubMessageType.eventMessage.rawValue, payload: payload) else {
            // Not valid UTF-8 (the hub only sends valid strings): the general path would
            // refuse the frame; nothing to compare.
            return
        }
        require(view.source.elementsEqual(source.utf8) && view.target.elementsEqual(target.utf8)
                    && view.text.elementsEqual(text.utf8) && view.kind == kind.rawValue && view.time == time
                    && view.id == id && view.tags.elementsEqual(tags.utf8) && view.account.elementsEqual(account.utf8),
                "MessageView and HubEvent read different fields")

        // IRC.
        // With message-tags the fast path writes the tags as the hub passed them, the general
        // path parses and writes them again: the same only for tags the hub lets through.
        let canonicalTags = tags.isEmpty || (ClientTags.isWellFormed(tags) && ClientTags.wire(ClientTags.tags(tags)) == tags)
        for (serverTime, messageTags) in [(false, false), (true, false), (false, true), (true, true)] {
            if messageTags && !canonicalTags { continue }
            var context = IRCRenderContext(serverName: "irc.example.net", nick: "me", serverTime: serverTime)
            if messageTags { context.capabilities = [.messageTags] }
            var fast: [UInt8] = [0x2A]  // something already in the buffer must stay
            let took = IRCRenderer.appendMessageLine(view, context: context, to: &fast)
            if !took {
                require(fast == [0x2A], "declining IRC fast path appended bytes")
                continue
            }
            var general: [UInt8] = [0x2A]
            let event = HubEvent.message(source: source, kind: kind, target: target, text: text, time: time, id: id, tags: tags)
            for m in IRCRenderer.render(event, context: context) { m.appendLine(to: &general) }
            require(fast == general, "IRC fast path differs (serverTime \(serverTime), messageTags \(messageTags)):\n fast    \(hex(fast))\n general \(hex(general))")
        }

        // Human.
        let offsets = [0, 3600, -12600, 50_400, Int(Int32(truncatingIfNeeded: rng.next()))]
        var stamp = MinuteStamp()
        let times = [time, time &+ 1, time &+ 59_999, time &+ Int64(rng.below(200_000)), time]
        // A human session's current channel is one it joined: a valid channel name.
        var currents: [String?] = [nil, "#lobby"]
        if Names.isValidChannel(target, maxLength: .max) { currents.append(target) }
        for current in currents {
            for offset in offsets {
                for t in times {
                    view.time = t
                    var fast: [UInt8] = [0x2A]
                    let took = appendHumanChannelMessage(view, currentChannel: current.map { Array($0.utf8) },
                                                         utcOffsetSeconds: offset, stamp: &stamp, to: &fast)
                    if !took {
                        require(fast == [0x2A], "declining human fast path appended bytes")
                        continue
                    }
                    let context = HumanRenderContext(nick: "me", currentChannel: current, serverName: "irc.example.net",
                                                     utcOffsetSeconds: offset)
                    let lines = renderHuman(.message(source: source, kind: kind, target: target, text: text, time: t),
                                            context: context)
                    var general: [UInt8] = [0x2A]
                    for l in lines { general += Array(l.utf8) + [0x0D, 0x0A] }
                    require(fast == general,
                            "human fast path differs (current \(String(describing: current)), offset \(offset), time \(t)):\n fast    \(hex(fast))\n general \(hex(general))")
                }
            }
        }
    }
    return 0
}
