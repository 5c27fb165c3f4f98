import ChatProtocol

// Who talked privately with whom (issue 16): one row per party and peer, its latest time
// updated with each private line kept, in the turn's transaction; read by CHATHISTORY
// TARGETS through the (party, last) index, whichever of the two the asker was.
extension StateStore {
    func noteConversation(party: String, peer: String, name: String, time: Int64) {
        do {
            if !turnOpen {
                try database.execute("BEGIN")
                turnOpen = true
            }
            try database.statement("""
                INSERT INTO conversation (party, peer, name, last) VALUES (?, ?, ?, ?)
                ON CONFLICT (party, peer) DO UPDATE SET name = excluded.name, last = max(last, excluded.last)
                """).run([.text(party), .text(peer), .text(name), .int(time)])
        } catch {
            failed("cannot note a conversation of \(party)", error)
        }
    }

    func conversations(party: String, after: Int64, before: Int64, limit: Int) -> [HistoryTarget] {
        var found: [HistoryTarget] = []
        do {
            let s = try database.statement("SELECT name, last FROM conversation WHERE party = ? AND last > ? AND last < ? ORDER BY last LIMIT ?")
            defer { s.reset() }
            try s.bind([.text(party), .int(after), .int(before), .int(Int64(max(0, limit)))])
            while try s.step() {
                let name = s.text(0)
                // A name the hub never writes (a database edited by hand) is skipped.
                guard !name.isEmpty, name.utf8.count <= 1024 else { continue }
                found.append(HistoryTarget(name: name, time: s.int(1)))
            }
        } catch {
            failed("cannot read the conversations of \(party)", error)
        }
        return found
    }
}
