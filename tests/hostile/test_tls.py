"""TLS that cannot work fails once, before anything is sent, and says why: it is the same
on every try, so it is not retried like a dropped connection."""

from __future__ import annotations

import ssl
import subprocess
from pathlib import Path

import pytest

from mcexplorer.core.accounts.keys import Credentials
from mcexplorer.core.http.engine import Engine
from mcexplorer.core.http.outcome import Outcome
from mcexplorer.core.http.request import ApiRequest
from mcexplorer.core.http.wire import Timeouts
from tests.hostile.server import KEY, HostileServer, http

FAST = Timeouts(connect=0.5, read=2.0, write=2.0)


async def send_over_tls(server: HostileServer) -> Outcome:
    async with Engine(server.base_url("https"), Credentials.api_key(KEY), timeouts=FAST) as engine:
        return await engine.send(ApiRequest("POST", "/lists", body={"name": "x"}))


def assert_failed_once_before_sending(outcome: Outcome, server: HostileServer, cause: str) -> None:
    assert outcome.problem is not None and outcome.problem.title == "TLS Handshake Failed"
    assert (
        cause in outcome.problem.detail and "Nothing reached the server" in outcome.problem.detail
    )
    assert not outcome.unknown_outcome  # a POST that never left: nothing can have been applied
    assert len({event.attempt for event in outcome.attempts}) == 1 and server.received == []


async def test_a_host_that_answers_plain_http_on_an_https_url() -> None:
    server = HostileServer(lambda r: None, greeting=b"HTTP/1.1 400 Bad Request\r\n\r\n")
    with server.running():
        outcome = await send_over_tls(server)
    assert_failed_once_before_sending(outcome, server, "may not speak TLS")


async def test_a_host_that_never_answers_the_handshake() -> None:
    server = HostileServer(lambda r: None)  # waits for an HTTP head that TLS never sends
    with server.running():
        outcome = await send_over_tls(server)
    assert_failed_once_before_sending(outcome, server, "did not finish")


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory: pytest.TempPathFactory) -> ssl.SSLContext:
    folder: Path = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"),
            *("-addext", "subjectAltName=IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


async def test_a_certificate_that_is_not_trusted(self_signed: ssl.SSLContext) -> None:
    server = HostileServer(lambda r: http("200 OK", b"{}"), tls=self_signed)
    with server.running():
        outcome = await send_over_tls(server)
    assert_failed_once_before_sending(outcome, server, "is not trusted")
