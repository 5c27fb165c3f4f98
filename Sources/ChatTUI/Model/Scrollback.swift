/// A bounded ring of lines with stable sequence numbers.
///
/// Sequence numbers keep growing as lines are added, so a scroll position or a read marker
/// that refers to a line stays right while older lines fall off the front.
struct Scrollback: Sendable {
    let capacity: Int
    private var storage: [Line] = []
    private var head = 0              // index of the oldest line once the ring is full
    private(set) var firstSeq = 0     // sequence number of the oldest line kept

    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    var count: Int { storage.count }
    var isEmpty: Bool { storage.isEmpty }
    /// Sequence number the next appended line gets.
    var endSeq: Int { firstSeq + storage.count }
    /// Sequence number of the newest line, if any.
    var lastSeq: Int? { storage.isEmpty ? nil : endSeq - 1 }

    mutating func append(_ line: Line) {
        if storage.count < capacity {
            storage.append(line)
        } else {
            storage[head] = line
            head = (head + 1) % capacity
            firstSeq += 1
        }
    }

    /// The line with sequence number `seq`, or nil when it has fallen off or is not there yet.
    subscript(seq seq: Int) -> Line? {
        let i = seq - firstSeq
        guard i >= 0, i < storage.count else { return nil }
        return storage[(head + i) % storage.count]
    }

    mutating func removeAll() {
        firstSeq = endSeq
        storage.removeAll(keepingCapacity: false)
        head = 0
    }

    /// Lines oldest first (for tests and logs; the view walks by sequence number).
    var lines: [Line] { (firstSeq..<endSeq).compactMap { self[seq: $0] } }
}
