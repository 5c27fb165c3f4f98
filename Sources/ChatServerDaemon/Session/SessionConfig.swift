/// What a session needs to know, fixed at fork time.
struct SessionConfig {
    var serverName: String
    var floodRate: Double
    var floodBurst: Int
    var queueLimit: Int
    var maxLineLength: Int
    var registrationTimeout: Int
    var pingInterval: Int
    var pingTimeout: Int
    var quietPeriodMS: Int
    /// LINKS, WHOIS and ADMIN's answers.
    var about = ServerAbout()
    /// The TLS port this session's client reached; 0 on a plain port.
    var tlsPort = 0
    /// The TLS port a plain port's IRC clients are told of (IRCv3 `sts`); 0 for none.
    var stsPort = 0
    /// On a TLS port, the `duration=` of IRCv3 `sts`: seconds the client is to keep to TLS.
    var stsDuration = 0
}
