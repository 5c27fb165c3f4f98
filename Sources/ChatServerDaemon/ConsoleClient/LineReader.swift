import ChatPOSIX
import ChatProtocol

#if canImport(Glibc)
import Glibc
#endif

/// Lines from a blocking descriptor (stdin when it is a pipe or a file).
struct LineReader {
    let fd: Int32
    private var buffer: [UInt8] = []
    private var eof = false

    init(fd: Int32) { self.fd = fd }

    mutating func next() -> String? {
        while true {
            if let nl = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                var bytes = Array(buffer[..<nl])
                buffer.removeFirst(nl + 1)
                if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
                return TextSafety.repairUTF8(bytes)
            }
            if eof {
                if buffer.isEmpty { return nil }
                defer { buffer.removeAll() }
                return TextSafety.repairUTF8(buffer)
            }
            // Input is a blocking pipe or file; should it be non-blocking, "nothing now" ends it too
            // rather than spinning.
            if let chunk = FD.readSome(fd, max: 4096), !chunk.isEmpty { buffer.append(contentsOf: chunk) } else { eof = true }
        }
    }
}
