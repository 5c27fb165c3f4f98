import ChatPOSIX
import Glibc

/// Tests write to sockets and pipes whose other end may be gone already (a server that ended
/// a session, a client that quit, a program that exited): that must be an EPIPE error the test
/// can report, never SIGPIPE, whose default kills the whole test process and every test in it.
/// Touched by everything that starts a program or opens a connection.
public let brokenPipesAreErrors: Void = SignalQueue.ignore(SIGPIPE)
