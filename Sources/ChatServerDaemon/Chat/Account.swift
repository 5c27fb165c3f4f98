/// A registered account (NickServ REGISTER): its name as registered, the argon2id hash of its
/// password (never the password), when it was registered (Unix seconds), and whether the
/// operator froze it (a frozen account cannot be logged into).
struct Account: Equatable {
    var name: String
    var hash: String
    var registeredAt: Int64
    var frozen = false
}
