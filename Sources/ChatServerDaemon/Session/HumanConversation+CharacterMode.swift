import ChatProtocol

/// What a person in character mode sees differently: their own messages as the hub echoes
/// them (`[12:34] <alice> hi`, `-> *bob* psst`), colour where the terminal has it, mentions
/// marked.
extension HumanConversation {
    func terminalChanged(characterMode: Bool, colour: Bool, output: inout SessionOutput) {
        colourCapable = colour
        guard characterMode != self.characterMode else { return }
        self.characterMode = characterMode
        // The hub's echo of our own messages: only in character mode, where the typed line
        // is not left on the screen as typed.
        output.request(.capabilities(names: characterMode ? [IRCCapability.echoMessage.rawValue] : []))
    }

    func showsTypedLine(_ bytes: [UInt8]) -> Bool {
        guard characterMode, case .chatting = stage, passwordFor == nil, nickServAsking == nil else { return true }
        switch HumanInput.parse(TextSafety.repairUTF8(bytes)) {
        case .say, .me: return currentChannel == nil
        case .msg: return false
        case .oper(_, let password): return password == nil  // never shown
        case .nickServ: return false  // `/register PASSWORD`, `/identify NAME PASSWORD`: never shown
        default: return true
        }
    }

    static let maxNicksHere = 512

    var completionNames: (nicks: [String], channels: [String], commands: [String]) {
        (nicksHere, channels, HumanText.commandNames)
    }

    /// Keeps `nicksHere` up to date with the current channel's comings and goings.
    func trackNicks(_ event: HubEvent) {
        func add(_ n: Substring) {
            guard nicksHere.count < Self.maxNicksHere, !nicksHere.contains(where: { CaseMapping.ascii.equal($0, String(n)) }) else { return }
            nicksHere.append(String(n))
        }
        func remove(_ n: Substring) { nicksHere.removeAll { CaseMapping.ascii.equal($0, String(n)) } }
        switch event {
        case .names(let channel, let members, _, _) where channel == currentChannel:
            for m in members { add(m.nick[...]) }
        case .join(let channel, let source, _):
            if CaseMapping.ascii.equal(String(nickOf(source)), nick) { nicksHere = [] } else if channel == currentChannel { add(nickOf(source)) }
        case .part(let channel, let source, _) where channel == currentChannel: remove(nickOf(source))
        case .kick(let channel, _, let target, _) where channel == currentChannel: remove(target[...])
        case .quit(let source, _): remove(nickOf(source))
        case .nick(let source, let newNick):
            if let i = nicksHere.firstIndex(where: { CaseMapping.ascii.equal($0, String(nickOf(source))) }) { nicksHere[i] = newNick }
        default: break
        }
    }

    /// A line of `event` as the terminal shows it in character mode.
    func styled(_ line: String, _ event: HubEvent) -> String {
        guard case .message(let source, _, _, let text, _, _, _, _) = event else { return line }
        let from = nickOf(source)
        let mine = CaseMapping.ascii.equal(String(from), nick)
        return HumanStyle.message(line, from: mine && line.hasPrefix("->") ? "" : from,
                                  mentions: !mine && HumanStyle.mentions(text, nick: nick),
                                  colour: colourCapable && colourWanted)
    }

    func setColour(_ on: Bool, _ output: inout SessionOutput) {
        guard characterMode && colourCapable else { return output.sendLine(HumanText.colourUnavailable) }
        colourWanted = on
        output.sendLine(on ? HumanText.colourOn : HumanText.colourOff)
    }

    /// In line mode a private message is confirmed at once (`-> *bob* psst`); in character
    /// mode the hub's echo shows it. A message to NickServ carries a password: never shown.
    func confirmPrivate(to target: String, text: String, _ output: inout SessionOutput) {
        guard !characterMode, target.utf8.first != UInt8(ascii: "#"), !CaseMapping.ascii.equal(target, "NickServ") else { return }
        output.sendLine(HumanText.sentPrivately(kind: .privmsg, to: TextSafety.sanitize(target), text: TextSafety.sanitize(text)))
    }
}
