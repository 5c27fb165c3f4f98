import Foundation
import Testing

/// A suite trait for suites whose tests compute and never wait (most unit tests): such a suite
/// runs only while it holds one of as many places as the machine has cores.
///
/// Serialized suites still run side by side (see Waiting.swift), and a test's body waits in the
/// pool's queue behind the bodies of every suite running at that moment: with some seventy
/// unit suites at once, a test of a millisecond reported the time of a round of them all. Few
/// at a time, it reports about its own cost. The suite's own duration includes its wait for a
/// place; the tests' durations do not. The suites that drive programs do not take a place:
/// they spend their time waiting, not computing. Not for a suite inside another `.compute`
/// suite: it would wait for a place its parent may hold.
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

    private static let places = AsyncSemaphore(ProcessInfo.processInfo.activeProcessorCount)
}

extension Trait where Self == ComputeSuite {
    /// See `ComputeSuite`.
    public static var compute: ComputeSuite { ComputeSuite() }
}
