/// Telnet command and option codes (RFC 854, 855, and the option RFCs named below).
public enum TelnetCode {
    // Commands (RFC 854).
    public static let se: UInt8 = 240
    public static let nop: UInt8 = 241
    public static let dm: UInt8 = 242
    public static let brk: UInt8 = 243
    public static let ip: UInt8 = 244
    public static let ao: UInt8 = 245
    public static let ayt: UInt8 = 246
    public static let ec: UInt8 = 247
    public static let el: UInt8 = 248
    public static let ga: UInt8 = 249
    public static let sb: UInt8 = 250
    public static let will: UInt8 = 251
    public static let wont: UInt8 = 252
    public static let `do`: UInt8 = 253
    public static let dont: UInt8 = 254
    public static let iac: UInt8 = 255

    // Options.
    public static let echo: UInt8 = 1  // RFC 857
    public static let suppressGoAhead: UInt8 = 3  // RFC 858
    public static let terminalType: UInt8 = 24  // RFC 1091
    public static let naws: UInt8 = 31  // RFC 1073
    public static let terminalSpeed: UInt8 = 32  // RFC 1079
    public static let linemode: UInt8 = 34  // RFC 1184
    public static let newEnviron: UInt8 = 39  // RFC 1572
}
