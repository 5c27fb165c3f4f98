import ChatPOSIX
import Foundation
import Testing
import TestSupport

/// The committed manual pages (man/, made by `make man` from the argument parsers): they name
/// every option the programs have, so they cannot drift from them unnoticed, and groff renders
/// them without a warning.
@Suite(.serialized) struct ManualPageTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let pages = [("chat-server", "man/chat-server.8"), ("chat-tui", "man/chat-tui.1")]

    /// Every option and subcommand a person can see, as the page must show it: `-name` among
    /// the words of an `.It Fl` line for an option (`.It Fl c , -command`), `.It Em name` for a
    /// subcommand.
    static func visibleNames(_ command: [String: Any]) -> [String] {
        var out: [String] = []
        for argument in command["arguments"] as? [[String: Any]] ?? [] where argument["shouldDisplay"] as? Bool ?? true {
            for name in argument["names"] as? [[String: Any]] ?? [] where name["kind"] as? String == "long" {
                out.append("-\(name["name"] as? String ?? "")")
            }
        }
        for sub in command["subcommands"] as? [[String: Any]] ?? [] {
            out.append(".It Em \(sub["commandName"] as? String ?? "")")
            out += visibleNames(sub)
        }
        return out
    }

    @Test(arguments: pages)
    func thePageNamesEveryOptionTheParserHas(_ program: String, _ page: String) async throws {
        let dump = try await runToExit(productPath(program), ["--experimental-dump-help"], errorsApart: true)
        #expect(dump.status == 0, "\(dump.errors)")
        let json = try JSONSerialization.jsonObject(with: Data(dump.output.utf8)) as? [String: Any]
        let names = Self.visibleNames(json?["command"] as? [String: Any] ?? [:])
        #expect(names.contains("-help") && names.count > 5, "\(names)")
        let text = try String(contentsOf: Self.repository.appendingPathComponent(page), encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        let optionWords = Set(lines.filter { $0.hasPrefix(".It Fl ") }.flatMap { $0.split(separator: " ").map(String.init) })
        let missing = Set(names).filter { $0.hasPrefix(".It Em ") ? !lines.contains($0) : !optionWords.contains($0) }
        #expect(missing.isEmpty, "\(page) misses \(missing.sorted()): run `make man` (man/generate.sh)")
    }

    @Test(.enabled(if: findExecutable("groff") != nil, "groff is not installed (Debian: groff-base): the pages cannot be rendered"),
          arguments: pages)
    func groffRendersThePageWithoutAWarning(_ program: String, _ page: String) async throws {
        let path = Self.repository.appendingPathComponent(page).path
        let render = try await runToExit(findExecutable("groff")!, ["-mandoc", "-ww", "-z", "-Tutf8", path], errorsApart: true)
        #expect(render.status == 0 && render.errors.isEmpty, "\(render.errors)")
        let text = try await runToExit(findExecutable("groff")!, ["-mandoc", "-Tutf8", "-P", "-cbou", path], errorsApart: true)
        for section in ["NAME", "SYNOPSIS", "DESCRIPTION", "EXIT STATUS", "EXAMPLES", "SEE ALSO"] {
            #expect(text.output.contains("\n\(section)\n"), "\(page) has no \(section): \(text.output)")
        }
        if program == "chat-server" {
            #expect(text.output.contains("telnet localhost 4444") && text.output.contains("SIGNALS") && text.output.contains("FILES"))
        }
    }
}
