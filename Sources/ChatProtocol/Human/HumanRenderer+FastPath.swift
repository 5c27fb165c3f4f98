/// Appends a person's view of a message to their current channel (`[12:34] <alice> hi`,
/// `[12:34] * alice waves`) with CR LF. Returns false, appending nothing, for every other case
/// (private messages, notices, other channels, text with control or formatting bytes), which
/// `renderHuman` handles.
public func appendHumanChannelMessage(_ m: MessageView, currentChannel: [UInt8]?, utcOffsetSeconds: Int,
                                      stamp: inout MinuteStamp, to out: inout [UInt8]) -> Bool {
    guard m.kind != 1, let current = currentChannel, m.target.elementsEqual(current),
          !m.text.contains(where: { $0 < 0x20 || $0 == 0x7F }) else { return false }
    let nick = m.nick
    guard !nick.contains(where: { $0 < 0x20 }) else { return false }
    let prefix = stamp.stamp(epochMilliseconds: m.time, utcOffsetSeconds: utcOffsetSeconds)
    LineWriter.append(count: prefix.count + nick.count + 3 + m.text.count + 2, to: &out) { w in
        w.put(prefix)
        if m.kind == 2 {
            w.put("* ")
            w.put(nick)
            w.put(UInt8(ascii: " "))
        } else {
            w.put(UInt8(ascii: "<"))
            w.put(nick)
            w.put("> ")
        }
        w.put(m.text)
        w.put("\r\n")
    }
    return true
}
