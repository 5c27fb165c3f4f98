import ChatProtocol

/// WHO: who is in a channel, who has a nick, who matches a mask; in the classic format (352)
/// or WHOX's (354), which the hub echoes for the session to render.
extension ChatState {
    /// The most rows one WHO by mask gives (a channel gives all its members).
    static let whoMaskLimit = 200

    /// A channel's members (`#chan`), a nick's owner (`bob`, any case), or everyone a mask
    /// matches (`bo*`, `*`, `0`, `*@192.0.2.*`, `*Real*`): a mask with `!` or `@` is matched
    /// against `nick!user@host`, any other against the nick, the user name, the address and
    /// the real name (Modern). `o` keeps server operators only. The end (315) echoes the mask
    /// as it was given.
    func who(_ id: Int, mask: String, options: WhoOptions) {
        var entries: [WhoEntry] = []
        let now = clock()
        func add(_ u: User, channel: String, op: Bool, voiced: Bool = false) {
            guard !options.operatorsOnly || u.isOperator else { return }
            entries.append(WhoEntry(channel: channel, nick: u.nick, user: u.user, host: u.host, realName: u.realName,
                                    isAway: u.away != nil, isOperator: op, isVoiced: voiced, isServerOperator: u.isOperator,
                                    idleSeconds: max(0, (now - u.lastActive) / 1000)))
        }
        if let ch = channels[fold(mask)] {
            // A secret channel's members are shown to its members only.
            if !isHidden(ch, from: id) {
                // An invisible user (+i) is shown to outsiders of the channel only if they
                // share another channel (`isHidden(_:from:)` for users).
                let outsider = ch.members[id] == nil
                for m in members(of: ch) {
                    if let sid = session(named: m.nick), let u = users[sid], !(outsider && isHidden(u, from: id)) {
                        add(u, channel: ch.name, op: m.isOperator, voiced: m.isVoiced)
                    }
                }
            }
        } else if let sid = session(named: mask), let u = users[sid] {
            add(u, channel: "*", op: false)
        } else if !mask.isEmpty {
            let everyone = mask == "0" || mask.utf8.allSatisfy { $0 == UInt8(ascii: "*") }
            let whole = mask.contains("!") || mask.contains("@")
            charge(work: users.count)
            for u in users.values where u.registered {
                guard everyone || (whole ? matches(mask, u.source) : matches(mask, u)), !isHidden(u, from: id) else { continue }
                add(u, channel: "*", op: false)
                if entries.count >= Self.whoMaskLimit { break }
            }
        }
        let echoed = shown(name: mask)
        sendChunked(entries, rows: Self.whoMaskLimit, to: id, bytes: HubEvent.encodedSize) {
            .who(mask: echoed, entries: Array($0), more: $1, whox: options.whox)
        }
    }

    private func matches(_ mask: String, _ u: User) -> Bool {
        matches(mask, u.nick) || matches(mask, u.user) || matches(mask, u.host) || matches(mask, u.realName)
    }

    private func matches(_ mask: String, _ s: String) -> Bool {
        Names.maskMatches(mask: mask, s, casemapping: settings.casemapping)
    }
}
