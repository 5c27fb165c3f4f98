/// Bounds-checked reader over a payload; every read throws `PayloadError` instead of trapping.
public struct BinaryReader: ~Copyable {
    let base: UnsafeRawBufferPointer
    public internal(set) var offset: Int = 0

    public init(_ base: UnsafeRawBufferPointer) { self.base = base }

    public var remaining: Int { base.count - offset }

    @inline(__always) public mutating func u8() throws(PayloadError) -> UInt8 {
        guard offset < base.count else { throw .truncated }
        defer { offset += 1 }
        return base[offset]
    }

    public mutating func bool() throws(PayloadError) -> Bool {
        switch try u8() {
        case 0: return false
        case 1: return true
        default: throw .invalidValue("boolean")
        }
    }

    public mutating func u16() throws(PayloadError) -> UInt16 {
        guard remaining >= 2 else { throw .truncated }
        defer { offset += 2 }
        return UInt16(base[offset]) | UInt16(base[offset + 1]) << 8
    }

    public mutating func u32() throws(PayloadError) -> UInt32 {
        guard remaining >= 4 else { throw .truncated }
        defer { offset += 4 }
        return UInt32(base[offset]) | UInt32(base[offset + 1]) << 8 | UInt32(base[offset + 2]) << 16
            | UInt32(base[offset + 3]) << 24
    }

    public mutating func varint() throws(PayloadError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try u8()
            if shift == 63 && b > 1 { throw .overlongVarint }
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 { throw .overlongVarint }
        }
    }

    public mutating func int() throws(PayloadError) -> Int64 {
        let z = try varint()
        return Int64(bitPattern: (z >> 1) ^ (0 &- (z & 1)))
    }

    public mutating func count(limit: Int = 1 << 16) throws(PayloadError) -> Int {
        let n = try varint()
        guard n <= UInt64(limit) else { throw .invalidValue("count") }
        return Int(n)
    }

    /// A byte count that must fit in what is left after the count itself.
    mutating func byteCount() throws(PayloadError) -> Int {
        let n = try varint()
        guard n <= UInt64(remaining) else { throw .truncated }
        return Int(n)
    }

    public mutating func string() throws(PayloadError) -> String {
        try stringBody(byteCount())
    }

    /// A string of at most `limit` bytes (a request's field, `RequestLimits`); `field` names
    /// it in the error. The length is checked before the bytes are looked at.
    public mutating func string(limit: Int, _ field: @autoclosure () -> String) throws(PayloadError) -> String {
        let n = try byteCount()
        guard n <= limit else { throw .overLimit(field: field(), size: n, limit: limit, items: false) }
        return try stringBody(n)
    }

    private mutating func stringBody(_ n: Int) throws(PayloadError) -> String {
        if n == 0 { return "" }
        let slice = UnsafeRawBufferPointer(rebasing: base[offset..<offset + n])
        offset += n
        guard let s = TextSafety.validUTF8(slice) else { throw .invalidUTF8 }
        return s
    }

    public mutating func optionalString() throws(PayloadError) -> String? {
        try bool() ? try string() : nil
    }

    public mutating func optionalString(limit: Int, _ field: @autoclosure () -> String) throws(PayloadError) -> String? {
        try bool() ? try string(limit: limit, field()) : nil
    }

    public mutating func strings() throws(PayloadError) -> [String] {
        let n = try count(limit: remaining)
        var out: [String] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try string()) }
        return out
    }

    /// A list of at most `items` strings of at most `limit` bytes each (`RequestLimits`).
    public mutating func strings(items: Int, limit: Int, _ field: @autoclosure () -> String) throws(PayloadError) -> [String] {
        let n = try count(limit: remaining)
        guard n <= items else { throw .overLimit(field: field(), size: n, limit: items, items: true) }
        var out: [String] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try string(limit: limit, field())) }
        return out
    }

    public func finish() throws(PayloadError) {
        if remaining != 0 { throw .trailingBytes(remaining) }
    }
}
