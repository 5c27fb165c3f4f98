import ChatProtocol

/// The password worker's messages, hub frames one to a packet (docs/PROTOCOL.md, "Password
/// worker"): a check (ticket, stored hash, password) and its verdict (ticket, answer). Made
/// for OPER and, later, account passwords and SASL: the worker knows nothing of who asks.
struct PasswordCheck: Equatable {
    var ticket: UInt64
    var hash: String
    var password: String

    /// The most a check may carry: a hash and a password of a request's name length.
    static let maxField = RequestLimits.name

    var bytes: [UInt8] {
        HubFrame.make(type: HubMessageType.passwordCheck.rawValue) { w in
            w.varint(ticket)
            w.string(hash)
            w.string(password)
        }
    }

    /// A check as `bytes` wrote it; nil for anything else.
    init?(_ raw: UnsafeRawBufferPointer) {
        let fields = FrameDecoder.onlyFrame(in: raw) { type, payload -> PasswordCheck? in
            guard type == HubMessageType.passwordCheck.rawValue else { return nil }
            var r = BinaryReader(payload)
            guard let ticket = try? r.varint(), let hash = try? r.string(limit: Self.maxField, "hash"),
                  let password = try? r.string(limit: Self.maxField, "password"), r.remaining == 0 else { return nil }
            return PasswordCheck(ticket: ticket, hash: hash, password: password)
        }
        guard let fields else { return nil }
        self = fields
    }

    init(ticket: UInt64, hash: String, password: String) {
        self.ticket = ticket
        self.hash = hash
        self.password = password
    }

    /// The worker's answer.
    struct Verdict: Equatable {
        enum Answer: UInt8 {
            case mismatch = 0, match = 1
            /// The stored hash is not one the worker can read (a mistake in the config).
            case unreadableHash = 2
        }

        var ticket: UInt64
        var answer: Answer

        var bytes: [UInt8] {
            HubFrame.make(type: HubMessageType.passwordVerdict.rawValue) { w in
                w.varint(ticket)
                w.u8(answer.rawValue)
            }
        }

        init(ticket: UInt64, answer: Answer) {
            self.ticket = ticket
            self.answer = answer
        }

        init?(_ raw: UnsafeRawBufferPointer) {
            let fields = FrameDecoder.onlyFrame(in: raw) { type, payload -> Verdict? in
                guard type == HubMessageType.passwordVerdict.rawValue else { return nil }
                var r = BinaryReader(payload)
                guard let ticket = try? r.varint(), let a = try? r.u8(), let answer = Answer(rawValue: a),
                      r.remaining == 0 else { return nil }
                return Verdict(ticket: ticket, answer: answer)
            }
            guard let fields else { return nil }
            self = fields
        }
    }
}
