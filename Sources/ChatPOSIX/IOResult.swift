/// Result of a read or write on a non-blocking descriptor.
public enum IOResult: Equatable, Sendable {
    case done(Int)
    case wouldBlock
    case eof
}
