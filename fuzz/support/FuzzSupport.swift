// Shared by every fuzz target: compiled into each target's binary together with the
// ChatProtocol sources (one module, so internal helpers such as UTF8Scan are reachable), or,
// for a target with `// fuzz-sources:` (run.sh), next to ChatProtocol built as a module.
#if canImport(ChatProtocol)
import ChatProtocol
#endif

/// Stops the run with a message libFuzzer records as a crash (the input is saved).
@inline(never)
func violation(_ what: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line) -> Never {
    fatalError("FUZZ INVARIANT VIOLATED: " + what(), file: file, line: line)
}

@inline(__always)
func require(_ ok: Bool, _ what: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line) {
    if !ok { violation(what(), file: file, line: line) }
}

/// The input as an array (libFuzzer may pass a null pointer for the empty input).
func inputBytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    guard let data, size > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: size))
}

/// A small deterministic generator seeded from the input, so that split points and options
/// follow the data (the same input always replays the same way) without spending input
/// bytes on them: every seed file stays a realistic raw stream.
struct SplitMix {
    var generator: SplitMix64
    init(_ bytes: [UInt8], salt: UInt64 = 0) {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ salt  // FNV-1a
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        generator = SplitMix64(seed: h ^ UInt64(bytes.count))
    }
    mutating func next() -> UInt64 { generator.next() }
    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }
}

/// Ways to cut `count` bytes into consecutive chunks: whole, one byte at a time, and a
/// data-derived mix of small and large pieces (empty pieces included, as `read` can return 0).
func chunkings(count: Int, _ rng: inout SplitMix) -> [[Int]] {
    var mixed: [Int] = []
    var left = count
    while left > 0 {
        let pick = rng.below(8)
        let size = pick == 0 ? 0 : pick < 5 ? 1 + rng.below(4) : 1 + rng.below(max(1, left))
        let n = min(size, left)
        mixed.append(n)
        left -= n
    }
    let oneByOne = [Int](repeating: 1, count: count)
    // A single cut at a data-derived point, the case that most often hides state bugs.
    let cut = rng.below(count + 1)
    return [[count], [cut, count - cut], oneByOne, mixed]
}

/// `bytes` cut by `sizes` (which sum to `bytes.count`).
func pieces(_ bytes: [UInt8], _ sizes: [Int]) -> [ArraySlice<UInt8>] {
    var out: [ArraySlice<UInt8>] = []
    var at = 0
    for s in sizes {
        out.append(bytes[at..<(at + s)])
        at += s
    }
    return out
}

/// Whether the bytes are well-formed UTF-8, by the standard library's own validation
/// (independent of ChatProtocol's `UTF8Scan`).
func stdlibValidUTF8<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
    String(validating: Array(bytes), as: UTF8.self) != nil
}

func hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    for b in bytes.prefix(200) { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
    return String(decoding: out, as: UTF8.self) + (bytes.count > 200 ? "…" : "")
}
