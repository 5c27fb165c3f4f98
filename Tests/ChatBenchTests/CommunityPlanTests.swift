@testable import ChatBench
import Testing
import TestSupport

/// The community scenario's plan: the shape the issue asks for (channels of mixed sizes, one
/// of half the users, human rates, private conversations), and who is owed whose lines.
@Suite(.serialized, .compute) struct CommunityPlanTests {
    let plan = CommunityPlan(clients: 2000, channels: 20, senders: 80, privateSenders: 20, channelPrefix: "#c")

    @Test func theFirstChannelHoldsHalfTheUsersAndTheOthersFewer() {
        #expect(plan.channelNames.first == "#c0" && plan.channelNames.last == "#c19")
        #expect(plan.sizes[0] == 1000, "\(plan.sizes)")
        for k in 1..<20 { #expect(plan.sizes[k] >= 8 && plan.sizes[k] < 1000, "\(plan.sizes)") }
        // Mixed: a few hundred in the second channel, a few dozen in the last.
        #expect(plan.sizes[1] > 300 && plan.sizes[19] < 60, "\(plan.sizes)")
    }

    @Test func everyUserJoinsAtLeastOneChannelAndAtMostTenWithoutRepeats() {
        for j in plan.joins {
            #expect(!j.isEmpty && j.count <= CommunityPlan.maxJoins && Set(j).count == j.count, "\(j)")
        }
        #expect(plan.joinCommand(0).hasPrefix("JOIN #c0"))
        #expect(plan.lastChannel(0) == plan.channelNames[plan.joins[0].last!])
    }

    @Test func channelSendersAreMembersAndRatesGoFromFiveToAFifth() {
        for s in 0..<60 {
            guard case .channel(let k) = plan.targets[s] else { Issue.record("sender \(s)"); continue }
            #expect(k == s % 20 && plan.joins[s].contains(k))
            #expect(plan.prefix(s, nick: { "u\($0)" }) == "PRIVMSG #c\(k) :")
        }
        // Three senders share each channel's rate.
        #expect(abs(plan.rates[0] * 3 - 5) < 1e-9 && abs(plan.rates[19] * 3 - 0.2) < 1e-9, "\(plan.rates)")
        #expect(CommunityPlan.channelRate(0, of: 20) == 5)
        #expect(abs(CommunityPlan.channelRate(19, of: 20) - 0.2) < 1e-9)
        let channelTotal = (0..<20).map { CommunityPlan.channelRate($0, of: 20) }.reduce(0, +)
        #expect(abs(plan.totalRate - channelTotal - 20 * 0.2) < 1e-9)
    }

    @Test func privateSendersWriteToOneUserWhoIsNoSender() {
        for p in 0..<20 {
            let s = 60 + p
            #expect(plan.targets[s] == .user(1999 - p))
            #expect(plan.prefix(s, nick: { "u\($0)" }) == "PRIVMSG u\(1999 - p) :")
            #expect(plan.receives(1999 - p, from: s))
            #expect(!plan.receives(1998 - p - 20, from: s))
        }
    }

    @Test func aChannelLineIsOwedToItsOtherMembersOnly() {
        let s = 1  // channel 1
        for u in 0..<2000 {
            #expect(plan.receives(u, from: s) == (u != s && plan.joins[u].contains(1)))
        }
        #expect(!plan.receives(0, from: 0))
    }

    @Test func impossibleShapesAreRefusedWithAReason() {
        #expect(CommunityPlan.problem(clients: 2000, channels: 20, senders: 80, privateSenders: 20) == nil)
        #expect(CommunityPlan.problem(clients: 2000, channels: 0, senders: 80, privateSenders: 20)?.contains("--channels") == true)
        #expect(CommunityPlan.problem(clients: 2000, channels: 20, senders: 30, privateSenders: 20)?.contains("one channel sender per channel") == true)
        #expect(CommunityPlan.problem(clients: 2000, channels: 20, senders: 80, privateSenders: 90)?.contains("--private") == true)
        #expect(CommunityPlan.problem(clients: 100, channels: 20, senders: 80, privateSenders: 20)?.contains("--clients") == true)
    }

    @Test func thePlanIsTheSameEveryTime() {
        #expect(plan == CommunityPlan(clients: 2000, channels: 20, senders: 80, privateSenders: 20, channelPrefix: "#c"))
    }
}
