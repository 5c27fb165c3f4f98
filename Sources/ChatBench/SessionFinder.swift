import ChatPOSIX
import ChatProtocol

#if canImport(Glibc)
import Glibc
#endif

/// Finds the session process that serves one of our connections: the hub's child that holds
/// the server end of it. The server end is the TCP socket whose local port is the server's
/// and whose remote port is our local one (/proc/net/tcp{,6}); its inode appears as
/// `socket:[INODE]` among exactly one child's descriptors. Nothing else is ever signalled.
enum SessionFinder {
    static func serverSideInode(serverPort: Int, clientPort: Int) -> UInt64? {
        var found: [UInt64] = []
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            guard let bytes = try? FD.readFile(table, limit: 64 << 20) else { continue }
            for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n").dropFirst() {
                let f = line.split(separator: " ", omittingEmptySubsequences: true)
                guard f.count > 9,
                      let lp = f[1].split(separator: ":").last.flatMap({ Int($0, radix: 16) }),
                      let rp = f[2].split(separator: ":").last.flatMap({ Int($0, radix: 16) }),
                      lp == serverPort, rp == clientPort, let inode = UInt64(f[9]), inode != 0 else { continue }
                found.append(inode)
            }
        }
        return found.count == 1 ? found[0] : nil
    }

    static func descriptorLinks(_ pid: Int32) -> [String] {
        guard let dir = opendir("/proc/\(pid)/fd") else { return [] }
        defer { closedir(dir) }
        var out: [String] = []
        var buf = [CChar](repeating: 0, count: 256)
        while let e = readdir(dir) {
            let name = withUnsafePointer(to: &e.pointee.d_name) { p in
                p.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            let n = readlink("/proc/\(pid)/fd/\(name)", &buf, buf.count - 1)
            if n > 0 { out.append(String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)) }
        }
        return out
    }

    static func descriptorCount(_ pid: Int32) -> Int? {
        guard let dir = opendir("/proc/\(pid)/fd") else { return nil }
        defer { closedir(dir) }
        var n = 0
        while let e = readdir(dir) {
            let first = withUnsafePointer(to: &e.pointee.d_name) { $0.withMemoryRebound(to: UInt8.self, capacity: 1) { $0.pointee } }
            if first != UInt8(ascii: ".") { n += 1 }
        }
        return n
    }

    /// The hub child holding the server end of the connection from local port `clientPort`.
    static func session(hub: Int32, serverPort: Int, clientPort: Int) -> Int32? {
        guard let inode = serverSideInode(serverPort: serverPort, clientPort: clientPort) else { return nil }
        let link = "socket:[\(inode)]"
        let holders = TreeSample.children(hub).filter { descriptorLinks($0).contains(link) }
        return holders.count == 1 ? holders[0] : nil
    }

    /// The hub's children: (all, zombies).
    static func children(_ hub: Int32) -> (all: Int, zombies: Int) {
        let kids = TreeSample.children(hub)
        var z = 0
        for k in kids where ProcessStat(pid: k)?.isZombie == true { z += 1 }
        return (kids.count, z)
    }
}
