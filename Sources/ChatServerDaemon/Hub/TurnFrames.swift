/// Every event frame delivered in one turn of the hub's loop, stored once: a broadcast's
/// members hold ranges of it (`SessionSlot.shared`) until the turn's flush writes them.
struct TurnFrames {
    private var bytes: [UInt8] = []

    /// Appends a frame; returns where it is.
    mutating func store(_ frame: [UInt8]) -> Range<Int> {
        let start = bytes.count
        frame.withUnsafeBufferPointer { bytes.append(contentsOf: $0) }
        return start..<bytes.count
    }

    func withFrames<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R { bytes.withUnsafeBufferPointer(body) }

    func withBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R { bytes.withUnsafeBytes(body) }

    /// The turn is flushed: nothing refers to its frames any more.
    mutating func endTurn() {
        if !bytes.isEmpty { bytes.removeAll(keepingCapacity: bytes.capacity <= 1 << 20) }
    }
}
