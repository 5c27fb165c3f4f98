import Foundation
import Synchronization
import Testing

/// A suite trait for suites whose tests compute and never wait (most unit tests): such a suite
/// runs only while it holds one of as many places as the machine has cores.
///
/// Serialized suites still run side by side (see Waiting.swift), and a test's body waits in the
/// pool's queue behind the bodies of every suite running at that moment: with some seventy
/// unit suites at once, a test of a millisecond reported the time of a round of them all. Few
/// at a time, it reports about its own cost. The suite's own duration includes its wait for a
/// place; the tests' durations do not. The suites that drive programs do not take a place:
/// they spend their time waiting, not computing.
public struct ComputeSuite: SuiteTrait, TestScoping {
    public var isRecursive: Bool { false }

    public func scopeProvider(for test: Test, testCase: Test.Case?) -> ComputeSuite? {
        test.isSuite && testCase == nil ? self : nil
    }

    public func provideScope(for test: Test, testCase: Test.Case?,
                             performing function: @Sendable () async throws -> Void) async throws {
        await Self.places.take()
        defer { Self.places.give() }
        try await function()
    }

    private static let places = Places(ProcessInfo.processInfo.activeProcessorCount)
}

extension Trait where Self == ComputeSuite {
    /// See `ComputeSuite`.
    public static var compute: ComputeSuite { ComputeSuite() }
}

/// A counting semaphore for tasks: `take` waits (suspended, holding no thread) for a place.
private final class Places: Sendable {
    private struct State {
        var free: Int
        var waiting: [CheckedContinuation<Void, Never>] = []
    }
    private let state: Mutex<State>

    init(_ count: Int) { state = Mutex(State(free: max(count, 1))) }

    func take() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s in
                if s.free > 0 { s.free -= 1; return true }
                s.waiting.append(c)
                return false
            }
            if now { c.resume() }
        }
    }

    func give() {
        let next = state.withLock { s -> CheckedContinuation<Void, Never>? in
            if s.waiting.isEmpty { s.free += 1; return nil }
            return s.waiting.removeFirst()
        }
        next?.resume()
    }
}
