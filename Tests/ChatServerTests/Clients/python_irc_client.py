"""A real IRC client (the `irc` library: PyPI, or Debian's python3-irc) against chat-server.

Usage: python_irc_client.py PORT NICK
Registers, joins #lobby, reads the NAMES reply, says hello, waits for a reply from
someone else, quits. Prints one line per step; exits non-zero on a timeout.
"""
import sys
import irc.client

port, nick = int(sys.argv[1]), sys.argv[2]
# irc 11 and later call it Reactor (with a scheduler); Debian's python3-irc is 8.5, where it is IRC.
reactor = irc.client.Reactor() if hasattr(irc.client, "Reactor") else irc.client.IRC()
steps = []


def step(text):
    print(text, flush=True)
    steps.append(text)


def on_welcome(conn, event):
    step(f"welcome {event.target}")
    conn.join("#lobby")


def on_join(conn, event):
    if irc.client.NickMask(event.source).nick == nick:
        step("joined #lobby")


def on_namreply(conn, event):
    step("names " + " ".join(sorted(event.arguments[2].split())))


def on_endofnames(conn, event):
    conn.privmsg("#lobby", "hello from python")
    step("said hello")


def on_pubmsg(conn, event):
    step(f"message from {irc.client.NickMask(event.source).nick}: {event.arguments[0]}")
    conn.quit("bye from python")


def on_disconnect(conn, event):
    step("disconnected")
    sys.exit(0)


client = reactor.server().connect("127.0.0.1", port, nick, username=nick, ircname="Python")
for name, handler in [("welcome", on_welcome), ("join", on_join), ("namreply", on_namreply),
                      ("endofnames", on_endofnames), ("pubmsg", on_pubmsg), ("disconnect", on_disconnect)]:
    client.add_global_handler(name, handler)
give_up = lambda: (step("timeout"), sys.exit(1))
if hasattr(reactor, "scheduler"):
    reactor.scheduler.execute_after(20, give_up)
else:
    reactor.execute_delayed(20, give_up)
reactor.process_forever()
