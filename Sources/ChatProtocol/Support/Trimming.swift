extension Substring {
    /// Without the characters at either end for which `isTrimmed` is true: the one trimming
    /// helper (callers say what they trim: `\.isWhitespace`, `Character.isSpaceOrTab`).
    public func trimming(while isTrimmed: (Character) -> Bool) -> Substring {
        var s = self
        while let c = s.first, isTrimmed(c) { s.removeFirst() }
        return s.trimmingTrailing(while: isTrimmed)
    }

    /// Without the characters at the end for which `isTrimmed` is true.
    public func trimmingTrailing(while isTrimmed: (Character) -> Bool) -> Substring {
        var s = self
        while let c = s.last, isTrimmed(c) { s.removeLast() }
        return s
    }
}

extension Character {
    /// A space or a tab: what separates words on a command line.
    public static func isSpaceOrTab(_ c: Character) -> Bool { c == " " || c == "\t" }
}
