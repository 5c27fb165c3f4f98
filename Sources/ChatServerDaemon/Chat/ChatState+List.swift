import ChatProtocol

/// LIST's choice of channels: every one, those named (`LIST #a,#b`), and the ELIST filters
/// (`ELIST=MNU`): `*`/`?` masks, `!mask` for those not matching, `>n`/`<n` for more or fewer
/// users than n, as Ergo and InspIRCd take them.
extension ChatState {
    /// The channels `filters` choose (all of them when it is empty), unsorted, each once.
    /// A channel is chosen when it is named or matches a mask (if any were given), matches no
    /// `!mask`, and its user count passes every `>n` and `<n`.
    func listedChannels(_ filters: [String], for id: Int) -> [Channel] {
        var names: [String] = [], masks: [String] = [], excluded: [String] = []
        var moreThan = -1, fewerThan = Int.max
        for f in filters where !f.isEmpty {
            let u = f.utf8
            if u.first == UInt8(ascii: ">"), let n = Int(f.dropFirst()) {
                moreThan = max(moreThan, n)
            } else if u.first == UInt8(ascii: "<"), let n = Int(f.dropFirst()) {
                fewerThan = min(fewerThan, n)
            } else if u.first == UInt8(ascii: "!") {
                excluded.append(String(f.dropFirst()))
            } else if u.contains(UInt8(ascii: "*")) || u.contains(UInt8(ascii: "?")) {
                masks.append(f)
            } else {
                names.append(f)
            }
        }
        func passes(_ ch: Channel) -> Bool {
            guard !isHidden(ch, from: id) else { return false }
            let users = ch.members.count
            guard users > moreThan && users < fewerThan else { return false }
            return !excluded.contains { Names.maskMatches(mask: $0, ch.name, casemapping: settings.casemapping) }
        }
        // Names alone are looked up, not searched for: `LIST #a,#b` costs two lookups.
        if masks.isEmpty && !names.isEmpty {
            var seen = Set<ObjectIdentifier>()
            return names.compactMap { channel(named: $0) }.filter { seen.insert(ObjectIdentifier($0)).inserted && passes($0) }
        }
        let named = Set(names.map(fold))
        return channels.values.filter { ch in
            let chosen = (masks.isEmpty && named.isEmpty) || named.contains(fold(ch.name))
                || masks.contains { Names.maskMatches(mask: $0, ch.name, casemapping: settings.casemapping) }
            return chosen && passes(ch)
        }
    }

}
