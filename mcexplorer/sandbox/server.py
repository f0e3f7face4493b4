"""SandboxServer: the sandbox app served by uvicorn in a daemon thread on a real socket."""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from types import TracebackType
from typing import Any

import uvicorn

from mcexplorer.sandbox.app import SandboxApp, Transports
from mcexplorer.sandbox.faults import FaultConfig, FaultConfigError
from mcexplorer.sandbox.mailersend.app import MailerSendApp
from mcexplorer.sandbox.protocol import protocol_class
from mcexplorer.sandbox.store import Store

START_TIMEOUT_S = 10.0
PROVIDERS = ("mailchimp", "mailersend")


class RemoteBindRefused(ValueError):
    """A non-loopback address was asked for without allow_remote."""


def is_loopback_host(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class SandboxServer:
    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        dc: str = "us6",
        latency_ms: float = 0.0,
        faults: str | FaultConfig = "none",
        seed: int = 0,
        provider: str = "mailchimp",
        plan: str | None = None,
        allow_remote: bool = False,
        store: Store | None = None,
    ) -> None:
        """`store`: the Mailchimp demo account already built from `seed` and `dc`."""
        if not is_loopback_host(host) and not allow_remote:
            raise RemoteBindRefused(
                f"refusing to serve the sandbox on {host}: it is not a loopback address "
                "(pass allow_remote=True / --allow-remote to expose it)"
            )
        if provider not in PROVIDERS:
            raise ValueError(
                f"unknown sandbox provider {provider!r}; known: {', '.join(PROVIDERS)}"
            )
        config = faults if isinstance(faults, FaultConfig) else FaultConfig.profile(faults)
        if latency_ms:
            config.latency_ms = latency_ms
        self.host = host
        self.port = port
        self.provider = provider
        self.plan = plan
        self.transports: Transports = {}
        self.app: SandboxApp | MailerSendApp
        if provider == "mailersend":
            if store is not None:
                raise ValueError("a seeded store is the Mailchimp sandbox's")
            if config.rates or config.firewall or config.firewall_after_404s or config.require_tls:
                raise FaultConfigError("fault profiles apply to the Mailchimp sandbox only")
            self.app = MailerSendApp(seed=seed, plan=plan, latency_ms=config.latency_ms)
        else:
            self.app = SandboxApp(
                seed=seed, dc=dc, faults=config, transports=self.transports, store=store
            )
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------

    def start(self, sock: socket.socket | None = None) -> None:
        """Serve in a daemon thread; returns once the socket is listening.

        `sock` is one already bound (and its port already handed out); host and port are
        then its own."""
        config = uvicorn.Config(
            self.app,
            host=self.host,
            port=self.port,
            http=protocol_class(self.transports),
            ws="none",
            lifespan="off",
            access_log=False,
            # No proxy in front: X-Forwarded-* from a loopback client must not change the
            # client address (the reset fault finds connections by it) or the scheme.
            proxy_headers=False,
            log_level="warning",
            timeout_graceful_shutdown=1,
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(
            target=server.run,
            kwargs={"sockets": [sock] if sock is not None else None},
            name="mcexplorer-sandbox",
            daemon=True,
        )
        thread.start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                server.should_exit = True
                raise RuntimeError(f"the sandbox could not listen on {self.host}:{self.port}")
            time.sleep(0.005)
        self.port = server.servers[0].sockets[0].getsockname()[1]
        self._server, self._thread = server, thread

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> SandboxServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- addresses and demo credentials -------------------------------------------

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.url}/v1/" if self.provider == "mailersend" else f"{self.url}/3.0/"

    @property
    def demo_key(self) -> str:
        """The demo account's API key; for MailerSend its full-access `mlsn.` token."""
        if isinstance(self.app, MailerSendApp):
            return self.app.demo_token
        return self.app.store.demo_key

    @property
    def viewer_key(self) -> str:
        """A key that may only read; for MailerSend a read-only token."""
        if isinstance(self.app, MailerSendApp):
            return self.app.read_only_token
        return self.app.store.viewer_key

    @property
    def demo_oauth_token(self) -> str:
        if isinstance(self.app, MailerSendApp):
            raise ValueError("the MailerSend sandbox has no OAuth tokens; use demo_key")
        return self.app.store.demo_oauth_token

    def stats(self) -> dict[str, Any]:
        return self.app.stats.to_dict()
