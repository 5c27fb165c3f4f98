import Foundation
import Testing
import TestSupport
import ChatProtocol
@testable import ChatTUI

/// What a hostile server sends never reaches the terminal: checked on tmux's side, where a
/// sequence that got through would show (a changed pane title, a paste buffer, a cleared
/// screen), not only in the model.
extension EndToEndTests {
    @Test func hostileBytesFromTheNetworkNeverReachTheTerminal() async throws {
        let tmux = try await Tmux()
        defer { tmux.kill() }
        // tmux takes an OSC 52 clipboard write into a paste buffer only with this on (the
        // default, "external", ignores programs).
        try await tmux.cmd(["set-option", "-g", "set-clipboard", "on"])
        func paneTitle(_ window: String) async throws -> String {
            try await tmux.cmd(["display-message", "-p", "-t", ":" + window, "#{pane_title}"])
        }
        func buffers() async throws -> String { try await tmux.cmd(["list-buffers"]) }
        func bell(_ window: String) async throws -> String {
            try await tmux.cmd(["display-message", "-p", "-t", ":" + window, "#{window_bell_flag}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        }

        // The checks can fail: the same sequences printed by a program do change the title
        // and fill a buffer in this tmux.
        let control = try await tmux.newWindow()
        try await tmux.typeLine("printf '\\033]0;control-title\\007\\033]52;c;Y29udHJvbA==\\007\\007'; echo printed-$((6*7))", window: control)
        try await tmux.waitFor(text: "printed-42", window: control)
        #expect(try await paneTitle(control).contains("control-title"))
        #expect(try await buffers().contains("control"))
        #expect(try await bell(control) == "1")
        try await tmux.cmd(["kill-window", "-t", ":" + control])
        try await tmux.cmd(["delete-buffer"])
        #expect(try await buffers().isEmpty)

        let server = try ScriptedIRCServer()
        try await tmux.typeLine(clientCommand("connect 127.0.0.1:\(server.port) --nick victim --channel '#hostile'"))
        try await server.register(nick: "victim", channel: "#hostile")
        try await tmux.waitFor(text: "You joined #hostile")
        let title = try await paneTitle("0")
        #expect(try await bell("0") == "0")

        func message(_ body: [UInt8]) -> [UInt8] { Array(":bob!b@h PRIVMSG #hostile :".utf8) + body + [13, 10] }
        let esc: UInt8 = 0x1b, bel: UInt8 = 0x07
        try server.send([":bob!b@h PRIVMSG #hostile :before the hostile lines"])
        var hostile: [UInt8] = []
        hostile += message([esc] + Array("]52;c;aGFja2Vk".utf8) + [bel] + Array(" osc52-clipboard".utf8))
        hostile += message([esc] + Array("]0;HACKED-TITLE".utf8) + [bel] + Array(" osc0-title".utf8))
        hostile += message([esc] + Array("]2;HACKED-TITLE2".utf8) + [esc, 0x5c] + Array(" osc2-title-st".utf8))
        hostile += message([esc] + Array("[2J".utf8) + [esc] + Array("[H clear-screen".utf8))
        hostile += message([0x9b] + Array("2J raw-c1-csi".utf8))                              // a lone C1 byte
        hostile += message(Array("\u{9b}2J utf8-c1-csi \u{9d}0;HACKED-TITLE3\u{9c}".utf8))     // C1 as characters
        hostile += message(Array("bad".utf8) + [0xff, 0xfe, 0xc3] + Array(" invalid-utf8".utf8))
        hostile += message([bel, bel] + Array(" bell".utf8))
        // mIRC formatting is shown (issue 18), and hides nothing else: escape sequences, C1
        // controls and BEL inside formatted text go as elsewhere.
        hostile += message([0x02] + Array("fmt-bold".utf8) + [esc] + Array("]0;HACKED-TITLE4".utf8) + [bel, 0x02]
                           + Array(" ".utf8) + [0x03] + Array("4,1fmt-red".utf8) + [esc] + Array("[2J".utf8) + [0x03]
                           + Array(" ".utf8) + [0x1f] + Array("fmt-under".utf8) + [0x9b] + Array("31m".utf8) + [0x0f, bel]
                           + Array(" fmt-end".utf8))
        try server.sendRaw(hostile)
        // Ten megabytes without a line end, then the line end and an ordinary line.
        try server.sendRaw([UInt8](repeating: UInt8(ascii: "A"), count: 10 << 20) + [13, 10])
        try server.send([":bob!b@h PRIVMSG #hostile :after the hostile lines"])

        let s = try await tmux.waitFor(text: "after the hostile lines", timeout: 60)
        for text in ["before the hostile lines", "osc52-clipboard", "osc0-title", "osc2-title-st", "clear-screen",
                     "raw-c1-csi", "utf8-c1-csi", "invalid-utf8", "bell", "fmt-bold fmt-red fmt-under", "fmt-end"] {
            #expect(s.contains { $0.contains(text) }, "\(text) is shown, without what came with it")
        }
        #expect(!s.contains { $0.contains("HACKED") || $0.contains("[2J") || $0.contains("52;c") })
        #expect(s.contains { $0.contains("<bob> bad\u{FFFD}\u{FFFD}\u{FFFD} invalid-utf8") })
        // The layout is intact: title row, status bar and input line where they belong.
        #expect(s.count == 30)
        #expect(s[0].hasPrefix("#hostile"))
        #expect(s[28].contains("victim │ 2:#hostile (2) │ connected"))
        #expect(s[29].hasPrefix("[#hostile]"))
        #expect(s.allSatisfy { DisplayWidth.of($0) <= 100 })
        #expect(try await paneTitle("0") == title)
        #expect(try await buffers().isEmpty)
        #expect(try await bell("0") == "0")
        // The formatted words carry their attributes (tmux's capture with -e shows them as SGR).
        let styled = try await tmux.cmd(["capture-pane", "-p", "-e", "-t", ":0"])
        let row = styled.split(separator: "\n").first { $0.contains("fmt-bold") }.map(String.init) ?? ""
        /// The SGR sequences right before `word` (tmux writes one per attribute).
        func sgrBefore(_ word: String) -> String {
            guard let r = row.range(of: word) else { return "" }
            var start = r.lowerBound
            while let esc = row[..<start].range(of: "\u{1b}[", options: .backwards),
                  row[esc.upperBound..<start].dropLast().allSatisfy({ $0.isNumber || $0 == ";" }), row[..<start].hasSuffix("m") {
                start = esc.lowerBound
            }
            return String(row[start..<r.lowerBound])
        }
        #expect(sgrBefore("fmt-bold").contains("1"), "bold: \(row.debugDescription)")
        #expect(sgrBefore("fmt-red").contains("31") || sgrBefore("fmt-red").contains("91") || sgrBefore("fmt-red").contains("38;5;"),
                "red: \(row.debugDescription)")
        #expect(sgrBefore("fmt-under").contains("4"), "underline: \(row.debugDescription)")
        #expect(!row.contains("HACKED") && !row.contains("[2J"))

        // The overlong line was dropped with a note in the server window.
        try await tmux.keys("M-1")
        try await tmux.waitFor(text: "A line from the server was too long and was dropped.")
        // And the client still works.
        try await tmux.keys("M-2")
        try await tmux.typeLine("still here")
        try await tmux.waitFor(text: "<victim> still here")
        try await tmux.typeLine("/quit")
        try await tmux.waitFor(text: "EXIT=0")
        #expect(try await paneTitle("0") == title)
    }
}
