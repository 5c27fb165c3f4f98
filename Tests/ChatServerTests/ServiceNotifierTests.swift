@testable import ChatServerDaemon
import ChatPOSIX
import Testing
import TestSupport

/// What the hub tells systemd and when, in process: a stand-in host and a recording sender.
@Suite(.serialized, .compute) struct ServiceNotifierTests {
    final class Sent { var messages: [String] = [] }

    func notifier(watchdog: UInt64? = nil, result: Int32 = 1) -> (ServiceNotifier, Sent) {
        let sent = Sent()
        let n = ServiceNotifier(destination: "/run/systemd/notify", watchdogMicroseconds: watchdog) {
            sent.messages.append($0)
            return result
        }
        return (n, sent)
    }

    @Test func theStatusIsSentWhenItChangesAtMostOnceAnInterval() {
        let host = StandInConsoleHost()
        let (n, sent) = notifier()
        #expect(n.nextDeadline() == nil, "nothing to do before READY=1")
        n.ready(host: host)
        #expect(sent.messages == ["READY=1\nSTATUS=0 users, 0 channels, 0 connections"])
        let start = Proc.monotonicNanos()
        host.connect(1, "alice")
        n.tick(now: start, host: host)
        #expect(sent.messages.count == 1, "not before the interval: \(sent.messages)")
        guard let deadline = n.nextDeadline() else { Issue.record("no deadline for the status"); return }
        n.tick(now: deadline, host: host)
        #expect(sent.messages.last == "STATUS=1 user, 1 channel, 1 connection")
        // Unchanged: nothing more.
        n.tick(now: deadline + ServiceNotifier.statusInterval, host: host)
        #expect(sent.messages.count == 2)
    }

    @Test func theWatchdogIsPingedAtHalfItsTimeoutAndNeverInABusyLoop() {
        let host = StandInConsoleHost()
        let (n, sent) = notifier(watchdog: 10_000_000)
        #expect(n.pingInterval == 5_000_000_000)
        n.ready(host: host)
        #expect(sent.messages.first?.hasSuffix("\nWATCHDOG=1") == true)
        guard let next = n.nextDeadline() else { Issue.record("no ping deadline"); return }
        n.tick(now: next - 1, host: host)
        #expect(sent.messages.count == 1)
        n.tick(now: next + 2_000_000_000, host: host)
        #expect(sent.messages.last == "WATCHDOG=1")
        // The next ping counts from this one, not from a missed deadline (no burst after a stall).
        #expect(n.nextDeadline().map { $0 >= next + 2_000_000_000 } == true)
        #expect(notifier(watchdog: 1).0.pingInterval == ServiceNotifier.shortestPing)
        #expect(notifier(watchdog: .max).0.pingInterval == UInt64.max / 2)
    }

    @Test func aReloadIsBracketedAndItsFailureIsOneLine() {
        let host = StandInConsoleHost()
        let (n, sent) = notifier()
        n.ready(host: host)
        n.reloading(host: host)
        let fields = sent.messages.last!.split(separator: "\n")
        #expect(fields.first == "RELOADING=1")
        #expect(fields.contains { $0.hasPrefix("MONOTONIC_USEC=") && UInt64($0.dropFirst(15)) != nil })
        n.reloaded(host: host, error: "config file x, line 1:\nhistory takes a whole number")
        let ready = sent.messages.last!.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(ready.count == 2 && ready[0] == "READY=1", "\(ready)")
        #expect(ready.last?.hasPrefix("STATUS=reload failed, the old settings stay: config file x, line 1:") == true, "\(ready)")
    }

    @Test func stoppingEndsTheStatusButNotThePings() {
        let host = StandInConsoleHost()
        let (n, sent) = notifier(watchdog: 1_000_000)
        n.ready(host: host)
        n.shutdown(host: host)
        #expect(sent.messages.last == "STOPPING=1\nSTATUS=shutting down")
        host.connect(1, "alice")
        n.reloaded(host: host, error: nil)
        let far = Proc.monotonicNanos() + 10 * ServiceNotifier.statusInterval
        n.tick(now: far, host: host)
        #expect(sent.messages.last == "WATCHDOG=1", "\(sent.messages)")
        #expect(!sent.messages.dropFirst().contains { $0.contains("STATUS=1") || $0.hasPrefix("READY=1") })
    }

    @Test func aSenderThatFailsChangesNothing() {
        let host = StandInConsoleHost()
        let (n, sent) = notifier(watchdog: 1_000_000, result: -111)
        n.ready(host: host)
        n.tick(now: Proc.monotonicNanos() + 10 * ServiceNotifier.statusInterval, host: host)
        #expect(sent.messages.count == 2, "it keeps trying, quietly: \(sent.messages)")
    }
}
