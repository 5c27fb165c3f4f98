/// The type byte of a hub frame: which request (1–20, session → hub), event (64–88,
/// hub → session) or spawner message (128–129, hub ↔ spawner) its payload holds. The one list of these numbers: the encoders, the
/// decoders and the fast path use it, and a test checks docs/PROTOCOL.md's tables against it.
/// A case's name is the direction and the request's or event's name in those tables.
public enum HubMessageType: UInt8, CaseIterable, Sendable {
    case requestHello = 1
    case requestRegister = 2
    case requestNick = 3
    case requestJoin = 4
    case requestPart = 5
    case requestMessage = 6
    case requestTopic = 7
    case requestNames = 8
    case requestWho = 9
    case requestWhois = 10
    case requestKick = 11
    case requestAway = 12
    case requestMode = 13
    case requestList = 14
    case requestMotd = 15
    case requestQuit = 16
    case requestLusers = 17
    case requestIson = 18
    case requestUserhost = 19
    case requestSync = 20
    // IRCv3 capabilities (issue 14).
    case requestCapabilities = 37
    case requestTaggedMessage = 38
    case requestTagMessage = 39
    case requestSetName = 40

    case eventWelcome = 64
    case eventError = 65
    case eventNick = 66
    case eventJoin = 67
    case eventPart = 68
    case eventQuit = 69
    case eventKick = 70
    case eventMessage = 71
    case eventTopic = 72
    case eventNames = 73
    case eventWho = 74
    case eventWhois = 75
    case eventAwayStatus = 76
    case eventAwayReply = 77
    case eventChannelModes = 78
    case eventList = 79
    case eventMotd = 80
    case eventServerNotice = 81
    case eventDisconnect = 82
    case eventMemberCount = 83
    case eventLusers = 84
    case eventIson = 85
    case eventUserhost = 86
    case eventChannelModeChange = 87
    case eventSync = 88
    // IRCv3 capabilities (issue 14).
    case eventTagMessage = 106
    case eventAwayChange = 107
    case eventSetName = 108
    case eventExtendedJoin = 109

    // The spawner's channel (hub ↔ spawner, one frame a packet; not a session's).
    case spawnerRequest = 128
    case spawnerReply = 129

    /// Requests go from a session to the hub.
    public var isRequest: Bool { rawValue < HubMessageType.eventWelcome.rawValue }

    /// Events go from the hub to a session.
    public var isEvent: Bool { !isRequest && !isSpawner }

    /// The spawner's request and reply, between the hub and the spawner.
    public var isSpawner: Bool { rawValue >= HubMessageType.spawnerRequest.rawValue }
}
