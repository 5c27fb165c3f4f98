import CSodium

/// Argon2id password hashes through libsodium, in the strings it reads and writes
/// (`$argon2id$v=19$m=65536,t=2,p=1$salt$hash`: the parameters travel with the hash). Slow on
/// purpose (about 64 MiB and a tenth of a second each), so never run in the hub's loop: the
/// password worker checks, `chat-server hash-password` makes them.
enum PasswordHash {
    /// libsodium is ready (it picks its implementations, opens its random source); false
    /// when it cannot be, and then nothing here works.
    static func prepare() -> Bool { sodium_init() >= 0 }

    /// A new hash of `password` with a random salt and libsodium's interactive limits; nil if
    /// libsodium failed (out of memory).
    static func make(_ password: [UInt8]) -> String? {
        var out = [CChar](repeating: 0, count: Int(crypto_pwhash_strbytes()))
        var c = characters(password)
        defer { wipe(&c) }
        let ok = crypto_pwhash_str(&out, c, UInt64(password.count),
                                   UInt64(crypto_pwhash_opslimit_interactive()), crypto_pwhash_memlimit_interactive()) == 0
        guard ok else { return nil }
        return String(decoding: out.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether `hash` is an argon2id string this program can check.
    static func isReadable(_ hash: String) -> Bool {
        hash.hasPrefix("$argon2id$") && hash.utf8.count < Int(crypto_pwhash_strbytes())
            && hash.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }

    /// Whether `password` matches `hash`; nil when `hash` is not one `isReadable` accepts.
    static func verify(_ password: [UInt8], against hash: String) -> Bool? {
        guard isReadable(hash) else { return nil }
        var c = characters(password)
        defer { wipe(&c) }
        return crypto_pwhash_str_verify(hash, c, UInt64(password.count)) == 0
    }

    /// Overwrites `bytes` (a password) so that it does not linger in freed memory.
    static func wipe<T>(_ bytes: inout [T]) {
        bytes.withUnsafeMutableBytes { sodium_memzero($0.baseAddress, $0.count) }
    }

    /// `password` as C characters, with a NUL after it (never an empty buffer).
    private static func characters(_ password: [UInt8]) -> [CChar] {
        password.map { CChar(bitPattern: $0) } + [0]
    }
}
