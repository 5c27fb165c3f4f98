/// Splits a byte stream into lines, incrementally, in bounded memory.
///
/// - Line ends: CR LF, LF, CR NUL (telnet's bare CR) and bare CR. A CR whose LF or NUL comes
///   in the next `push` still ends one line only: the framer remembers the CR.
///   NUL elsewhere is data (sanitizing removes it later).
/// - A line whose content (terminator not counted) would exceed `maxLineLength` bytes is
///   reported as `.overlong` once, as soon as it crosses the limit, and the rest of it up to
///   its line end is discarded without being buffered. The pending buffer never holds more
///   than `maxLineLength` bytes, nor is it given capacity for more (the allocator may round
///   up a little).
/// - With `editing` (telnet clients in character mode, e.g. Windows telnet), BS (0x08) and
///   DEL (0x7F) remove the last character of the pending line — a whole UTF-8 scalar, or
///   one ill-formed subpart, the unit that becomes one U+FFFD — and ^U (0x15) erases the
///   pending line. They do nothing once the line has been reported overlong, and they are
///   never part of a line. Without `editing` they are ordinary data.
///
/// Lines are raw bytes: they may hold invalid UTF-8 and controls; run them through
/// `TextSafety.repairUTF8` and `TextSafety.sanitize`.
public struct LineFramer: Sendable {
    public enum Event: Equatable, Sendable {
        case line([UInt8])
        /// The current line crossed `maxLineLength`; it is dropped up to its end.
        case overlong
    }

    /// Like `Event`, but the line's bytes are only valid during the call.
    public enum BorrowedEvent {
        case line(UnsafeRawBufferPointer)
        case overlong
    }

    public let maxLineLength: Int
    public let editing: Bool

    private var buffer: [UInt8] = []
    /// The last byte seen ended a line with CR: a following LF or NUL belongs to it.
    private var afterCR = false
    /// Inside an overlong line, dropping bytes until its end.
    private var discarding = false

    public init(maxLineLength: Int, editing: Bool = false) {
        precondition(maxLineLength > 0, "maxLineLength must be positive")
        self.maxLineLength = maxLineLength
        self.editing = editing
    }

    /// Bytes of the unfinished line held so far (at most `maxLineLength`).
    public var pendingCount: Int { buffer.count }
    /// Whether the framer is inside a line already reported `.overlong`.
    public var isDiscarding: Bool { discarding }
    /// Capacity of the pending buffer, for tests of the memory bound.
    var bufferCapacity: Int { buffer.capacity }

    /// Feeds bytes; `handle` gets each complete line (terminator removed) and each
    /// `.overlong`, in order.
    public mutating func push(_ bytes: UnsafeRawBufferPointer, _ handle: (Event) -> Void) {
        pushBorrowing(bytes) { event in
            switch event {
            case .line(let p): handle(.line(Array(p)))
            case .overlong: handle(.overlong)
            }
        }
    }

    /// Convenience for arrays and other contiguous byte collections.
    public mutating func push(_ bytes: [UInt8], _ handle: (Event) -> Void) {
        bytes.withUnsafeBytes { push($0, handle) }
    }

    /// Like `push`, without allocating per line: the line handed to `handle` points either
    /// into `bytes` (a line that arrived whole in this read) or into the framer's buffer, and
    /// must not be kept beyond the call.
    public mutating func pushBorrowing(_ bytes: UnsafeRawBufferPointer, _ handle: (BorrowedEvent) -> Void) {
        let n = bytes.count
        var i = 0
        if afterCR, n > 0 {
            afterCR = false
            if bytes[0] == 0x0A || bytes[0] == 0x00 { i = 1 }
        }
        while i < n {
            // Find the next byte that needs attention.
            var j = i
            if editing {
                while j < n {
                    let b = bytes[j]
                    if b == 0x0A || b == 0x0D || b == 0x08 || b == 0x7F || b == 0x15 { break }
                    j += 1
                }
            } else {
                while j < n {
                    let b = bytes[j]
                    if b == 0x0A || b == 0x0D { break }
                    j += 1
                }
            }
            let isEnd = j < n && (bytes[j] == 0x0A || bytes[j] == 0x0D)
            var delivered = false
            // bytes[i..<j] is line content.
            if !discarding && j > i {
                if buffer.count + (j - i) > maxLineLength {
                    handle(.overlong)
                    buffer.removeAll(keepingCapacity: true)
                    discarding = true
                } else if isEnd && buffer.isEmpty {
                    handle(.line(UnsafeRawBufferPointer(rebasing: bytes[i..<j])))
                    delivered = true
                } else {
                    append(UnsafeRawBufferPointer(rebasing: bytes[i..<j]))
                }
            }
            if j == n { break }
            let b = bytes[j]
            i = j + 1
            if isEnd {
                if discarding {
                    discarding = false
                } else if !delivered {
                    buffer.withUnsafeBytes { handle(.line($0)) }
                    buffer.removeAll(keepingCapacity: true)
                }
                if b == 0x0D {
                    if i < n {
                        if bytes[i] == 0x0A || bytes[i] == 0x00 { i += 1 }
                    } else {
                        afterCR = true
                    }
                }
            } else if !discarding {
                // An editing key (only reached with `editing`).
                if b == 0x15 {
                    buffer.removeAll(keepingCapacity: true)
                } else {
                    let k = buffer.withUnsafeBytes { UTF8Scan.lastUnitLength($0, end: $0.count) }
                    buffer.removeLast(k)
                }
            }
        }
    }

    /// End of stream: delivers the unfinished line, if any and not overlong (what `nc` sends
    /// when its input ends without a newline), and resets the framer.
    public mutating func finish(_ handle: (Event) -> Void) {
        if !discarding && !buffer.isEmpty { handle(.line(buffer)) }
        reset()
    }

    /// Gives back the pending buffer's memory when no line is pending (after a long line, say);
    /// the next bytes allocate it again.
    public mutating func releaseMemory() {
        if buffer.isEmpty { buffer = [] }
    }

    /// Forgets any unfinished line and state.
    public mutating func reset() {
        buffer.removeAll(keepingCapacity: true)
        afterCR = false
        discarding = false
    }

    /// Appends within the bound; grows capacity geometrically but never past `maxLineLength`.
    private mutating func append(_ p: UnsafeRawBufferPointer) {
        let needed = buffer.count + p.count
        if needed > buffer.capacity {
            buffer.reserveCapacity(min(max(needed, buffer.capacity * 2, 64), maxLineLength))
        }
        buffer.append(contentsOf: p.assumingMemoryBound(to: UInt8.self))  // one memcpy
    }
}
