#if canImport(Glibc)
import Glibc
#endif

extension SessionProcess {
    /// SIGTERM and SIGINT end the session with a goodbye; SIGHUP is taken and ignored.
    func handleSignals() {
        for sig in signals?.drain() ?? [] where sig == SIGTERM || sig == SIGINT {
            // A hub that died sends this as it goes (PR_SET_PDEATHSIG), its end of the channel
            // already closed: read all it left first (a burst is more than one read), so that
            // the user hears once, and rightly, that the server went away (or gets the hub's
            // own farewell, if it sent one). A crash is not a shutdown. Bounded: a live hub
            // may keep writing.
            var reads = 0
            while !output.hubGone && !output.isClosing && reads < 64 && readEvents() { reads += 1 }
            if output.isClosing { return }
            // The hub is still there: the signal was for this session (the operator, or a
            // service manager stopping the whole server).
            end(.serverShuttingDown)
        }
    }
}
