import ChatProtocol

/// INVITE: a channel member asks someone to join; the invitation lets them in once, past
/// `+i`, `+k`, `+l` and bans (as Ergo and InspIRCd do).
extension ChatState {
    /// Invitations a user holds at once; past it the oldest is forgotten.
    static let maxInvitations = 16

    func invite(_ id: Int, nick: String, channel name: String) {
        guard let target = session(named: nick), let invitee = users[target] else {
            return error(id, .noSuchNick, [nick], "No such nick/channel")
        }
        guard let ch = memberChannel(id, name) else { return }  // 403, 442
        if ch.modes.flags.contains(.inviteOnly) && ch.members[id] != true {
            return error(id, .chanOpPrivsNeeded, [ch.name], "You're not channel operator")
        }
        if ch.members[target] != nil {
            return error(id, .userOnChannel, [invitee.nick, ch.name], "is already on channel")
        }
        let key = fold(ch.name)
        var list = invitee.invitations.filter { $0 != key }
        list.append(key)
        users[target]!.invitations = Array(list.suffix(Self.maxInvitations))
        send(.inviting(channel: ch.name, nick: invitee.nick), to: id)
        let frame = HubEvent.invite(channel: ch.name, source: users[id]!.source, nick: invitee.nick, account: users[id]!.account ?? "").frame()
        send(frame, to: target)
        // The channel's other operators hear of it (IRC clients show it with invite-notify).
        broadcast(frame, in: ch) { $0 != id && $0 != target && ch.members[$0] == true }
    }

    /// The channels `id` is invited to, by their names, those that still exist (an invitation
    /// to a channel gone since lets into nothing worth listing).
    func invitations(_ id: Int) {
        guard let u = users[id] else { return }
        send(.invitations(channels: u.invitations.compactMap { channels[$0]?.name }), to: id)
    }
}
