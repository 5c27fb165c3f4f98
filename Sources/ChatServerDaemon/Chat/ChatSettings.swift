import ChatProtocol

/// Limits and names the routing rules need.
struct ChatSettings {
    var serverName: String
    var network: String
    var version: String
    var createdAt: Int64
    var historyLength: Int
    /// Bytes of history kept over all channels; past it the oldest lines go first, whichever
    /// channel holds them (`HistoryLedger`).
    var historyMemory = 64 << 20
    var motd: [String]?
    var nickLength = 30
    var channelLength = 50
    var topicLength = 390
    var awayLength = 200
    var kickLength = 255
    /// A quit reason's bytes, the session's "Quit: " included.
    var quitLength = 300
    var maxChannelsPerUser = 50
    /// Above this many members, people get no join/part/quit/nick notices (`ChatState.isQuiet`).
    var quietChannelSize = 50
    var casemapping: CaseMapping = .ascii

    /// Targets of one PRIVMSG or NOTICE (ISUPPORT MAXTARGETS); IRC sessions refuse the rest.
    static let maxTargets = 4

    var isupport: [String] {
        [
            "AWAYLEN=\(awayLength)", "CASEMAPPING=ascii", "CHANLIMIT=#:\(maxChannelsPerUser)",
            "CHANMODES=,,,n", "CHANNELLEN=\(channelLength)", "CHANTYPES=#", "KICKLEN=\(kickLength)",
            "MAXTARGETS=\(Self.maxTargets)", "NAMELEN=\(ChatState.realNameLimit)", "NETWORK=\(network)",
            "NICKLEN=\(nickLength)", "PREFIX=(o)@",
            // IRCv3 labeled-response and clients send to several targets by this.
            "TARGMAX=NOTICE:\(Self.maxTargets),PRIVMSG:\(Self.maxTargets),TAGMSG:\(Self.maxTargets)",
            "TOPICLEN=\(topicLength)", "UTF8ONLY",
        ]
    }
}
