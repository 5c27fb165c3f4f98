import ChatPOSIX
import ChatProtocol
import Histogram

#if canImport(Glibc)
import Glibc
#endif

/// Histogram contents as (value, count) pairs, flattened, for the wire.
extension Histogram where Count == UInt64 {
    func flattened() -> [UInt64] {
        var out: [UInt64] = []
        for v in recordedValues() {
            out.append(v.value)
            out.append(v.count)
        }
        return out
    }

    mutating func add(flattened pairs: ArraySlice<UInt64>) {
        var i = pairs.startIndex
        while i + 1 < pairs.endIndex {
            record(pairs[i], count: pairs[i + 1])
            i += 2
        }
    }

    static func latency() -> Self {
        // Nanoseconds up to 100 s, 3 significant digits.
        Histogram(lowestDiscernibleValue: 1, highestTrackableValue: 100_000_000_000, numberOfSignificantValueDigits: .three)
    }
}
