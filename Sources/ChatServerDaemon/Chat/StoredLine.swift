import ChatProtocol

/// A channel line as the state store keeps it: the fields of its message event, so that the
/// event can be made again after a restart (a frame's layout may change between versions,
/// these fields do not).
struct StoredLine: Equatable {
    var source: String
    var kind: MessageKind
    var target: String
    var text: String
    var time: Int64
    var id: UInt64
    var tags: String
    /// The sender's account when it was said (IRCv3 account-tag), "" for none.
    var account: String = ""

    /// The message event, as it was first sent.
    var frame: [UInt8] {
        HubEvent.message(source: source, kind: kind, target: target, text: text, time: time, id: id, tags: tags, account: account).frame()
    }

    var stamp: ChatState.HistoryStamp { .init(time: time, id: id) }
}
