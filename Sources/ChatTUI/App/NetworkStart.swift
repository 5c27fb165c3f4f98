/// Everything needed to open one network: what the command line and the configuration file
/// chose for it (`ChatTUICommand.Connect.choose`), the TLS set-up, and where it logs.
struct NetworkStart {
    /// The name the user calls it by: `[networks.NAME]`'s, or `HOST:PORT`.
    var name: String
    var config: ClientConfig
    var host: String
    var port: Int
    var tls: ClientTLS?
    /// The directory of its log files (nil: no logs).
    var logDirectory: String?
}
