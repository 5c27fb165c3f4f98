import Testing
@testable import ChatServerDaemon

/// Writes each config file text into `dir` and expects `Limits.apply(configFile:)` to refuse
/// it with an error that contains its message (one clear line, the file left unapplied).
func expectConfigRefused(_ cases: [(text: String, message: String)], in dir: String,
                         sourceLocation: SourceLocation = #_sourceLocation) throws {
    for (text, message) in cases {
        try text.write(toFile: dir + "/bad.conf", atomically: true, encoding: .utf8)
        var l = Limits(maxClients: 10, maxPerIP: 2, history: 5, floodRate: 5, floodBurst: 20, motdFile: nil)
        do {
            try l.apply(configFile: dir + "/bad.conf")
            Issue.record("accepted: \(text)", sourceLocation: sourceLocation)
        } catch {
            #expect("\(error)".contains(message), "\(error)", sourceLocation: sourceLocation)
        }
    }
}
