import ChatProtocol

/// LUSERS: who is connected, counted as modern.ircdocs.horse asks.
extension ChatState {
    /// The counts for a LUSERS reply. Invisible users and server operators are counted by
    /// walking the users (the walk is charged to the asker as work); user modes `+i`
    /// (`User.invisible`) and `+o` (`User.isOperator`).
    func luserCounts() -> LuserCounts {
        var invisible = 0, operators = 0
        charge(work: users.count)
        for u in users.values where u.registered {
            if u.invisible { invisible += 1 }
            if u.isOperator { operators += 1 }
        }
        return LuserCounts(users: registeredCount, invisible: invisible, operators: operators,
                           unknown: users.count - registeredCount, channels: channels.count, maxUsers: maxUsers)
    }
}
