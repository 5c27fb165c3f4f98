#if canImport(Glibc)
import Glibc
#endif

/// A connection as the console lists it.
struct ConnectionSummary {
    var host: String
    var port: Int
    var pid: pid_t?
}
