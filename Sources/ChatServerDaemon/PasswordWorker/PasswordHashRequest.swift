import ChatProtocol

/// The password worker's other pair of messages (docs/PROTOCOL.md, "Password worker"): a new
/// account password to hash (ticket, password), answered by `PasswordHashResult`.
struct PasswordHashRequest: Equatable {
    var ticket: UInt64
    var password: String

    var bytes: [UInt8] {
        HubFrame.make(type: HubMessageType.passwordHashRequest.rawValue) { w in
            w.varint(ticket)
            w.string(password)
        }
    }

    init(ticket: UInt64, password: String) {
        self.ticket = ticket
        self.password = password
    }

    /// A request as `bytes` wrote it; nil for anything else.
    init?(_ raw: UnsafeRawBufferPointer) {
        let fields = FrameDecoder.onlyFrame(in: raw) { type, payload -> PasswordHashRequest? in
            guard type == HubMessageType.passwordHashRequest.rawValue else { return nil }
            var r = BinaryReader(payload)
            guard let ticket = try? r.varint(), let password = try? r.string(limit: PasswordCheck.maxField, "password"),
                  r.remaining == 0 else { return nil }
            return PasswordHashRequest(ticket: ticket, password: password)
        }
        guard let fields else { return nil }
        self = fields
    }
}
