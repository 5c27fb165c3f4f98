/// Writes pieces of a line through a raw pointer: the fast renderers (`+FastPath.swift`) know
/// the line's length before they start, so they build it in a stack buffer and append it to
/// the output in one copy instead of one checked append per piece.
struct LineWriter {
    private(set) var position: UnsafeMutableRawPointer

    init(_ start: UnsafeMutableRawPointer) { position = start }

    @inline(__always) mutating func put(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress else { return }
        position.copyMemory(from: base, byteCount: bytes.count)
        position += bytes.count
    }

    @inline(__always) mutating func put(_ byte: UInt8) {
        position.storeBytes(of: byte, as: UInt8.self)
        position += 1
    }

    @inline(__always) mutating func put(_ text: StaticString) {
        put(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    @inline(__always) mutating func put(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { put($0) }
    }

    @inline(__always) mutating func put(_ text: String) {
        var text = text
        text.withUTF8 { put(UnsafeRawBufferPointer($0)) }
    }

    /// Appends exactly `count` bytes that `body` writes to `out`.
    @inline(__always)
    static func append(count: Int, to out: inout [UInt8], _ body: (inout LineWriter) -> Void) {
        withUnsafeTemporaryAllocation(byteCount: count, alignment: 1) { raw in
            var w = LineWriter(raw.baseAddress!)
            body(&w)
            precondition(w.position == raw.baseAddress! + count, "LineWriter: length mismatch")
            out.append(contentsOf: UnsafeBufferPointer(start: raw.baseAddress!.assumingMemoryBound(to: UInt8.self), count: count))
        }
    }
}
