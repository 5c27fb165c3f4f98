/// The most a request may carry: UTF-8 bytes per field and items per list (docs/PROTOCOL.md,
/// "Limits"). The hub's decoder refuses a request past them and the hub ends that session as
/// corrupt, as for a bad checksum; honest sessions cut what their clients sent to fit
/// (`HubRequest.bounded()`), so only a compromised session ever crosses one.
public enum RequestLimits {
    /// A nick, channel name, message target, WHO mask, user name, mode string or argument:
    /// the longest IRC line, far above any valid name (nicks 30 bytes, channels 50).
    public static let name = 512
    /// Free text (a message, a reason, a topic, an away message, a real name): a whole
    /// human line (`Config.maxLineLength`).
    public static let text = 8192
    /// Items of a list (channels to join or part, ISON and USERHOST nicks, MODE arguments):
    /// more than one 512-byte IRC line can hold.
    public static let items = 256
    /// Client-only message tags, as escaped on the wire: what IRCv3 message-tags lets a client
    /// send (4094 bytes of tag data, the `@` and the space aside).
    public static let tags = 4094
    /// A signature's input (an RSA modulus of 8192 bits; a digest is at most 64).
    public static let signatureInput = 1024
}
