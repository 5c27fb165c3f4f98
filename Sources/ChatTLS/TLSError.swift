/// Why TLS failed, as one line a person can act on.
public struct TLSError: Error, CustomStringConvertible, Sendable, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
