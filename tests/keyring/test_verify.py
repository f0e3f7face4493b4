"""Verifying credentials against the sandbox, and the OAuth metadata lookup, on real sockets."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from mcexplorer.core.accounts.keys import Credentials
from mcexplorer.core.accounts.verify import VerifyError, oauth_metadata, verify_credentials
from mcexplorer.sandbox.server import SandboxServer

UNKNOWN_KEY = "0123456789abcdef0123456789abcdef-us6"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer() as server:
        yield server


async def test_an_api_key_is_verified_with_account_and_role(sandbox: SandboxServer) -> None:
    info = await verify_credentials(Credentials.api_key(sandbox.demo_key), sandbox.api_url)
    assert info.role == "owner"
    assert info.account_name and info.account_name in info.summary


async def test_an_oauth_token_is_verified(sandbox: SandboxServer) -> None:
    creds = Credentials.oauth(sandbox.demo_oauth_token, "us6")
    assert (await verify_credentials(creds, sandbox.api_url)).role == "owner"


async def test_an_unknown_key_is_refused_with_the_servers_reason(sandbox: SandboxServer) -> None:
    with pytest.raises(VerifyError, match="HTTP 401") as caught:
        await verify_credentials(Credentials.api_key(UNKNOWN_KEY), sandbox.api_url)
    assert UNKNOWN_KEY not in str(caught.value)


async def test_a_closed_port_is_reported() -> None:
    with SandboxServer() as server:
        url = server.api_url
    with pytest.raises(VerifyError, match="no response"):
        await verify_credentials(Credentials.api_key(UNKNOWN_KEY), url, attempts=1)


class MetadataHandler(BaseHTTPRequestHandler):
    """Answers like login.mailchimp.com/oauth2/metadata: 200 even for a bad token."""

    def do_GET(self) -> None:
        if self.headers.get("Authorization") == "OAuth good-token":
            body = {"dc": "us7", "role": "admin", "accountname": "Acme", "api_endpoint": "x"}
        else:
            body = {"error": "invalid_token"}
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def metadata_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), MetadataHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/oauth2/metadata"
    server.shutdown()
    server.server_close()


async def test_oauth_metadata_gives_the_dc(metadata_url: str) -> None:
    meta = await oauth_metadata("good-token", url=metadata_url)
    assert (meta.dc, meta.role, meta.account_name) == ("us7", "admin", "Acme")


async def test_oauth_metadata_reports_an_invalid_token(metadata_url: str) -> None:
    with pytest.raises(VerifyError, match=r"rejected the OAuth token \(invalid_token\)"):
        await oauth_metadata("bad-token", url=metadata_url)


async def test_oauth_metadata_unreachable_suggests_dc() -> None:
    with SandboxServer() as server:
        url = server.url + "/oauth2/metadata"
    with pytest.raises(VerifyError, match="give it with --dc"):
        await oauth_metadata("any-token", url=url)


async def test_oauth_metadata_refuses_plain_http_to_a_remote_host() -> None:
    with pytest.raises(VerifyError, match="Refusing plain http"):
        await oauth_metadata("t", url="http://login.example.com/oauth2/metadata")
