/// Why a frame stream is corrupt. Once a decoder reports one, the stream is unusable.
public enum FrameError: Error, Equatable, Sendable, CustomStringConvertible {
    case badMagic(UInt16)
    case unsupportedVersion(UInt8)
    case oversize(UInt32)
    case checksumMismatch(expected: UInt32, actual: UInt32)

    public var description: String {
        switch self {
        case .badMagic(let m): return "bad frame magic 0x\(String(m, radix: 16))"
        case .unsupportedVersion(let v): return "unsupported frame version \(v)"
        case .oversize(let n): return "frame length \(n) exceeds \(HubFrame.maxPayload)"
        case .checksumMismatch(let e, let a):
            return "frame checksum mismatch (header 0x\(String(e, radix: 16)), payload 0x\(String(a, radix: 16)))"
        }
    }
}
