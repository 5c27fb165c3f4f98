/// Why the state store cannot open: a start-up error, with what to do about it.
struct StateStoreError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
