// fuzz-sources: Sources/ChatServerDaemon/Chat
//
// The hub's routing rules (`ChatState`, compiled into this binary with run.sh's `fuzz-sources`
// line) fed as a compromised session feeds them: every request comes through the decoder the
// hub uses (`HubRequest(type:payload:)`, with its limits), and what does not decode ends that
// session, as the hub ends it. The input is a list of records:
//
//     [op u8]                                 session = op & 7 + 1, action = op >> 3 & 7:
//                                             0 connect, 1 disconnect, 2 the clock moves on
//                                             (for session 8: a crowd arrives, once),
//     [op u8][type u8][length u16 LE][payload] 3...7 a request frame's type and payload
//
// Half of the runs start with three users registered and in #c (alice an operator), so short
// inputs reach messages, kicks and modes; alice and bob are logged in to their accounts, and
// alice has registered #c with ChanServ (bob on its access list), so that inputs reach
// ChanServ's commands and a registered channel that empties. A crowd is 130 more users in #c with long hosts and
// real names (longer than any real host), so that NAMES, WHO and LIST replies need several
// events and their rows are far bigger than usual: an input of a few bytes reaches them.
//
// Oracles:
// - nothing traps: no event the hub builds, whatever was asked, exceeds a frame
//   (`HubFrame.append`'s precondition), no index or unwrap fails;
// - every frame delivered is one whole frame that decodes as a `HubEvent`, goes to a
//   connected session, and a broadcast names no session twice;
// - the state stays consistent: every channel has members (a registered one may be empty), each a registered user who lists
//   the channel; voiced members are members; mode lists and invitations stay bounded; every user's channels exist and list the user; registered nicks are unique
//   under the casemapping and each is found by its name.

import ChatProtocol

final class CheckingSink: EventSink {
    weak var state: ChatState?  // the state holds its sink
    /// Sessions the hub has a slot for: connected once (the hub connects a session as it
    /// makes its slot, and keeps the slot after a quit until the process is gone).
    var slots = Set<Int>()

    func deliver(_ frame: [UInt8], to session: Int) {
        var d = FrameDecoder()
        d.append(frame)
        var event: HubEvent?
        do {
            guard try d.next({ type, payload in event = try HubEvent(type: type, payload: payload) }) != nil else {
                violation("a delivered frame is incomplete: \(hex(frame))")
            }
        } catch {
            violation("a delivered frame does not decode (\(error)): \(hex(frame))")
        }
        require(d.buffered == 0, "a delivery holds more than one frame")
        if case .sync? = event {
            // The barrier is answered after a quit too (a quitting session waits on it).
            require(slots.contains(session), "a sync for session \(session), which never connected")
        } else {
            require(state?.users[session] != nil, "a frame for session \(session), which is not connected")
        }
    }

    func deliver(_ frame: [UInt8], toEach sessions: [Int]) {
        require(Set(sessions).count == sessions.count, "a broadcast names a session twice: \(sessions)")
        for id in sessions { deliver(frame, to: id) }
    }
}

func checkConsistent(_ state: ChatState) {
    for (key, ch) in state.channels {
        require(!ch.members.isEmpty || ch.registration != nil, "channel \(ch.name) is empty but kept")
        require((ch.registration?.access.count ?? 0) <= ChannelRegistration.accessLimit, "\(ch.name)'s access list is over its bound")
        require(state.fold(ch.name) == key, "channel \(ch.name) filed under \(key)")
        for (id, _) in ch.members {
            guard let u = state.users[id] else { violation("channel \(ch.name) lists session \(id), which is gone") }
            require(u.registered, "channel \(ch.name) lists unregistered session \(id)")
            require(u.channels.contains(key), "\(u.nick) is in \(ch.name) but does not list it")
        }
        for id in ch.ircMembers { require(ch.members[id] != nil, "an IRC member of \(ch.name) is not a member") }
        for id in ch.voiced { require(ch.members[id] != nil, "a voiced member of \(ch.name) is not a member") }
        for letter in ["b", "e", "I"] as [Character] {
            require(ch.modes.list(letter).count <= ChannelModes.listLimit, "\(ch.name)'s +\(letter) list is over its bound")
        }
    }
    var seen = Set<String>()
    for (id, u) in state.users {
        for key in u.channels {
            require(state.channels[key]?.members[id] != nil, "\(u.nick) lists \(key), which does not list them")
        }
        require(u.invitations.count <= ChatState.maxInvitations, "\(u.nick) holds too many invitations")
        guard u.registered else { continue }
        require(seen.insert(state.fold(u.nick)).inserted, "two users are named \(u.nick)")
        require(state.session(named: u.nick) == id, "\(u.nick) is not found by name")
    }
    require(state.registeredCount == seen.count, "\(state.registeredCount) nicks for \(seen.count) registered users")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = inputBytes(data, size)
    var rng = SplitMix(input)
    let sink = CheckingSink()
    var now: Int64 = 1_764_300_000_000
    let settings = ChatSettings(serverName: "fuzz.server", network: "fuzz", version: "v", createdAt: 0,
                                historyLength: 3, motd: ["line"])
    let state = ChatState(settings: settings, sink: sink, clock: { now })
    sink.state = state

    if rng.below(2) == 1 {
        for (id, nick) in [(1, "alice"), (2, "bob"), (3, "carol")] {
            state.connect(session: id, host: "10.0.0.\(id)")
            sink.slots.insert(id)
            state.handle(.hello(dialect: id == 2 ? .irc : .human), from: id)
            state.handle(.register(nick: nick, user: nick, realName: "R"), from: id)
            state.handle(.join(channels: ["#c"]), from: id)
        }
        for (id, nick) in [(1, "alice"), (2, "bob")] {
            state.accounts[nick] = Account(name: nick, hash: "H", registeredAt: 1)
            state.logIn(id, account: nick)
        }
        state.handle(.message(kind: .privmsg, target: "ChanServ", text: "REGISTER #c"), from: 1)
        state.handle(.message(kind: .privmsg, target: "ChanServ", text: "ACCESS #c ADD bob OP"), from: 1)
        require(state.channels["#c"]?.registration?.access.count == 1, "the preset did not register #c")
    }
    checkConsistent(state)

    var i = 0
    while i < input.count {
        let op = input[i]
        i += 1
        let id = Int(op & 7) + 1
        switch (op >> 3) & 7 {
        case 0:
            if state.users[id] == nil {
                state.connect(session: id, host: "10.0.0.\(id)")
                sink.slots.insert(id)
            }
        case 1:
            state.disconnect(session: id, reason: "Connection closed")
        case 2 where id == 8:
            if state.users[100] == nil {
                let host = String(repeating: "h", count: 400)
                for crowd in 100..<230 {
                    state.connect(session: crowd, host: host + "\(crowd)")
                    sink.slots.insert(crowd)
                    state.handle(.register(nick: "crowd\(crowd)", user: "u", realName: String(repeating: "r", count: 200)), from: crowd)
                    state.handle(.join(channels: ["#c", "#crowd\(crowd % 40)"]), from: crowd)
                }
            }
        case 2:
            now += 61_000
        default:
            let type = i < input.count ? input[i] : 0
            var length = i + 1 < input.count ? Int(input[i + 1]) : 0
            if i + 2 < input.count { length |= Int(input[i + 2]) << 8 }
            let start = min(i + 3, input.count)
            let end = min(start + length, input.count)
            i = end
            // As the hub: a frame that does not decode, or breaks a limit, ends its session.
            // No session sends before the hub has made its slot (and connected it).
            guard sink.slots.contains(id) else { break }
            let request: HubRequest? = input[start..<end].withUnsafeBytes { try? HubRequest(type: type, payload: $0) }
            if let request {
                state.handle(request, from: id)
            } else {
                state.disconnect(session: id, reason: "Session error (corrupt frame)")
            }
        }
        checkConsistent(state)
    }
    return 0
}
