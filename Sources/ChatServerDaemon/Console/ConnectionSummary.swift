#if canImport(Glibc)
import Glibc
#endif

/// A connection as the console lists it.
struct ConnectionSummary {
    var host: String
    var port: Int
    var pid: pid_t?

    /// `192.0.2.7:51514`, `[2001:db8::7]:51514`: as the console and the log show it.
    var address: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
