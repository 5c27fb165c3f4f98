import ChatPOSIX

#if canImport(Glibc)
import Glibc
#endif

/// Setting up IRC links for the small scenarios (`AmplificationBench`, `AccountsBench`):
/// connect and register, read until a condition holds, answer PINGs and note replies.
extension AmplificationBench.Link {
    /// Connects and registers everyone in `nicks` (NICK/USER, then 001).
    static func connect(_ nicks: [String], to target: SocketAddress, realName: String,
                        buffer: UnsafeMutableRawBufferPointer) throws -> [AmplificationBench.Link] {
        var links: [AmplificationBench.Link] = []
        for nick in nicks {
            let fd = try Socket.connect([target])
            try FD.setNonBlocking(fd)
            let l = AmplificationBench.Link(fd: fd, nick: nick)
            l.send("NICK \(nick)\r\nUSER \(nick) 0 * :\(realName)\r\n")
            links.append(l)
        }
        try wait(links, "\(nicks.count) clients to register", buffer: buffer) { $0.welcomed }
        return links
    }

    /// Reads from `links` until `done` holds for each and nothing arrived for `quietMS`
    /// (two minutes at most); `count` sees every line first.
    static func wait(_ links: [AmplificationBench.Link], _ what: String, quietMS: UInt64 = 200,
                     buffer: UnsafeMutableRawBufferPointer, _ done: (AmplificationBench.Link) -> Bool,
                     count: (ArraySlice<UInt8>) -> Void = { _ in }) throws {
        let deadline = Proc.monotonicNanos() + 120_000_000_000
        var quietSince = Proc.monotonicNanos()
        while Proc.monotonicNanos() < deadline {
            var fds = links.map { pollfd(fd: $0.fd, events: Poll.readable, revents: 0) }
            _ = try Poll.wait(&fds, timeoutMS: 50)
            var any = false
            for (i, l) in links.enumerated() where fds[i].revents != 0 {
                any = true
                guard l.read(buffer, { line in count(line); l.note(line) }) else {
                    throw BenchError("\(l.nick) was disconnected while waiting for \(what)")
                }
            }
            if any { quietSince = Proc.monotonicNanos() }
            if links.allSatisfy(done) && Proc.monotonicNanos() - quietSince >= quietMS * 1_000_000 { return }
        }
        throw BenchError("timed out waiting for \(what)")
    }

    /// Answers a PING; notes a welcome (001), a join (366) and NickServ's answer (900 or a notice).
    func note(_ line: ArraySlice<UInt8>) {
        let words = line.split(separator: 0x20, maxSplits: 2)
        guard words.count >= 2 else { return }
        if words[0].elementsEqual("PING".utf8) {
            send("PONG \(String(decoding: words[1], as: UTF8.self))\r\n")
        } else if words[1].elementsEqual("001".utf8) {
            welcomed = true
        } else if words[1].elementsEqual("366".utf8) {
            joined += 1
        } else if words[1].elementsEqual("900".utf8)
                    || (words[1].elementsEqual("NOTICE".utf8) && words[0].starts(with: ":NickServ!".utf8)) {
            answered = true
        }
    }
}
