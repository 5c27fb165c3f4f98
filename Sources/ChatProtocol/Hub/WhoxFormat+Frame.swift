// A WHOX format in a frame's payload (a `who` request's and event's last field): absent, or
// its fields as a u16 and its token.
extension BinaryWriter {
    /// 0, or 1 then the fields and the token.
    mutating func whox(_ format: WhoxFormat?) {
        guard let format else { return u8(0) }
        u8(1); u16(format.fields.rawValue); string(format.token)
    }
}

extension BinaryReader {
    /// A WHOX format as `BinaryWriter.whox` writes it. A field bit WHOX does not define, or a
    /// token that is not one to three digits, is refused: the token is echoed to the client.
    mutating func whox() throws(PayloadError) -> WhoxFormat? {
        guard try bool() else { return nil }
        let fields = WhoxFormat.Fields(rawValue: try u16())
        guard WhoxFormat.Fields.all.isSuperset(of: fields) else { throw .invalidValue("whox fields") }
        let token = try string(limit: 3, "whox token")
        guard WhoxFormat.isValidToken(token) else { throw .invalidValue("whox token") }
        return WhoxFormat(fields: fields, token: token)
    }
}
