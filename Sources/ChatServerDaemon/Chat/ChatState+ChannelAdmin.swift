import ChatProtocol

/// What the server operator does to registered channels (the console's `freeze-channel`,
/// `unfreeze-channel`, `drop-channel`): each change is written through `channelStorage`
/// first, as ChanServ's are, and the channel's members are told by ChanServ.
extension ChatState {
    /// The registered channels, by name.
    func registeredChannels() -> [Channel] {
        charge(work: channels.count)
        return channels.values.filter { $0.registration != nil }.sorted { fold($0.name) < fold($1.name) }
    }

    var registeredChannelCount: Int { channels.values.reduce(0) { $0 + ($1.registration == nil ? 0 : 1) } }

    /// Freezes (only server operators may join it; ChanServ changes nothing in it) or
    /// unfreezes the registered channel `name`; returns it.
    func setChannelFrozen(_ name: String, _ frozen: Bool) -> Result<Channel, AdminError> {
        guard let ch = channels[fold(name)], let reg = ch.registration else { return .failure(.notFound) }
        guard reg.frozen != frozen else { return .failure(.unchanged) }
        ch.registration!.frozen = frozen
        guard save(ch, .row) else {
            ch.registration!.frozen = !frozen
            return .failure(.notWritten(nil))
        }
        let text = frozen ? "\(ch.name) is frozen by the server operator: nobody else can join it, and ChanServ changes nothing in it."
                          : "\(ch.name) is no longer frozen."
        broadcast(HubEvent.serviceNotice(service: Self.chanServ, text: text).frame(), in: ch)
        return .success(ch)
    }

    /// Unregisters the channel `name` (the console's `drop-channel`); returns its founder.
    /// Its members stay; an empty channel goes.
    func dropChannel(_ name: String) -> Result<(channel: String, founder: String), AdminError> {
        guard let ch = channels[fold(name)], let reg = ch.registration else { return .failure(.notFound) }
        guard unregister(ch) else { return .failure(.notWritten(nil)) }
        broadcast(HubEvent.serviceNotice(service: Self.chanServ, text: "\(ch.name) is no longer registered (dropped by the server operator).").frame(), in: ch)
        return .success((ch.name, reg.founder))
    }
}
