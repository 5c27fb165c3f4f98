// Base64 and the SASL PLAIN and EXTERNAL exchange (SASLExchange): what an IRC client's AUTHENTICATE lines
// go through before anything reaches the hub.
//
// Oracles:
// - whatever Base64.decode accepts is canonical: encoding the bytes gives the text back;
// - encoding any bytes decodes back to them;
// - SASLExchange.plain gives a non-empty account and password, neither holding a NUL, and
//   `\0account\0password` parses back to the same;
// - an exchange fed the input's lines never yields a login that `plain` would refuse, keeps
//   no payload after a verdict, and accepts no line over 400 bytes; an EXTERNAL login's
//   authorization identity holds no NUL.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = inputBytes(data, size)

    let text = String(decoding: input, as: UTF8.self)
    if let decoded = Base64.decode(text) {
        require(Base64.encode(decoded) == text, "non-canonical base64 accepted: \(hex(input))")
    }
    require(Base64.decode(Base64.encode(input)) == input, "encode/decode does not round-trip: \(hex(input))")

    if let (account, password) = SASLExchange.plain(input) {
        require(!account.isEmpty && !password.isEmpty, "empty account or password from \(hex(input))")
        require(!account.utf8.contains(0) && !password.utf8.contains(0), "a NUL in a part from \(hex(input))")
        let again = SASLExchange.plain([0] + Array(account.utf8) + [0] + Array(password.utf8))
        require(again?.account == account && again?.password == password, "plain does not parse its own output")
    }

    var exchange = SASLExchange()
    for line in input.split(separator: 0x0A, omittingEmptySubsequences: false) {
        let parameter = String(decoding: line, as: UTF8.self)
        let wasUnderWay = exchange.isUnderWay
        switch exchange.receive(parameter) {
        case .login(let account, let password):
            require(wasUnderWay, "a login without AUTHENTICATE PLAIN")
            require(!account.isEmpty && !password.isEmpty && !password.utf8.contains(0), "a bad login passed")
            require(!exchange.isUnderWay, "payload kept after a login")
        case .external(let account):
            require(wasUnderWay, "an EXTERNAL login without AUTHENTICATE EXTERNAL")
            require(!account.utf8.contains(0), "a NUL in EXTERNAL's authorization identity")
            require(!exchange.isUnderWay, "payload kept after an EXTERNAL login")
        case .failed, .tooLong, .aborted:
            require(!exchange.isUnderWay, "payload kept after a verdict")
        case .more:
            require(parameter.utf8.count == SASLExchange.chunk, "more after a short line")
        case .challenge:
            require(!wasUnderWay && exchange.isUnderWay, "a challenge in the middle of an exchange")
        case .unknownMechanism:
            require(!wasUnderWay && !exchange.isUnderWay, "an unknown mechanism in the middle of an exchange")
        }
    }
    return 0
}
