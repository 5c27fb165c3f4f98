import ChatProtocol

// Registered channels on disk (issue 16): a row per channel, its access list and its mask
// lists, written into the loop turn's transaction (as channel lines are) and read once at
// start. A part that changed is written whole: the lists are short (at most 100 entries).
extension StateStore: ChannelStorage {
    func loadChannels() throws -> [String: RegisteredChannel] {
        var out: [String: RegisteredChannel] = [:]
        let rows = try database.statement("SELECT folded, name, founder, registered_at, frozen, topic, topic_by, topic_at, flags, key, user_limit FROM channel")
        defer { rows.reset() }
        while try rows.step() {
            var modes = ChannelModes()
            modes.flags = ChannelModes.Flags(rawValue: UInt8(truncatingIfNeeded: rows.int(8) & 0x1F))
            let key = rows.text(9)
            modes.key = ChannelModes.isValidKey(key) ? key : nil
            modes.limit = ChannelModes.parseLimit(String(rows.int(10)))
            let registration = ChannelRegistration(founder: rows.text(2), registeredAt: rows.int(3), frozen: rows.int(4) != 0)
            out[rows.text(0)] = RegisteredChannel(name: rows.text(1), registration: registration, topic: rows.text(5),
                                                  topicBy: String(rows.text(6).prefix(256)), topicAt: rows.int(7), modes: modes)
        }
        let access = try database.statement("SELECT channel, account, level, added_by, added_at FROM channel_access ORDER BY channel, position")
        defer { access.reset() }
        while try access.step() {
            guard let level = ChannelAccess.Level(rawValue: access.text(2)), out[access.text(0)] != nil,
                  out[access.text(0)]!.registration.access.count < ChannelRegistration.accessLimit else { continue }
            out[access.text(0)]!.registration.access.append(
                ChannelAccess(account: access.text(1), level: level, addedBy: access.text(3), addedAt: access.int(4)))
        }
        let masks = try database.statement("SELECT channel, list, mask, set_by, set_at FROM channel_mask ORDER BY channel, list, position")
        defer { masks.reset() }
        while try masks.step() {
            // What MODE would refuse is skipped (a database edited by hand).
            guard let letter = masks.text(1).first, ChannelModeChange.listLetters.contains(letter),
                  let mask = ChannelModes.normalizedMask(masks.text(2)), out[masks.text(0)] != nil else { continue }
            _ = out[masks.text(0)]!.modes.add(letter, mask: mask, by: String(masks.text(3).prefix(256)), at: masks.int(4), casemapping: .ascii)
        }
        return out
    }

    func save(channel r: RegisteredChannel, folded: String, parts: ChannelParts) throws {
        do {
            try openTurn()
            if parts.contains(.row) {
                try database.statement("""
                    INSERT INTO channel (folded, name, founder, registered_at, frozen, topic, topic_by, topic_at, flags, key, user_limit)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (folded) DO UPDATE SET name = excluded.name, founder = excluded.founder,
                        registered_at = excluded.registered_at, frozen = excluded.frozen, topic = excluded.topic,
                        topic_by = excluded.topic_by, topic_at = excluded.topic_at, flags = excluded.flags,
                        key = excluded.key, user_limit = excluded.user_limit
                    """).run([.text(folded), .text(r.name), .text(r.registration.founder), .int(r.registration.registeredAt),
                              .int(r.registration.frozen ? 1 : 0), .text(r.topic), .text(r.topicBy), .int(r.topicAt),
                              .int(Int64(r.modes.flags.rawValue)), .text(r.modes.key ?? ""), .int(Int64(r.modes.limit ?? 0))])
            }
            if parts.contains(.access) {
                try database.statement("DELETE FROM channel_access WHERE channel = ?").run([.text(folded)])
                let insert = "INSERT INTO channel_access (channel, position, account, level, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?)"
                for (i, e) in r.registration.access.enumerated() {
                    try database.statement(insert).run([.text(folded), .int(Int64(i)), .text(e.account), .text(e.level.rawValue),
                                                        .text(e.addedBy), .int(e.addedAt)])
                }
            }
            if parts.contains(.lists) {
                try database.statement("DELETE FROM channel_mask WHERE channel = ?").run([.text(folded)])
                let insert = "INSERT INTO channel_mask (channel, list, position, mask, set_by, set_at) VALUES (?, ?, ?, ?, ?, ?)"
                for letter in ChannelModeChange.listLetters {
                    for (i, e) in r.modes.list(letter).enumerated() {
                        try database.statement(insert).run([.text(folded), .text(String(letter)), .int(Int64(i)), .text(e.mask),
                                                            .text(e.setBy), .int(e.setAt)])
                    }
                }
            }
        } catch {
            reportFailure?("cannot keep the registered channel \(folded): \(error)")
            throw error
        }
    }

    /// Begins the turn's transaction unless it is open (`commitTurn` ends it).
    private func openTurn() throws {
        guard !turnOpen else { return }
        try database.execute("BEGIN")
        turnOpen = true
    }

    func deleteChannel(folded: String) throws {
        do {
            try openTurn()
            try database.statement("DELETE FROM channel WHERE folded = ?").run([.text(folded)])
        } catch {
            reportFailure?("cannot drop the registered channel \(folded): \(error)")
            throw error
        }
    }
}
