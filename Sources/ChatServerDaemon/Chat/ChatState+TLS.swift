extension ChatState {
    /// A TLS version or cipher name as a session reported it: letters, digits, `_ - .` only,
    /// at most 64 (OpenSSL's names are such words; anything else is a hostile session's).
    static func tlsWord(_ text: String) -> String {
        let kept = text.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "_-.".unicodeScalars.contains($0)) }
        let word = String(String.UnicodeScalarView(kept.prefix(64)))
        return word.isEmpty ? "?" : word
    }
}
