import ChatPOSIX
import ChatProtocol
import ChatTLS
import Glibc

/// Forks sessions for the hub.
///
/// A fork costs in proportion to the forking process: its page tables are copied, its
/// descriptor table is copied, and the new session must then close every descriptor it
/// inherited. Forked from a hub that holds 10,000 sessions, that was most of the cost of a
/// connection, and it grew with every connection. The spawner is forked from the hub when the
/// hub starts, before anyone connects, so it is small, holds one descriptor of its own, and
/// forks in constant time; and a session forked from it shares the spawner's few pages rather
/// than copies of the hub's busy ones.
///
/// Each session is forked with CLONE_PARENT (`Proc.forkSibling`): its parent is the spawner's
/// parent, the hub, so the hub is the parent of every session and reaps and signals them, and
/// one process is created per connection. (Until 2026-12 a short-lived intermediate process
/// forked the session and exited, and the hub, a child subreaper, adopted it: two forks per
/// connection, and the session waited for its adoption.) The hub passes the client's socket and the session's end of its socket pair with
/// each request (SCM_RIGHTS over a sequenced-packet socket pair). Requests and replies are
/// hub frames (`HubFrame`, types `spawnerRequest` and `spawnerReply`), one to a packet.
///
/// The spawner is a fresh start of this program (`chat-server --session-spawner HUBPID`, its
/// channel on descriptor 3), not just a fork of the hub: a session shares the spawner's pages
/// until it writes to them, so the spawner gets ready to be copied cheaply. It binds every
/// symbol at start, plays a rehearsal of two sessions in itself (`SessionRehearsal`), and then
/// fills every hole in its heap, so a new session writes almost nothing it inherited: its own
/// objects land together in fresh pages at the top of the heap. An idle telnet user's session
/// costs about 13 private pages that way, against 41 when sessions were forked from a spawner
/// that was a copy of the hub.
enum Spawner {
    /// spawner → hub, one message per request: which request, the session's pid (0 when a
    /// fork failed) and the errno of the failure.
    struct Reply: Equatable {
        var spawn: UInt32
        var pid: pid_t
        var errno: Int32

        var bytes: [UInt8] {
            HubFrame.make(type: HubMessageType.spawnerReply.rawValue) { w in
                w.u32(spawn)
                w.u32(UInt32(bitPattern: pid))
                w.u32(UInt32(bitPattern: errno))
            }
        }

        init(spawn: UInt32, pid: pid_t, errno: Int32) {
            self.spawn = spawn
            self.pid = pid
            self.errno = errno
        }

        init?(_ raw: UnsafeRawBufferPointer) {
            let fields = FrameDecoder.onlyFrame(in: raw) { type, payload -> (UInt32, UInt32, UInt32)? in
                guard type == HubMessageType.spawnerReply.rawValue else { return nil }
                var r = BinaryReader(payload)
                guard let s = try? r.u32(), let p = try? r.u32(), let e = try? r.u32(), r.remaining == 0 else { return nil }
                return (s, p, e)
            }
            guard let (s, p, e) = fields else { return nil }
            spawn = s
            pid = pid_t(bitPattern: p)
            errno = Int32(bitPattern: e)
        }
    }

    /// hub → spawner: which request, and the session's settings (they change on SIGHUP).
    static func request(spawn: UInt32, config: SessionConfig) -> [UInt8] {
        HubFrame.make(type: HubMessageType.spawnerRequest.rawValue) { w in
            w.u32(spawn)
            config.encode(to: &w)
        }
    }

    /// A request as `request(spawn:config:)` wrote it; nil for anything else.
    static func parseRequest(_ raw: UnsafeRawBufferPointer) -> (spawn: UInt32, config: SessionConfig)? {
        FrameDecoder.onlyFrame(in: raw) { type, payload -> (spawn: UInt32, config: SessionConfig)? in
            guard type == HubMessageType.spawnerRequest.rawValue else { return nil }
            var r = BinaryReader(payload)
            guard let spawn = try? r.u32(), let config = try? SessionConfig(from: &r), r.remaining == 0 else { return nil }
            return (spawn, config)
        }
    }

    /// Forks the spawner. Returns its pid and the hub's end of its channel (non-blocking).
    static func start() throws(SystemError) -> (pid: pid_t, channel: Int32) {
        let hubPID = Proc.pid
        return try Proc.forkHelper(channelFD: channelFD) {
            // A fresh image of this program, so the spawner's heap holds nothing of the
            // hub's (see `SessionRehearsal`); where that fails, it serves as forked.
            // LD_BIND_NOW: every symbol is bound as the spawner starts, so no session writes
            // (and so copies) a page of the program's or a library's linkage tables. No
            // per-thread malloc cache: its free chunks would be scattered over the spawner's
            // heap, and a session reusing them copies each of their pages.
            let tunables = ["glibc.malloc.tcache_count=0", Proc.environment("GLIBC_TUNABLES")].compactMap { $0 }
            let error = Proc.restartSelf([Proc.programName, argument, String(hubPID)],
                                         setting: ["LD_BIND_NOW": "1", "GLIBC_TUNABLES": tunables.joined(separator: ":")])
            FD.writeAllIgnoringErrors(2, "chat-server: the session spawner could not restart itself (\(error)); it forks sessions as it is\n")
            serve(hubPID: hubPID)
        }
    }

    static let channelFD: Int32 = 3

    /// The argument that starts this program as the spawner: `chat-server --session-spawner HUBPID`,
    /// with its channel to the hub on descriptor 3.
    static let argument = "--session-spawner"

    /// In `main`, before the command line is parsed: when this process is the spawner the hub
    /// started, serve (never returns); when someone typed the argument, say it is not theirs.
    static func serveIfStarted(arguments: [String]) {
        guard arguments.count >= 2, arguments[1] == argument else { return }
        guard arguments.count == 3, let hubPID = pid_t(arguments[2]), hubPID == Proc.parentPID,
              Socket.isSequencedPacket(channelFD) else {
            FD.writeAllIgnoringErrors(2, "chat-server: \(argument) is for chat-server's own use (it starts the process that forks sessions)\n")
            Proc.exitImmediately(64)
        }
        serve(hubPID: hubPID)
    }

    /// The spawner's loop: one request at a time, until the hub closes its end. Its channel
    /// is descriptor 3; stdin, stdout and stderr are the hub's (a session frees 0 and 1
    /// itself, after taking its signalfd); nothing else is open.
    private static func serve(hubPID: pid_t) -> Never {
        Proc.dieWithParent(SIGKILL)
        if Proc.parentPID != hubPID { Proc.exitImmediately(1) }
        Proc.setName("chat-spawner")
        // The exec made it dumpable again: no core dump of every connection's socket, and no
        // other process of the same user (nobody may be shared) may trace it or read its memory.
        Proc.disableCoreDumps()
        // Ctrl-C on the server's terminal is for the hub, which shuts down gracefully; the
        // spawner and the sessions (forked from it) get their orders from the hub.
        Proc.startOwnProcessGroup()
        // The spawner has no children of its own to wait for (sessions are the hub's, and a
        // session resets this in itself); the rehearsal's, if any, are reaped by the kernel.
        SignalQueue.ignore(SIGCHLD)
        // Room for the certificate's frame (`ServerCertificate.frame`), the largest.
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: HubFrame.maxPayload + 64, alignment: 8)
        var tls: TLSContext?
        let probe = SandboxProbe.fromEnvironment()
        var forked = 0
        _ = SessionRehearsal.perform()
        Proc.plugHeapHoles()
        while true {
            let received = Result { () throws(SystemError) in try Socket.receive(channelFD, into: buffer) }
            guard case .success(let (result, fds)) = received, case .done(let n) = result else {
                // The hub closed its end (or the channel failed): nothing more to do.
                Proc.exitImmediately(0)
            }
            let packet = UnsafeRawBufferPointer(rebasing: buffer[..<n])
            if fds.isEmpty, let context = ServerCertificate.context(fromFrame: packet) {
                tls = context
                // Warm OpenSSL for the sessions, then plug the holes the context and the
                // rehearsal left, as after the first rehearsal.
                _ = SessionRehearsal.performTLS(context: context)
                Proc.plugHeapHoles()
                continue
            }
            guard fds.count == 2, let (spawn, config) = parseRequest(packet) else {
                for fd in fds { FD.close(fd) }
                continue
            }
            forked += 1
            let probed = probe.flatMap { $0.session == nil || $0.session == forked ? $0.probe : nil }
            spawnSession(spawn: spawn, socket: fds[0], hubEnd: fds[1], hubPID: hubPID, config: config, tls: tls, probe: probed)
            FD.close(fds[0])
            FD.close(fds[1])
        }
    }

    private static func reply(_ r: Reply) {
        _ = try? Socket.send(channelFD, r.bytes)
    }

    private static func spawnSession(spawn: UInt32, socket: Int32, hubEnd: Int32, hubPID: pid_t, config: SessionConfig,
                                     tls: TLSContext?, probe: SandboxProbe?) {
        let utcOffset = Proc.utcOffsetSeconds()
        // The session is the hub's child at once (CLONE_PARENT): one process created per
        // connection, not an intermediate too, and nothing to wait for before it may start.
        switch Result(catching: { () throws(SystemError) in try Proc.forkSibling() }) {
        case .failure(let error):
            reply(Reply(spawn: spawn, pid: 0, errno: error.errno))
        case .success(.parent(let session)):
            reply(Reply(spawn: spawn, pid: session, errno: 0))
        case .success(.child):
            // A hub that died meanwhile left us to someone else: nobody to serve.
            guard Proc.parentPID == hubPID, let peer = try? Socket.peerAddress(socket) else { Proc.exitImmediately(1) }
            SessionProcess.start(socket: socket, hub: hubEnd, hubPID: hubPID, peer: peer, config: config,
                                 utcOffset: utcOffset, tls: tls, probe: probe)
        }
    }
}
