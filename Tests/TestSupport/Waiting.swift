import Foundation

// How the tests wait, and why every suite is `.serialized`.
//
// Swift Testing runs test bodies on a pool of one thread per core and reports a test's
// duration from the moment it posts the test's start to the moment it posts its end. In a
// suite that runs its tests in parallel it posts the start of every test at once, and each
// test's end waits in the pool's queue behind every body queued before it: the tests all
// report about the same figure (55 s for some 480 of them, when waits blocked the pool). So
// every suite is `.serialized`: its tests start one after the other and each reports its own
// duration, while the suites still run side by side and keep the cores busy (unit suites, which
// compute, also take `.compute`: a few at a time, see ComputeSuite). And no test holds
// a pool thread while it waits (usleep, a blocking poll, read or waitpid): it checks without
// blocking, and sleeps here between checks.

/// Checks `condition` until it holds or `timeout` seconds have passed, sleeping `interval`
/// between checks without holding a thread; whether it held. Checks at least once.
public func waitUntil(timeout: Double, every interval: Duration = .milliseconds(20),
                      _ condition: () throws -> Bool) async rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while true {
        if try condition() { return true }
        if Date() >= deadline { return false }
        await pause(interval)
    }
}

/// Sleeps for `duration` without holding a thread (a cancelled test ends its sleep early).
public func pause(_ duration: Duration) async {
    try? await Task.sleep(for: duration)
}
