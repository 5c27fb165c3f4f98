#if canImport(Glibc)
import Glibc
#endif

extension SessionProcess {
    /// SIGTERM and SIGINT end the session with a goodbye; SIGHUP is taken and ignored.
    func handleSignals() {
        for sig in signals?.drain() ?? [] where sig == SIGTERM || sig == SIGINT {
            // A hub that died sends this as it goes (PR_SET_PDEATHSIG), its end of the channel
            // already closed: read what it left first, so that the user hears once, and rightly,
            // that the server went away (or gets the hub's own farewell, if it sent one).
            if !output.hubGone { readEvents() }
            if output.isClosing { return }
            // The operator signalled this session directly.
            end(.serverShuttingDown)
        }
    }
}
