import ChatProtocol

/// A session's settings as they travel in a spawn request (`Spawner.request`).
extension SessionConfig {
    func encode(to w: inout BinaryWriter) {
        w.string(serverName)
        w.int(Int64(bitPattern: floodRate.bitPattern))
        for v in [floodBurst, queueLimit, maxLineLength, registrationTimeout, pingInterval, pingTimeout, quietPeriodMS] {
            w.int(Int64(v))
        }
        // An absent ADMIN setting travels as "" (an empty one is refused at start-up).
        for text in [about.description, about.adminLocation ?? "", about.adminEmail ?? ""] { w.string(text) }
        w.int(Int64(tlsPort))
        w.int(Int64(stsPort))
        w.int(Int64(stsDuration))
    }

    init(from r: inout BinaryReader) throws(PayloadError) {
        serverName = try r.string()
        floodRate = Double(bitPattern: UInt64(bitPattern: try r.int()))
        floodBurst = Int(try r.int())
        queueLimit = Int(try r.int())
        maxLineLength = Int(try r.int())
        registrationTimeout = Int(try r.int())
        pingInterval = Int(try r.int())
        pingTimeout = Int(try r.int())
        quietPeriodMS = Int(try r.int())
        about = ServerAbout(description: try r.string())
        let location = try r.string(), email = try r.string()
        about.adminLocation = location.isEmpty ? nil : location
        about.adminEmail = email.isEmpty ? nil : email
        tlsPort = Int(try r.int())
        stsPort = Int(try r.int())
        stsDuration = Int(try r.int())
    }
}
