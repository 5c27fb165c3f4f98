import ChatProtocol

/// `NAMES #a,#b`: the hub answers each channel with its own list; the client gets the 353s of
/// all of them and one 366 naming them as it asked (`366 nick #a,#b :End of /NAMES list.`),
/// as modern.ircdocs.horse and ISUPPORT `TARGMAX=NAMES:` promise.
extension IRCConversation {
    /// How many channels' lists are still to come, and the channels as the 366 names them.
    struct NamesEnds {
        var left: Int
        var echo: String
    }

    /// Drops the 366 of one channel's list, or, for the last one, makes it name them all.
    func oneNamesEnd(_ lines: inout [IRCMessage]) {
        guard var ends = namesEnds, let i = lines.lastIndex(where: { $0.command == "366" }) else { return }
        ends.left -= 1
        if ends.left > 0 {
            lines.remove(at: i)
            namesEnds = ends
        } else {
            // One parameter: a name list with a space, or too long for a line, is `*`.
            let echo = IRCRenderer.clean(ends.echo)
            if lines[i].params.count > 1 {
                lines[i].params[1] = echo.utf8.count > 200 || echo.utf8.contains(UInt8(ascii: " ")) ? "*" : echo
            }
            namesEnds = nil
        }
    }
}
