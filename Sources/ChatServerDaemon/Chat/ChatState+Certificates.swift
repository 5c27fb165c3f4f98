import ChatProtocol

/// TLS client certificates as a login (issue 16): an account holds the SHA-256 fingerprints
/// of up to `certificatesPerAccount` certificates (`NickServ CERT ADD|DEL|LIST`, Ergo's
/// names), and a client that presented one of them logs in to it with SASL EXTERNAL or a
/// `NickServ IDENTIFY` without a password. The certificate itself is not judged (no CA):
/// the TLS handshake proved the client holds its key, and its fingerprint is the identity, as
/// Ergo and InspIRCd have it. Each change is written through `accountStorage` first.
extension ChatState {
    /// The most fingerprints one account holds.
    static let certificatesPerAccount = 10

    /// A fingerprint as the accounts keep it (64 lower-case hex digits) from hex with or
    /// without colons, upper or lower case, with or without `SHA256:`; nil for anything else.
    static func certificateFingerprint(_ text: String) -> String? {
        var t = Substring(text)
        if t.lowercased().hasPrefix("sha256:") { t = t.dropFirst(7) }
        let digits = t.lowercased().filter { $0 != ":" }
        guard digits.utf8.count == 64, digits.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else { return nil }
        return digits
    }

    /// SASL EXTERNAL: logs `id` in to the account holding its certificate's fingerprint;
    /// `account`, when not empty (the authorization identity), must name that account.
    func authenticateExternal(_ id: Int, account: String) {
        let u = users[id]!
        if u.account != nil { return send(.saslResult(.alreadyAuthenticated), to: id) }
        guard let key = certificateAccount(of: id), account.isEmpty || fold(account) == key,
              let owner = accounts[key], !owner.frozen else { return send(.saslResult(.failure), to: id) }
        logIn(id, account: owner.name)
        send(.saslResult(.success), to: id)
    }

    /// The folded name of the account that holds `id`'s certificate, if any.
    func certificateAccount(of id: Int) -> String? { users[id]!.certificate.flatMap { certificateOwners[$0] } }

    /// `NickServ IDENTIFY` with no password: by the connection's certificate.
    func identifyByCertificate(_ id: Int) {
        guard users[id]!.certificate != nil else {
            return nickServNotice(id, "Usage: IDENTIFY [account] <password> (without a password only over TLS with a certificate added by CERT ADD)")
        }
        guard let key = certificateAccount(of: id), let owner = accounts[key] else {
            return nickServNotice(id, "Your TLS certificate is not added to any account (CERT ADD, once logged in).")
        }
        guard !owner.frozen else { return nickServNotice(id, "Invalid account or password.") }
        logIn(id, account: owner.name)
    }

    /// `CERT ADD [fingerprint]`, `CERT DEL <fingerprint>`, `CERT LIST`: the fingerprints of
    /// the account the user is logged in to.
    func nickServCert(_ id: Int, _ args: [String]) {
        let usage = "Usage: CERT ADD [fingerprint] | CERT DEL <fingerprint> | CERT LIST"
        guard let verb = args.first?.lowercased(), args.count <= 2 else { return nickServNotice(id, usage) }
        guard let name = users[id]!.account, let account = accounts[fold(name)] else {
            return nickServNotice(id, "You are not logged in.")
        }
        let key = fold(name)
        switch verb {
        case "list":
            guard args.count == 1 else { return nickServNotice(id, usage) }
            if account.certificates.isEmpty { return nickServNotice(id, "\(account.name) has no certificate fingerprints.") }
            nickServNotice(id, "Certificate fingerprints of \(account.name):")
            for fp in account.certificates { nickServNotice(id, fp) }
        case "add":
            let given = args.count == 2 ? Self.certificateFingerprint(args[1]) : users[id]!.certificate
            guard let fp = given else {
                return nickServNotice(id, args.count == 2
                    ? "A fingerprint is the certificate's SHA-256, 64 hex digits (colons allowed)."
                    : "Your connection presented no TLS client certificate: give its fingerprint, or connect over TLS with it.")
            }
            if let holder = certificateOwners[fp] {
                return nickServNotice(id, holder == key ? "That fingerprint is already on your account."
                                                        : "That fingerprint belongs to another account.")
            }
            guard account.certificates.count < Self.certificatesPerAccount else {
                return nickServNotice(id, "An account holds at most \(Self.certificatesPerAccount) fingerprints: delete one first (CERT DEL).")
            }
            do { try accountStorage?.addCertificate(fp, folded: key) } catch {
                return nickServNotice(id, "The fingerprint could not be added (the server could not write it); try again later.")
            }
            accounts[key]!.certificates.append(fp)
            certificateOwners[fp] = key
            nickServNotice(id, "Added the fingerprint \(fp) to \(account.name).")
        case "del":
            guard args.count == 2, let fp = Self.certificateFingerprint(args[1]) else { return nickServNotice(id, usage) }
            guard account.certificates.contains(fp) else { return nickServNotice(id, "That fingerprint is not on your account.") }
            do { try accountStorage?.deleteCertificate(fp) } catch {
                return nickServNotice(id, "The fingerprint could not be deleted (the server could not write it); try again later.")
            }
            accounts[key]!.certificates.removeAll { $0 == fp }
            certificateOwners[fp] = nil
            nickServNotice(id, "Deleted the fingerprint \(fp) from \(account.name).")
        default:
            nickServNotice(id, usage)
        }
    }

    /// The index of every account's fingerprints, rebuilt from `accounts` (at start).
    func indexCertificates() {
        certificateOwners = [:]
        for (key, account) in accounts { for fp in account.certificates { certificateOwners[fp] = key } }
    }
}
