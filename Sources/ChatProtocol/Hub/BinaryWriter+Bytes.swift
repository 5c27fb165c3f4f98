/// Raw bytes in a payload (a digest, a signature): a count, then the bytes.
extension BinaryWriter {
    public mutating func byteArray(_ b: [UInt8]) {
        varint(UInt64(b.count))
        bytes.append(contentsOf: b)
    }
}

extension BinaryReader {
    /// At most `limit` bytes; more is refused naming `field`.
    public mutating func byteArray(limit: Int, _ field: @autoclosure () -> String) throws(PayloadError) -> [UInt8] {
        let n = try byteCount()
        if n > limit { throw .overLimit(field: field(), size: n, limit: limit, items: false) }
        var out: [UInt8] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try u8()) }
        return out
    }
}
