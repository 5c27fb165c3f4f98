import Foundation

// Swift Testing runs tests on a pool of one thread per core, and a test's duration in the
// log runs from its start to its end as the pool gets round to them. A test that blocks a
// pool thread while it waits (usleep, a blocking poll or waitpid) holds up every other test
// and their durations with it. So tests wait here: a non-blocking check, then a sleep that
// gives the thread back, until the check holds or the deadline passes.

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

/// Sleeps `seconds` without holding a thread.
public func pause(seconds: Double) async {
    await pause(.milliseconds(Int(seconds * 1000)))
}
