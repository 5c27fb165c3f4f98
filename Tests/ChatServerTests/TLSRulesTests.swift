@testable import ChatServerDaemon
import ChatProtocol
import Testing
import TestSupport

/// The pure parts of TLS on the server: what a session may report of its TLS, and the `sts`
/// word in CAP LS.
@Suite(.serialized, .compute) struct TLSRulesTests {
    @Test func aSessionsTLSReportIsCutToAWord() {
        #expect(ChatState.tlsWord("TLSv1.3") == "TLSv1.3")
        #expect(ChatState.tlsWord("TLS_AES_256_GCM_SHA384") == "TLS_AES_256_GCM_SHA384")
        #expect(ChatState.tlsWord("\u{1B}[2Jevil\r\n,x") == "2Jevilx")
        #expect(ChatState.tlsWord("") == "?")
        #expect(ChatState.tlsWord(String(repeating: "a", count: 500)).count == 64)
    }

    @Test func stsIsOfferedOnlyTo302ClientsAndAfterTheCapabilities() {
        let groups = IRCCapability.lsGroups(version: 302, extra: ["sts=port=6697"])
        #expect(groups.last?.hasSuffix("sts=port=6697") == true)
        #expect(!IRCCapability.lsGroups(version: 0, extra: ["sts=port=6697"]).joined().contains("sts"))
        #expect(IRCCapability.requested("sts") == nil)  // informational: never requested
    }

    @Test func theHubRecordsTheTLSOfAConnectionBeforeRegistration() {
        let settings = ChatSettings(serverName: "test.server", network: "test", version: "v", createdAt: 0,
                                    historyLength: 2, motd: nil)
        let state = ChatState(settings: settings, sink: RecordingSink(), clock: { 1_764_300_000_000 })
        state.connect(session: 1, host: "127.0.0.1")
        state.handle(.tlsInfo(version: "TLSv1.3", cipher: "TLS_AES_128_GCM_SHA256\u{7}", certificate: ""), from: 1)
        #expect(state.users[1]?.tls == "TLSv1.3/TLS_AES_128_GCM_SHA256")
    }
}
