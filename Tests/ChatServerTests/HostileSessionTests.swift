import ChatPOSIX
import ChatProtocol
import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A compromised session: well-formed frames written straight into a session's channel to the
/// hub, past its dialect and its flood control. The hub must survive, end only that session,
/// and keep delivering to everyone else.
@Suite(.serialized) struct HostileSessionTests {
    @Test func aNamesRequestNearTheFrameLimitEndsOnlyThatSession() async throws {
        let server = try await ServerProcess()
        let alice = try await humanUser(server, nick: "alice")
        let (mallory, pid) = try await newSession(server) { try await humanUser(server, nick: "mallory") }
        defer { withExtendedLifetime(mallory) {} }
        try await alice.expect("mallory joined")
        let name = "#" + String(repeating: "x", count: HubFrame.maxPayload - 5)
        try writeFrames(HubRequest.names(channel: name).frame(), into: pid)
        try await alice.expect("mallory quit")
        try await server.waitForLog("names channel of 65532 bytes is over the limit of 512")
        let carol = try await humanUser(server, nick: "carol")
        try await alice.expect("carol joined")
        try carol.line("hello")
        try await alice.expect("<carol> hello")
    }
}

/// Writes `bytes` into session `pid`'s channel to the hub (its fd 4), as the session would.
func writeFrames(_ bytes: [UInt8], into pid: pid_t) throws {
    let fd = try Proc.copyDescriptor(of: pid, 4)
    defer { close(fd) }
    try FD.writeAll(fd, bytes)
}

