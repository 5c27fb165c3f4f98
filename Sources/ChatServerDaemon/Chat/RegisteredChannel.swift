/// A registered channel as the state store keeps it: its registration and what persists
/// of its state (topic, modes with key, limit and mask lists). Members and their status do
/// not persist: status comes back from the access list.
struct RegisteredChannel: Equatable {
    var name: String
    var registration: ChannelRegistration
    var topic = ""
    var topicBy = ""
    var topicAt: Int64 = 0
    var modes = ChannelModes()
}
