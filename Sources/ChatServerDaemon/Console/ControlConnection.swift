import ChatPOSIX

/// One attached `chat-server console` (or any program speaking the console protocol).
struct ControlConnection {
    var fd: Int32
    var who: String
    var input: [UInt8] = []
    var output: [UInt8] = []
    var outStart = 0
    /// The epoll events asked for now.
    var interest = Epoll.readable | Epoll.hangup
    /// Close once the output is written (after `quit`, or an unrecoverable error).
    var closing = false

    init(fd: Int32, who: String) {
        self.fd = fd
        self.who = who
    }

    var pending: Int { output.count - outStart }

    mutating func queue(_ text: String) { output.append(contentsOf: text.utf8) }
}
