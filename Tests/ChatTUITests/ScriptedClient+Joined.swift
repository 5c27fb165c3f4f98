@testable import ChatTUI

extension ScriptedClient {
    /// Registered, and in `channel` (its JOIN echoed), with nothing sent yet to look at.
    static func joined(_ channel: String) -> ScriptedClient {
        var t = ScriptedClient.registered(channels: [channel])
        t.recv(":me!u@h JOIN \(channel)")
        _ = t.sent()
        return t
    }
}
