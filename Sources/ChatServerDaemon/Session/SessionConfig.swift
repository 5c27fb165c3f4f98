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
}
