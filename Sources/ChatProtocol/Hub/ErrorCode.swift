/// A refusal, named by its IRC numeric so that IRC sessions send it as is and human sessions
/// can word it; `params` are the numeric's middle parameters (after the client's nick).
public struct ErrorCode: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let noSuchNick = ErrorCode(rawValue: 401)
    public static let noSuchChannel = ErrorCode(rawValue: 403)
    public static let cannotSendToChannel = ErrorCode(rawValue: 404)
    public static let tooManyChannels = ErrorCode(rawValue: 405)
    public static let noRecipient = ErrorCode(rawValue: 411)
    public static let noTextToSend = ErrorCode(rawValue: 412)
    public static let unknownCommand = ErrorCode(rawValue: 421)
    public static let noNicknameGiven = ErrorCode(rawValue: 431)
    public static let erroneousNickname = ErrorCode(rawValue: 432)
    public static let nicknameInUse = ErrorCode(rawValue: 433)
    public static let userNotInChannel = ErrorCode(rawValue: 441)
    public static let notOnChannel = ErrorCode(rawValue: 442)
    public static let userOnChannel = ErrorCode(rawValue: 443)
    public static let notRegistered = ErrorCode(rawValue: 451)
    public static let needMoreParams = ErrorCode(rawValue: 461)
    public static let alreadyRegistered = ErrorCode(rawValue: 462)
    public static let channelIsFull = ErrorCode(rawValue: 471)
    public static let inviteOnlyChannel = ErrorCode(rawValue: 473)
    public static let bannedFromChannel = ErrorCode(rawValue: 474)
    public static let badChannelKey = ErrorCode(rawValue: 475)
    public static let banListFull = ErrorCode(rawValue: 478)
    public static let invalidModeParameter = ErrorCode(rawValue: 696)
    public static let badChannelName = ErrorCode(rawValue: 479)
    public static let chanOpPrivsNeeded = ErrorCode(rawValue: 482)
    public static let unknownMode = ErrorCode(rawValue: 472)
    public static let usersDontMatch = ErrorCode(rawValue: 502)
    public static let passwordMismatch = ErrorCode(rawValue: 464)
    public static let noPrivileges = ErrorCode(rawValue: 481)
    public static let noOperHost = ErrorCode(rawValue: 491)
    public static let unknownUserModeFlag = ErrorCode(rawValue: 501)
}
