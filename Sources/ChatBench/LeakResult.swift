import ChatPOSIX
import ChatProtocol

#if canImport(Glibc)
import Glibc
#endif

struct LeakResult {
    var before: HubSample
    var after: HubSample?
    var hubAlive: Bool
    var secondsToEmpty: Double
    var pssToleranceKiB: Int

    var descriptorsBack: Bool { after.map { $0.descriptors == before.descriptors } ?? false }
    var childrenBack: Bool { after.map { $0.children == before.children && $0.zombies == 0 } ?? false }
    var pssGrowthKiB: Int { (after?.pssKiB ?? 0) - before.pssKiB }
    var pssWithinTolerance: Bool { after != nil && pssGrowthKiB <= pssToleranceKiB }
    var ok: Bool { hubAlive && descriptorsBack && childrenBack && pssWithinTolerance }
}
