#!/usr/bin/env bash
# Runs irctest's server tests against chat-server, or against ngIRCd for the reference figures.
#
#   bash conformance/run.sh IRCTEST_DIR [chat-server|ngircd] [PYTEST_ARGS...]
#
# IRCTEST_DIR is a checkout of github.com/progval/irctest whose Python requirements, plus
# pytest-xdist and pytest-timeout, are installed for the python3 first on PATH (a venv).
# chat-server is built in release mode first, unless CHAT_SERVER_BIN names a binary. The markers are the ones irctest's own Makefile
# uses for ngIRCd; by default the tests run two at a time (-n 2). ngIRCd runs in a network
# namespace of its own (irctest's configuration for it binds to no one address), so that run
# needs root or user namespaces. The summary line is pytest's own; docs/CONFORMANCE.md records
# the figures.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
irctest="${1:?usage: conformance/run.sh IRCTEST_DIR [chat-server|ngircd] [PYTEST_ARGS...]}"
server="${2:-chat-server}"
shift $(( $# >= 2 ? 2 : 1 ))
[ -d "$irctest/irctest/server_tests" ] || { echo "conformance/run.sh: $irctest is not an irctest checkout" >&2; exit 2; }
markers="not services and not implementation-specific and not deprecated and not strict"
args=(-m "$markers" -n 2 --timeout 120 "$@" irctest/server_tests)

case "$server" in
chat-server)
    # CHAT_SERVER_BIN names another build (a debug one, an older one) to test instead.
    if [ -z "${CHAT_SERVER_BIN:-}" ]; then
        (cd "$root" && swift build -c release --product chat-server >&2)
        export CHAT_SERVER_BIN="$root/.build/release/chat-server"
    fi
    export PYTHONPATH="$here${PYTHONPATH:+:$PYTHONPATH}"
    cd "$irctest"
    exec python3 -m pytest --controller chat_server_controller "${args[@]}"
    ;;
ngircd)
    command -v ngircd >/dev/null || { echo "conformance/run.sh: ngircd is not installed" >&2; exit 2; }
    cd "$irctest"
    exec unshare -n sh -c 'ip link set lo up && exec "$@"' sh \
        python3 -m pytest --controller irctest.controllers.ngircd "${args[@]}"
    ;;
*)
    echo "conformance/run.sh: unknown server '$server' (chat-server or ngircd)" >&2; exit 2 ;;
esac
