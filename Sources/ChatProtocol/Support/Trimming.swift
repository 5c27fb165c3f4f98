extension Substring {
    /// Without the characters at either end for which `isTrimmed` is true: the one trimming
    /// helper (callers say what they trim: `\.isWhitespace`, `Character.isSpaceOrTab`).
    public func trimming(while isTrimmed: (Character) -> Bool) -> Substring {
        trimmingLeading(while: isTrimmed).trimmingTrailing(while: isTrimmed)
    }

    /// Without the characters at the start for which `isTrimmed` is true.
    public func trimmingLeading(while isTrimmed: (Character) -> Bool) -> Substring {
        var s = self
        while let c = s.first, isTrimmed(c) { s.removeFirst() }
        return s
    }

    /// Without the characters at the end for which `isTrimmed` is true.
    public func trimmingTrailing(while isTrimmed: (Character) -> Bool) -> Substring {
        var s = self
        while let c = s.last, isTrimmed(c) { s.removeLast() }
        return s
    }
}

extension StringProtocol {
    /// Empty or only spaces and tabs: a blank command line.
    public var isBlank: Bool { allSatisfy(Character.isSpaceOrTab) }
}

extension Character {
    /// A space or a tab: what separates words on a command line.
    public static func isSpaceOrTab(_ c: Character) -> Bool { c == " " || c == "\t" }
}
