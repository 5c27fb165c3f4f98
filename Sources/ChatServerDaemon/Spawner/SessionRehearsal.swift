import ChatPOSIX
import ChatProtocol

/// A dress rehearsal of two sessions, played by the spawner in itself before it forks the
/// first real one.
///
/// A forked session shares the spawner's pages until it writes to them, and most of what a
/// new session used to write was not its own state: the Swift runtime fills its metadata and
/// conformance caches on first use, the program's lazy globals and witness tables are set up
/// on first use. Each such write copies a whole page into the session. Played once in the
/// spawner, the same code paths leave those caches filled, in pages every session then
/// shares. (What the rehearsal frees leaves holes in the spawner's heap; the spawner plugs
/// them afterwards, `Proc.plugHeapHoles`, so a session's allocations land together at the top.)
///
/// The cast: a telnet user in line mode, one in character mode (the server edits their input
/// line) and an IRC client, in real `SessionProcess` objects, on socket pairs, with a real
/// `ChatState` as their hub. They register, join `#lobby`, talk, change nicks and topics,
/// and leave.
enum SessionRehearsal {
    /// The server's defaults, with no flood limit (the players type fast) and no quiet period.
    static let config = SessionConfig(serverName: "rehearsal", floodRate: 0, floodBurst: 20, queueLimit: 1 << 20,
                                      maxLineLength: 4096, registrationTimeout: 60, pingInterval: 120,
                                      pingTimeout: 60, quietPeriodMS: 0)

    /// What each client was sent, for the tests.
    struct Transcript {
        var human = ""
        var irc = ""
        var characterMode = ""
    }

    /// Plays the rehearsal; nil when socket pairs could not be made (no harm done: the
    /// sessions then warm up on their own).
    static func perform(config: SessionConfig = SessionRehearsal.config) -> Transcript? {
        _ = SessionProcess.handledSignals
        let stage = Stage()
        guard let human = stage.enter(config: config), let irc = stage.enter(config: config),
              let typist = stage.enter(config: config) else {
            stage.close()
            return nil
        }
        defer { stage.close() }
        // The IRC client speaks first; the human says nothing, so the quiet period (0 ms
        // here) makes it a person: greeting, nickname question.
        stage.type("CAP LS 302\r\nNICK bob\r\nUSER bob 0 * :Bob\r\n", by: irc)
        // Its Enter is CR LF, as a telnet client's in line mode: it is offered character
        // mode, and refuses, as a script that speaks telnet does.
        stage.type("zed\r\n", by: human)
        stage.type([255, 254, 1, 255, 254, 3, 255, 252, 31, 255, 252, 24], by: human)
        // A telnet client negotiates first, agrees to character mode, gives its window and
        // terminal, and types key by key, with edits, wide characters and history.
        stage.type([255, 251, 31, 255, 251, 24, 255, 253, 3], by: typist)
        stage.type([255, 253, 1, 255, 250, 31, 0, 80, 0, 24, 255, 240, 255, 250, 24, 0] + Array("XTERM".utf8) + [255, 240],
                   by: typist)
        stage.type(Array("kim".utf8) + [13, 0], by: typist)
        stage.type(Array("héllo 世界x".utf8) + [0x7F, 0x1B, 0x5B, 0x44, 0x1B, 0x5B, 0x43, 13, 0], by: typist)
        stage.type(Array("half".utf8), by: typist)
        stage.type("CAP REQ :server-time\r\nCAP END\r\nJOIN #lobby\r\n", by: irc)
        // A line outside ASCII: the hub's sanitiser makes its category summary once, here,
        // so that sessions share it rather than each making its own.
        stage.type("hello everyone\r\nça va? 😀\r\n", by: human)
        stage.type("PRIVMSG #lobby :hi zed, welcome\r\nNOTICE #lobby :a notice\r\n", by: irc)
        stage.type("PRIVMSG #lobby :\u{1}ACTION waves\u{1}\r\nPRIVMSG zed :psst\r\n", by: irc)
        stage.type("/me waves back\r\n/msg bob hi\r\n", by: human)
        stage.ping(irc)
        // A PING after requests waits for the hub's answers (a sync), as a /join's next line.
        stage.type("PONG :\(config.serverName)\r\nTOPIC #lobby :rehearsal\r\nNAMES #lobby\r\nPING :names\r\n", by: irc)
        stage.type("NICK bobby\r\nPART #lobby :brb\r\nJOIN #lobby\r\nWHO #lobby\r\n", by: irc)
        stage.type("/nick zed2\r\n/names\r\n/topic the topic\r\nfine, thanks\r\n/join #stage\r\nover here\r\n", by: human)
        stage.type([0x1B, 0x5B, 0x41, 0x01, 0x05, 0x17, 0x03, 13, 0, 4, 4], by: typist)
        stage.type("QUIT :bye\r\n", by: irc)
        return Transcript(human: stage.output(of: human), irc: stage.output(of: irc),
                          characterMode: stage.output(of: typist))
    }

    /// The players and their hub.
    private final class Stage: EventSink {
        struct Player {
            let session: SessionProcess
            let client: Int32   // the client's side of the session's socket
            let hubEnd: Int32   // the hub's side of the session's channel
            var requests = FrameDecoder()
            var received: [UInt8] = []
        }

        var players: [Player] = []
        var descriptors: [Int32] = []
        lazy var state = ChatState(
            settings: ChatSettings(serverName: "rehearsal", network: "rehearsal", version: "rehearsal",
                                   createdAt: 0, historyLength: 10, motd: ["Rehearsal."]),
            sink: self, clock: Proc.wallMillis)
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 16 * 1024, alignment: 16)

        deinit { scratch.deallocate() }

        func enter(config: SessionConfig) -> Int? {
            guard let (client, socket) = try? Socket.pair(nonBlocking: true) else { return nil }
            descriptors += [client, socket]
            guard let (hubEnd, channel) = try? Socket.pair(nonBlocking: true) else { return nil }
            descriptors += [hubEnd, channel]
            var quick = config
            quick.quietPeriodMS = 0
            let session = SessionProcess(config: quick, peer: SocketAddress.parse(numeric: "127.0.0.1:4444")!,
                                         socket: socket, hub: channel, signals: nil, utcOffset: Proc.utcOffsetSeconds())
            players.append(Player(session: session, client: client, hubEnd: hubEnd))
            let id = players.count - 1
            state.connect(session: id, host: "127.0.0.1")
            return id
        }

        func type(_ text: String, by id: Int) { type(Array(text.utf8), by: id) }

        func type(_ bytes: [UInt8], by id: Int) {
            try? FD.writeAll(players[id].client, bytes)
            settle()
        }

        func ping(_ id: Int) {
            let session = players[id].session
            session.conversation?.ping(output: &session.output)
            settle()
        }

        func output(of id: Int) -> String { String(decoding: players[id].received, as: UTF8.self) }

        /// Turns every session and the hub until nothing moves.
        func settle() {
            for _ in 0..<100 {
                var moved = false
                for id in players.indices {
                    _ = players[id].session.nextTimeoutMS()
                    _ = players[id].session.turn(timeoutMS: 0)
                    moved = readRequests(id) || moved
                    moved = readClient(id) || moved
                }
                if !moved { return }
            }
        }

        private func readRequests(_ id: Int) -> Bool {
            var moved = false
            while case .success(.done(let n)) = Result(catching: { () throws(SystemError) in
                try FD.read(players[id].hubEnd, into: scratch)
            }) {
                moved = true
                players[id].requests.append(UnsafeRawBufferPointer(rebasing: scratch[..<n]))
                while let request = try? players[id].requests.next({ try HubRequest(type: $0, payload: $1) }) {
                    state.handle(request, from: id)
                }
            }
            return moved
        }

        private func readClient(_ id: Int) -> Bool {
            var moved = false
            while case .success(.done(let n)) = Result(catching: { () throws(SystemError) in
                try FD.read(players[id].client, into: scratch)
            }) {
                moved = true
                players[id].received.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[..<n]))
            }
            return moved
        }

        func deliver(_ frame: [UInt8], to session: Int) {
            guard session < players.count else { return }
            try? FD.writeAll(players[session].hubEnd, frame)
        }

        func deliver(_ frame: [UInt8], toEach sessions: [Int]) {
            for s in sessions { deliver(frame, to: s) }
        }

        func close() {
            for id in players.indices { state.disconnect(session: id, reason: "rehearsal over") }
            players = []
            for fd in descriptors { FD.close(fd) }
            descriptors = []
        }
    }
}
