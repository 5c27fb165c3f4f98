"""irctest controller that runs chat-server (see conformance/README.md).

irctest imports this module by name (``--controller chat_server_controller``) with this folder on
PYTHONPATH; it starts one chat-server per test on the address irctest picks. The binary is
``$CHAT_SERVER_BIN`` (``conformance/run.sh`` sets it).
"""

import functools
import os
import socket
import subprocess
import time
from typing import Optional, Set, Type

from irctest.basecontrollers import BaseServerController, DirectoryBasedController
from irctest.runner import NotImplementedByController
from irctest.specifications import OptionalBehaviors


# irctest's operator block: OPER operuser operpassword (as in its other controllers).
OPER_NAME = "operuser"
OPER_PASSWORD = "operpassword"


@functools.lru_cache(maxsize=None)
def password_hash(binary: str, password: str) -> str:
    """The argon2id hash chat-server stores for ``password``, made once per run."""
    out = subprocess.run(
        [binary, "hash-password"], input=password + "\n", capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


class ChatServerController(BaseServerController, DirectoryBasedController):
    software_name = "chat-server"
    # Accounts are built in (NickServ and SASL in the hub): no services process to start.
    supported_sasl_mechanisms: Set[str] = {"PLAIN"}
    supports_sts = False
    # What the server does of irctest's optional behaviours: declared, a test that finds one
    # missing fails instead of being skipped.
    optional_behaviors = frozenset(
        (
            OptionalBehaviors.BAN_EXCEPTION_MODE,  # +e, ISUPPORT EXCEPTS
            OptionalBehaviors.INVITE_EXCEPTION_MODE,  # +I, ISUPPORT INVEX
            OptionalBehaviors.INVITE_OVERRIDES_LIMIT,  # an invitation gets past +l
            OptionalBehaviors.INVITE_LIST,  # INVITE alone: 336 per channel, 337
            OptionalBehaviors.MULTI_KICK,  # KICK #a nick1,nick2 and KICK #a,#b n1,n2 (TARGMAX KICK:4)
        )
    )

    def run(
        self,
        hostname: str,
        port: int,
        *,
        password: Optional[str],
        ssl: bool,
        run_services: bool,
        faketime: Optional[str],
        websocket_hostname: Optional[str],
        websocket_port: Optional[int],
    ) -> None:
        if websocket_hostname is not None or websocket_port is not None:
            raise NotImplementedByController("Websocket")
        if ssl:
            raise NotImplementedByController("TLS")
        if password is not None:
            raise NotImplementedByController("PASS")
        assert self.proc is None
        self.port = port
        self.hostname = hostname
        self.create_config()
        binary = os.environ.get("CHAT_SERVER_BIN", "chat-server")
        assert self.directory is not None
        config = os.path.join(self.directory, "chat.conf")
        with open(config, "w") as f:
            f.write(f"oper = {OPER_NAME} {password_hash(binary, OPER_PASSWORD)}\n")
        # The tests open many connections from one address at once and send faster than a
        # person: per-address limits and flood control would only get in their way.
        self.proc = self.execute(
            [
                binary,
                "--listen", f"{hostname}:{port}",
                "--name", "My.Little.Server",
                "--description", "test server",  # as irctest's other controllers configure it
                "--control-socket", "none",
                "--no-console",
                "--max-per-ip", "0",
                "--flood-rate", "0",
                "--log-level", "warning",
                "--config", config,
            ]
        )

    def wait_for_services(self) -> None:
        # Nothing to wait for: accounts are part of the server.
        pass

    def registerUser(self, case, username: str, password: Optional[str] = None) -> None:
        """Registers ``username`` through NickServ over a connection of its own, as Ergo's
        controller does (chat-server's accounts live in the server itself)."""
        assert password
        client = case.addClient(show_io=False)
        case.sendLine(client, "NICK " + username)
        case.sendLine(client, "USER r e g :user")
        while case.getRegistrationMessage(client).command != "001":
            pass
        case.getMessages(client)
        case.sendLine(client, "NS REGISTER " + password)
        while True:
            msg = case.getMessage(client)
            if msg.command == "900":
                break
            assert msg.command == "NOTICE" and "registered" in msg.params[-1], msg
        case.sendLine(client, "QUIT")
        case.assertDisconnected(client)

    def wait_for_port(self) -> None:
        # The first line a client sends picks its dialect: the probe says it is an IRC client
        # (CAP LS 302) so the server does not greet it as a telnet user.
        started_at = time.time()
        while not self.port_open:
            self.check_is_alive()
            time.sleep(self._port_wait_interval)
            try:
                c = socket.create_connection((self.hostname, self.port), timeout=1.0)
            except ConnectionRefusedError:
                if time.time() - started_at >= 60:
                    raise
                continue
            try:
                c.sendall(b"CAP LS 302\r\nQUIT :chkport\r\n")
                data = b""
                while b"ERROR" not in data:
                    chunk = c.recv(4096)
                    if not chunk:
                        break
                    data += chunk
            except (OSError, socket.timeout):
                pass
            finally:
                c.close()
            self.port_open = True


def get_irctest_controller_class() -> Type[ChatServerController]:
    return ChatServerController
