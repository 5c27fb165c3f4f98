/// The type byte of a hub frame: which request (1–63, session → hub), event (64–127,
/// hub → session), spawner message (128–129, hub ↔ spawner) or password worker message
/// (130–131, 136-137, hub ↔ worker) its payload holds. The one list of these numbers: the encoders, the
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
    case requestInvite = 21
    // Accounts (issue 16).
    case requestAuthenticate = 22
    case requestOper = 25
    case requestKill = 26
    case requestWallops = 27
    case requestWhowas = 29
    case requestAuthenticateExternal = 31
    case requestMonitor = 32
    // IRCv3 capabilities (issue 14).
    case requestCapabilities = 37
    case requestTaggedMessage = 38
    case requestTagMessage = 39
    case requestSetName = 40
    // IRCv3 draft/chathistory (issue 14).
    case requestChatHistory = 41
    case requestInvitations = 43
    // TLS (issue 15).
    case requestTlsInfo = 44
    case requestTlsSign = 45

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
    case eventInvite = 89
    case eventInviting = 90
    case eventModeList = 91
    // Accounts (issue 16).
    case eventLoggedIn = 92
    case eventLoggedOut = 93
    case eventUserModes = 94
    case eventYoureOper = 95
    case eventWallops = 96
    case eventSaslResult = 97
    case eventWhowas = 98
    case eventWhoisMissing = 99
    case eventServiceNotice = 100
    case eventMonitor = 101
    case eventMonitorList = 102
    // Accounts: IRCv3 account-notify (issue 16).
    case eventAccountChange = 103
    // IRCv3 capabilities (issue 14).
    case eventTagMessage = 106
    case eventAwayChange = 107
    case eventSetName = 108
    case eventExtendedJoin = 109
    // IRCv3 draft/chathistory (issue 14).
    case eventHistoryBatch = 110
    case eventHistoryRefused = 111
    case eventHistoryTargets = 112
    case eventInvitations = 113
    // TLS (issue 15).
    case eventTlsSignature = 114

    // The spawner's channel (hub ↔ spawner, one frame a packet; not a session's).
    case spawnerRequest = 128
    case spawnerReply = 129

    // The password worker's channel (hub ↔ worker, one frame a packet; not a session's).
    case passwordCheck = 130
    case passwordVerdict = 131
    // hub → spawner: the TLS certificate and key for the sessions forked from now on (issue 15).
    case spawnerCertificate = 132
    // Hashes for new account passwords (issue 16).
    case passwordHashRequest = 136
    case passwordHashResult = 137

    /// Requests go from a session to the hub.
    public var isRequest: Bool { rawValue < HubMessageType.eventWelcome.rawValue }

    /// Events go from the hub to a session.
    public var isEvent: Bool { !isRequest && rawValue < HubMessageType.spawnerRequest.rawValue }

    /// The spawner's request, reply and certificate, between the hub and the spawner.
    public var isSpawner: Bool { self == .spawnerRequest || self == .spawnerReply || self == .spawnerCertificate }

    /// The password worker's check and verdict, between the hub and the worker.
    public var isPasswordWorker: Bool {
        self == .passwordCheck || self == .passwordVerdict || self == .passwordHashRequest || self == .passwordHashResult
    }
}
