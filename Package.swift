// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "terminal-chat",
    products: [
        .executable(name: "chat-server", targets: ["ChatServerDaemon"]),
        .executable(name: "chat-tui", targets: ["ChatTUI"]),
        .executable(name: "chat-bench", targets: ["ChatBench"]),
        .library(name: "ChatProtocol", targets: ["ChatProtocol"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        // chat-tui's configuration file (TOML), read and written in Sources/ChatTUI/Settings only.
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // Linux calls that Swift's Glibc module does not export (signalfd, epoll, pipe2, prctl).
        .systemLibrary(name: "CLinux"),
        // ncursesw; no pkgConfig on purpose (SwiftPM drops its -D flags and warns), see docs/CLIENT.md.
        .systemLibrary(name: "CNcurses"),
        // libsodium: argon2id password hashes (the password worker, `chat-server hash-password`).
        .systemLibrary(name: "CSodium"),
        // libsystemd: sd_notify and the watchdog when systemd runs the server (Type=notify).
        .systemLibrary(name: "CSystemd"),
        // OpenSSL 3 (libssl-dev): TLS for sessions and chat-tui, through ChatTLS only.
        .systemLibrary(name: "CSSL"),
        // SQLite: the hub's state store (accounts), see docs/ACCOUNTS.md.
        .systemLibrary(name: "CSQLite"),
        // CRC-32C with the processor's instruction, header-only (inlined into ChatProtocol).
        .systemLibrary(name: "CChecksum"),
        // Wire and text logic shared by server, client and benchmark. No Foundation.
        .target(name: "ChatProtocol", dependencies: ["CChecksum"]),
        // TLS as a state machine over memory buffers, shared by server, client and bench (no I/O).
        .target(name: "ChatTLS", dependencies: ["CSSL"]),
        // The one thin layer over system calls.
        .target(name: "ChatPOSIX", dependencies: ["CLinux"]),
        .executableTarget(
            name: "ChatServerDaemon",
            dependencies: [
                "ChatProtocol", "ChatPOSIX", "ChatTLS", "CSodium", "CSystemd", "CSQLite",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "ChatTUI",
            dependencies: [
                "ChatProtocol", "ChatPOSIX", "ChatTLS", "CNcurses",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        // Load generator and meter (docs/BENCHMARKS.md).
        .executableTarget(
            name: "ChatBench",
            dependencies: [
                "ChatProtocol", "ChatPOSIX", "ChatTLS",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        // What the test targets share: the products' path, a process with a log to wait on.
        .target(name: "TestSupport", dependencies: ["ChatPOSIX", "CLinux"], path: "Tests/TestSupport"),
        .testTarget(name: "ChatProtocolTests", dependencies: ["ChatProtocol", "ChatTLS", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ChatServerTests", dependencies: ["ChatServerDaemon", "ChatProtocol", "ChatPOSIX", "ChatTLS", "TestSupport"],
                    exclude: ["Clients"]),
        .testTarget(name: "ChatTUITests", dependencies: ["ChatTUI", "ChatProtocol", "ChatPOSIX", "ChatTLS", "TestSupport"]),
        .testTarget(name: "ChatBenchTests", dependencies: ["ChatBench", "ChatServerDaemon", "ChatPOSIX", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
