/// Where the chat state sends the frames it decides on. The hub appends them to the
/// recipient's queue for its session's channel; tests record them.
protocol EventSink: AnyObject {
    func deliver(_ frame: [UInt8], to session: Int)
    /// The same bytes to each of `sessions` (a broadcast: encoded once, one call).
    func deliver(_ frame: [UInt8], toEach sessions: [Int])
    /// A line for the operator's audit log (the hub writes it; tests may record it).
    func audit(_ event: AuditEvent)
}

extension EventSink {
    func audit(_ event: AuditEvent) {}
}
