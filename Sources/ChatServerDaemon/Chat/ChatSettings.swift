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
    /// How long channel lines are kept on disk (`--history-days`), in milliseconds.
    var historyRetention: Int64 = 7 * 86_400_000
    /// Private messages are kept with them (`--history-private`; ChatState+PrivateHistory).
    var historyPrivate = false
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
    /// Who may become a server operator, from the config file (`oper = NAME HASH [MASK]`).
    var operators: [OperatorBlock] = []
    /// Seconds a user on a registered nick has to identify before being renamed to a guest
    /// nick (`--nick-grace`); 0: registered nicks are not enforced (REGAIN still works).
    var nickGrace = 60

    /// Targets of one PRIVMSG or NOTICE (ISUPPORT MAXTARGETS); IRC sessions refuse the rest.
    static let maxTargets = 4
    /// Mode changes with a parameter in one MODE line (ISUPPORT MODES); the hub ignores the rest.
    static let modesPerLine = HumanInput.modesPerLine

    /// ISUPPORT TARGMAX: the targets of one command (none: as many as the line holds).
    /// KICK takes one channel (and several nicks).
    static let targmax = "JOIN:,KICK:\(maxTargets),LIST:,NAMES:,NOTICE:\(maxTargets),PART:,PRIVMSG:\(maxTargets),TAGMSG:\(maxTargets),WHOIS:\(maxTargets)"

    /// The channel telnet users are put in, named to IRC clients by ISUPPORT `DEFCHAN` so that
    /// they can land there too when their user named none (chat-tui does).
    static let defaultChannel = "#lobby"

    var isupport: [String] {
        [
            "AWAYLEN=\(awayLength)", "CASEMAPPING=ascii", "CHANLIMIT=#:\(maxChannelsPerUser)",
            "CHANMODES=beI,k,l,imnst", "CHANNELLEN=\(channelLength)", "CHANTYPES=#", "EXCEPTS=e", "INVEX=I",
            "KICKLEN=\(kickLength)", "MAXLIST=beI:\(ChannelModes.listLimit)", "MAXTARGETS=\(Self.maxTargets)",
            "MODES=\(Self.modesPerLine)", "NAMELEN=\(ChatState.realNameLimit)", "NETWORK=\(network)",
            "NICKLEN=\(nickLength)", "PREFIX=(ov)@+", "TOPICLEN=\(topicLength)", "UTF8ONLY", "WHOX",
            // LIST's filters (ChatState+List.swift); how many targets each command takes.
            "ELIST=MNU", "TARGMAX=\(Self.targmax)", "MONITOR=\(MonitorTable.limit)",
            // IRCv3 draft/chathistory (ChatState+History.swift).
            "CHATHISTORY=\(HistoryQuery.maxLimit)", "MSGREFTYPES=msgid,timestamp",
            // Where a client that was told no channel may go (no standard token exists).
            "DEFCHAN=\(Self.defaultChannel)",
        ]
    }
}
