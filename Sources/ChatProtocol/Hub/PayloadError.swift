/// Why a hub payload could not be decoded.
public enum PayloadError: Error, Equatable, Sendable, CustomStringConvertible {
    case truncated
    case overlongVarint
    case invalidUTF8
    case unknownType(UInt8)
    case invalidValue(String)
    case trailingBytes(Int)
    /// A request's field past its limit (`RequestLimits`): `size` bytes, or items of a list.
    case overLimit(field: String, size: Int, limit: Int, items: Bool)

    public var description: String {
        switch self {
        case .truncated: return "payload ends early"
        case .overlongVarint: return "varint longer than 10 bytes"
        case .invalidUTF8: return "string is not valid UTF-8"
        case .unknownType(let t): return "unknown message type \(t)"
        case .invalidValue(let what): return "invalid \(what)"
        case .trailingBytes(let n): return "\(n) unexpected bytes after the message"
        case .overLimit(let field, let size, let limit, let items):
            return "\(field) of \(size) \(items ? "items" : "bytes") is over the limit of \(limit)"
        }
    }
}
