import ChatPOSIX
import ChatProtocol
import Histogram

#if canImport(Glibc)
import Glibc
#endif

/// Messages between the bench parent and its workers, over pipes, in hub frames
/// (`HubFrame`: magic, version, type, length, CRC-32C; the one framing of the suite) whose
/// type is the message's letter and whose payload (`BinaryWriter`) is `[more bool][count]
/// [count values]`, varints. A message too long for one frame (a worker's latency samples)
/// comes in several, all but the last with `more` set. Small, rare, and both ends are ours.
struct WireMessage: Equatable {
    var type: UInt8
    var values: [UInt64]

    init(_ type: Character, _ values: [UInt64] = []) {
        self.type = type.asciiValue!
        self.values = values
    }

    init(type: UInt8, values: [UInt64]) {
        self.type = type
        self.values = values
    }

    var kind: Character { Character(UnicodeScalar(type)) }

    /// Values per frame: at most 10 bytes each as varints, well under `HubFrame.maxPayload`.
    static let valuesPerFrame = 6000

    func encoded() -> [UInt8] {
        var out: [UInt8] = []
        var rest = values[...]
        repeat {
            let chunk = rest.prefix(Self.valuesPerFrame)
            rest = rest.dropFirst(chunk.count)
            HubFrame.append(type: type, to: &out) { w in
                w.bool(!rest.isEmpty)
                w.varint(UInt64(chunk.count))
                for v in chunk { w.varint(v) }
            }
        } while !rest.isEmpty
        return out
    }

    /// Sends the whole message (the descriptor may be non-blocking: waits for room).
    func send(to fd: Int32) throws(SystemError) {
        try FD.writeAll(fd, encoded())
    }
}
