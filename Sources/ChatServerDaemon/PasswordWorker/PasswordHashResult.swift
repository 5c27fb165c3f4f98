import ChatProtocol

/// The worker's answer to a `PasswordHashRequest`: the ticket and the argon2id hash, empty
/// when libsodium could not make one.
struct PasswordHashResult: Equatable {
    var ticket: UInt64
    var hash: String

    var bytes: [UInt8] {
        HubFrame.make(type: HubMessageType.passwordHashResult.rawValue) { w in
            w.varint(ticket)
            w.string(hash)
        }
    }

    init(ticket: UInt64, hash: String) {
        self.ticket = ticket
        self.hash = hash
    }

    init?(_ raw: UnsafeRawBufferPointer) {
        let fields = FrameDecoder.onlyFrame(in: raw) { type, payload -> PasswordHashResult? in
            guard type == HubMessageType.passwordHashResult.rawValue else { return nil }
            var r = BinaryReader(payload)
            guard let ticket = try? r.varint(), let hash = try? r.string(limit: PasswordCheck.maxField, "hash"),
                  r.remaining == 0 else { return nil }
            return PasswordHashResult(ticket: ticket, hash: hash)
        }
        guard let fields else { return nil }
        self = fields
    }
}
