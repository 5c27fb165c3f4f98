import ArgumentParser

/// `--control-socket PATH`, declared once for the server and `chat-server console`: the
/// parser hands a subcommand the parent's already-parsed group of the same type, whereas two
/// separate options of the same name would leave the subcommand's empty.
struct ControlSocketOption: ParsableArguments {
    @Option(name: .customLong("control-socket"), help: ArgumentHelp("Unix socket of the operator console (default: $XDG_RUNTIME_DIR/chat-server.sock, else /tmp/chat-server-UID/chat-server.sock; 'none': no socket).", valueName: "PATH"))
    var controlSocket: String?
}
