/// PRIVMSG, NOTICE, or an action (`/me`, CTCP ACTION on IRC).
public enum MessageKind: UInt8, Sendable {
    case privmsg = 0
    case notice = 1
    case action = 2
}
