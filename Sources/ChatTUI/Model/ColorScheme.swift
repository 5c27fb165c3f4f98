/// The colours of the screen's parts, as `[colors]` sets them: terminal colour numbers
/// (-1 the terminal's default, 0-7 the basic colours, 8-15 their bright half, up to 255).
struct ColorScheme: Equatable, Sendable {
    /// The parts of the screen that have a colour of their own (nicks take theirs from a hash).
    enum Element: String, CaseIterable, Sendable {
        case timestamp, highlight, event, info, error, notice, action, marker
        case status, status_active, status_mention, status_more, title
        case nick_op, nick_voice, prompt
    }

    struct Pair: Equatable, Sendable {
        var foreground: Int
        var background: Int
    }

    private(set) var pairs: [Pair]

    /// Today's colours (docs/CLIENT.md's screen): what a part has unless the file says otherwise.
    static let defaults: [Element: Pair] = [
        .timestamp: Pair(foreground: -1, background: -1), .highlight: Pair(foreground: 3, background: -1),
        .event: Pair(foreground: 6, background: -1), .info: Pair(foreground: -1, background: -1),
        .error: Pair(foreground: 1, background: -1), .notice: Pair(foreground: 5, background: -1),
        .action: Pair(foreground: 5, background: -1), .marker: Pair(foreground: 1, background: -1),
        .status: Pair(foreground: 7, background: 4), .status_active: Pair(foreground: 7, background: 4),
        .status_mention: Pair(foreground: 3, background: 4), .status_more: Pair(foreground: 0, background: 3),
        .title: Pair(foreground: 7, background: 4), .nick_op: Pair(foreground: 2, background: -1),
        .nick_voice: Pair(foreground: 3, background: -1), .prompt: Pair(foreground: 6, background: -1),
    ]

    init() { pairs = Element.allCases.map { Self.defaults[$0]! } }

    /// The defaults with the file's `colors.*` settings over them (already checked).
    init(_ settings: Settings) {
        self.init()
        for e in Element.allCases {
            if let spec = settings.values["colors." + e.rawValue]?.string, let p = Self.parse(spec) { self[e] = p }
        }
    }

    subscript(_ e: Element) -> Pair {
        get { pairs[Element.allCases.firstIndex(of: e)!] }
        set { pairs[Element.allCases.firstIndex(of: e)!] = newValue }
    }

    static let names = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    /// `"yellow"`, `"white,blue"`, `"bright-red,default"`, `"208"`: nil if it is none of those.
    static func parse(_ spec: String) -> Pair? {
        let parts = spec.split(separator: ",", omittingEmptySubsequences: false).map { Settings.trimmed($0).lowercased() }
        guard parts.count == 1 || parts.count == 2, let fg = color(parts[0]) else { return nil }
        guard parts.count == 2 else { return Pair(foreground: fg, background: -1) }
        guard let bg = color(parts[1]) else { return nil }
        return Pair(foreground: fg, background: bg)
    }

    /// The spec `parse` reads back: `white,blue`, `bright-red`, `208`.
    static func describe(_ p: Pair) -> String {
        name(p.foreground) + (p.background == -1 ? "" : "," + name(p.background))
    }

    private static func name(_ c: Int) -> String {
        c < 0 ? "default" : c < 8 ? names[c] : c < 16 ? "bright-" + names[c - 8] : String(c)
    }

    private static func color(_ word: String) -> Int? {
        if word == "default" { return -1 }
        if let i = names.firstIndex(of: word) { return i }
        if word.hasPrefix("bright-"), let i = names.firstIndex(of: String(word.dropFirst(7))) { return i + 8 }
        if !word.isEmpty, word.count <= 3, word.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(word), n <= 255 { return n }
        return nil
    }
}

