/// The connections waiting for the spawner: the requests its channel had no room for yet
/// (sent in order; while any wait, the hub stops accepting and connections wait in the listen
/// backlog instead), and every request not answered yet, by its id.
struct SpawnQueue {
    private var nextRequest: UInt32 = 1
    private var backlog: [(slot: Int, request: UInt32)] = []
    private var backlogStart = 0
    /// Requests the spawner has not answered (request → slot), sent or not.
    private var unanswered: [UInt32: Int] = [:]

    /// The id of a new request.
    mutating func newRequest() -> UInt32 {
        defer { nextRequest &+= 1 }
        return nextRequest
    }

    /// `request` forks slot `id`'s session; it waits until the spawner's channel takes it.
    mutating func queue(_ request: UInt32, slot id: Int) {
        unanswered[request] = id
        backlog.append((id, request))
    }

    /// Whether requests wait for room in the spawner's channel.
    var isBehind: Bool { backlogStart < backlog.count }

    /// How many requests wait for room.
    var waiting: Int { backlog.count - backlogStart }

    /// The next request to send.
    var next: (slot: Int, request: UInt32)? { isBehind ? backlog[backlogStart] : nil }

    /// The next request is sent (or no longer needed).
    mutating func dropNext() {
        backlogStart += 1
        if backlogStart == backlog.count {
            backlog.removeAll(keepingCapacity: true)
            backlogStart = 0
        }
    }

    /// The spawner answered `request`: the slot it was for.
    mutating func answered(_ request: UInt32) -> Int? { unanswered.removeValue(forKey: request) }

    /// The connection ended before its answer came.
    mutating func forget(_ request: UInt32) { unanswered[request] = nil }

    /// The spawner is gone: the slots whose requests it will never answer.
    mutating func takeUnanswered() -> [Int] {
        defer { unanswered.removeAll() }
        return Array(unanswered.values)
    }
}
