import ChatProtocol
import Foundation
import Testing
import TestSupport

/// `HubMessageType` is the one list of the wire's type numbers; docs/PROTOCOL.md describes
/// them for people. These tests keep the two the same, both ways.
@Suite(.serialized, .compute) struct HubMessageTypeTests {
    /// docs/PROTOCOL.md, found from this file's place in the repository.
    static func protocolDocument() throws -> String {
        let root = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try String(contentsOf: root.appendingPathComponent("docs/PROTOCOL.md"), encoding: .utf8)
    }

    /// The `| type | name | fields |` rows of the table under the heading `### <heading>`.
    static func table(_ heading: String, in document: String) -> [(number: UInt8, name: String)] {
        var rows: [(UInt8, String)] = []
        var inSection = false
        for line in document.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("#") {
                inSection = line.hasPrefix("### " + heading)
                continue
            }
            guard inSection, line.hasPrefix("|") else { continue }
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 2, let number = UInt8(cells[0]) else { continue }  // header, rule
            rows.append((number, cells[1]))
        }
        return rows
    }

    /// The name the document uses for a type: the case's name without its direction.
    static func documentedName(_ type: HubMessageType) -> String {
        let name = String(describing: type)
        let direction = type.isRequest ? "request" : type.isEvent ? "event" : type.isSpawner ? "spawner" : "password"
        let bare = name.dropFirst(direction.count)
        return bare.prefix(1).lowercased() + bare.dropFirst()
    }

    static func expectSame(_ rows: [(number: UInt8, name: String)], _ types: [HubMessageType],
                           _ heading: String) {
        #expect(!rows.isEmpty, "no table under '### \(heading)' in docs/PROTOCOL.md")
        let documented = Dictionary(rows.map { ($0.number, $0.name) }, uniquingKeysWith: { a, _ in a })
        #expect(documented.count == rows.count, "a type number appears twice under '### \(heading)'")
        for type in types {
            #expect(documented[type.rawValue] == documentedName(type),
                    "\(type) (\(type.rawValue)) is documented as \(documented[type.rawValue] ?? "nothing")")
        }
        for row in rows {
            let type = HubMessageType(rawValue: row.number)
            #expect(type.map { types.contains($0) } == true, "docs/PROTOCOL.md: \(row.number) \(row.name) is not in HubMessageType")
        }
    }

    @Test func requestTableMatchesTheEnum() throws {
        let rows = Self.table("Requests", in: try Self.protocolDocument())
        Self.expectSame(rows, HubMessageType.allCases.filter(\.isRequest), "Requests")
    }

    @Test func eventTableMatchesTheEnum() throws {
        let rows = Self.table("Events", in: try Self.protocolDocument())
        Self.expectSame(rows, HubMessageType.allCases.filter(\.isEvent), "Events")
    }

    @Test func spawnerTableMatchesTheEnum() throws {
        let rows = Self.table("Spawner", in: try Self.protocolDocument())
        Self.expectSame(rows, HubMessageType.allCases.filter(\.isSpawner), "Spawner")
    }

    @Test func passwordWorkerTableMatchesTheEnum() throws {
        let rows = Self.table("Password worker", in: try Self.protocolDocument())
        Self.expectSame(rows, HubMessageType.allCases.filter(\.isPasswordWorker), "Password worker")
    }

    /// The frame layout's summary line (`type     request 1–20, event 64–88, spawner 128–129, …`).
    @Test func frameLayoutGivesTheRanges() throws {
        let requests = HubMessageType.allCases.filter(\.isRequest).map(\.rawValue)
        let events = HubMessageType.allCases.filter(\.isEvent).map(\.rawValue)
        let spawner = HubMessageType.allCases.filter(\.isSpawner).map(\.rawValue)
        let worker = HubMessageType.allCases.filter(\.isPasswordWorker).map(\.rawValue)
        let line = "request \(requests.min()!)–\(requests.max()!), event \(events.min()!)–\(events.max()!), "
            + "spawner \(spawner.min()!)–\(spawner.max()!), password worker \(worker.min()!)–\(worker.max()!)"
        #expect(try Self.protocolDocument().contains(line))
    }

    /// Each decoder knows its own direction's types and refuses the other's as unknown.
    @Test func eachDecoderRefusesTheOtherDirection() {
        #expect(Set(HubMessageType.allCases.map(\.rawValue)).count == HubMessageType.allCases.count)
        for type in HubMessageType.allCases {
            let raw = type.rawValue
            let request = [UInt8]().withUnsafeBytes { p in Result { () throws(PayloadError) in try HubRequest(type: raw, payload: p) } }
            let event = [UInt8]().withUnsafeBytes { p in Result { () throws(PayloadError) in try HubEvent(type: raw, payload: p) } }
            let unknown = PayloadError.unknownType(raw)
            if type.isRequest {
                #expect(event.error == unknown)
                #expect(request.error != unknown)
            } else if type.isEvent {
                #expect(request.error == unknown)
                #expect(event.error != unknown)
            } else {
                // The spawner's and the password worker's messages are neither a session's request nor its event.
                #expect(request.error == unknown)
                #expect(event.error == unknown)
            }
        }
    }
}

private extension Result {
    var error: Failure? {
        if case .failure(let e) = self { return e }
        return nil
    }
}
