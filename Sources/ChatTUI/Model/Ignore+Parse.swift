import ChatProtocol

extension Ignore {
    /// Reads `mask [messages|joins|all]…` as `/ignore` and the file's `ignores` take it
    /// (no kind: all); the failure says why not.
    static func parse(_ text: String) -> Result<Ignore, SettingError> {
        let words = text.split(separator: " ").map(String.init)
        guard let first = words.first else { return .failure(.init("an ignore needs a nick or a mask")) }
        var kinds = Set<Kind>()
        for w in words.dropFirst() {
            let l = w.lowercased()
            if l == "all" {
                kinds.formUnion(Kind.allCases)
            } else if let k = Kind(rawValue: l) {
                kinds.insert(k)
            } else {
                return .failure(.init("/ignore takes messages, joins or all, not \(w)."))
            }
        }
        guard let mask = Names.normalizedMask(first, maxLength: maskLength) else {
            return .failure(.init("\(first) is not a nick or a nick!user@host mask."))
        }
        return .success(Ignore(mask: mask, kinds: kinds.isEmpty ? Set(Kind.allCases) : kinds))
    }

    /// As `parse` reads it back: the mask, then the kinds unless all.
    var setting: String {
        mask + (kinds.count == Kind.allCases.count ? "" : " " + Kind.allCases.filter(kinds.contains).map(\.rawValue).joined(separator: " "))
    }
}
