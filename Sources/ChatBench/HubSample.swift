import ChatPOSIX
import ChatProtocol

#if canImport(Glibc)
import Glibc
#endif

/// The hub alone (not its sessions): before the first connect, and after everyone left.
struct HubSample {
    var descriptors = 0
    var pssKiB = 0
    var children = 0
    var zombies = 0

    static func take(_ hub: Int32) -> HubSample? {
        guard let fds = SessionFinder.descriptorCount(hub), let pss = TreeSample.pss(hub) else { return nil }
        let c = SessionFinder.children(hub)
        return HubSample(descriptors: fds, pssKiB: pss, children: c.all, zombies: c.zombies)
    }
}
