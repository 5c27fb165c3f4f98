import ChatPOSIX
import ChatProtocol
import ChatTLS

#if canImport(Glibc)
import Glibc
#endif

/// How a TLS session signs its handshake without the private key: OpenSSL calls `sign` in the
/// middle of the handshake (the context's key is a public key whose signing is forwarded,
/// `TLSContext.server(chainPEM:)`), and it asks the hub, which holds the key, on the session's
/// channel (a `tlsSign` request, a `tlsSignature` event) and waits for the answer. Before the
/// handshake is done the session has said nothing else to the hub, and the hub has nothing
/// else to tell it, so the answer is the next frame on the channel.
enum SessionKeySigner {
    static let sign: TLSContext.Signer = { kind, padding, input, length, out, room in
        guard let input, let out, length >= 0, length <= RequestLimits.signatureInput else { return -1 }
        let request = HubRequest.tlsSign(kind: UInt8(truncatingIfNeeded: kind), padding: UInt8(truncatingIfNeeded: padding),
                                         input: Array(UnsafeBufferPointer(start: input, count: Int(length))))
        let fd = SessionProcess.hubFD
        guard (try? FD.writeAll(fd, request.frame())) != nil else { return -1 }
        var decoder = FrameDecoder()
        var chunk = [UInt8](repeating: 0, count: 4096)
        // A hub that does not answer in 10 s is not there: the handshake fails.
        let deadline = Proc.monotonicNanos() + 10_000_000_000
        while Proc.monotonicNanos() < deadline {
            var p = [pollfd(fd: fd, events: Poll.readable, revents: 0)]
            _ = try? Poll.wait(&p, timeoutMS: 1000)
            let r = chunk.withUnsafeMutableBytes { raw in Result { () throws(SystemError) in try FD.read(fd, into: raw) } }
            switch r {
            case .success(.done(let n)): chunk.withUnsafeBytes { decoder.append(UnsafeRawBufferPointer(rebasing: $0[..<n])) }
            case .success(.wouldBlock): continue
            case .success(.eof), .failure: return -1
            }
            guard let event = try? decoder.next({ type, payload in try HubEvent(type: type, payload: payload) }) else { continue }
            guard case .tlsSignature(let signature) = event, !signature.isEmpty, signature.count <= Int(room) else { return -1 }
            signature.withUnsafeBufferPointer { out.update(from: $0.baseAddress!, count: signature.count) }
            return Int32(signature.count)
        }
        return -1
    }
}
