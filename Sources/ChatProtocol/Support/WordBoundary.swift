extension Array where Element == Character {
    /// Where Ctrl-W stops, as in a shell and irssi: back from `i` over spaces, then over the
    /// word before them to the space (or the start) before it. The console's line editor and
    /// the client's input line share it.
    public func startOfSpaceSeparatedWord(before i: Int) -> Int {
        var j = i
        while j > 0 && self[j - 1] == " " { j -= 1 }
        while j > 0 && self[j - 1] != " " { j -= 1 }
        return j
    }
}
