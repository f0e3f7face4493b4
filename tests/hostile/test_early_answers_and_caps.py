"""A server that answers before reading the body, and answers too big to hold: the first is
a normal HTTP answer, the second a clear refusal that names the cap and how to raise it."""

from __future__ import annotations

import gzip
import tracemalloc

import pytest

from mcexplorer.cli import main
from mcexplorer.core.accounts.keys import Credentials
from mcexplorer.core.http.engine import Engine
from mcexplorer.core.http.request import ApiRequest
from mcexplorer.core.http.wire import MB
from tests.hostile.server import KEY, Answer, HostileServer, http

PROBLEM = b'{"title": "Payload Too Large", "status": 413, "detail": "too big", "type": ""}'


def early(status: str) -> Answer:
    data = http(status, PROBLEM, "Content-Type: application/problem+json\r\n").data
    return Answer(data, read_body=False, linger=True)


@pytest.mark.parametrize("status", ["413 Payload Too Large", "401 Unauthorized"])
async def test_an_answer_before_the_body_is_read_is_the_answer(status: str) -> None:
    with HostileServer(lambda received: early(status)).running() as server:
        async with Engine(server.base_url(), Credentials.api_key(KEY)) as engine:
            outcome = await engine.send(ApiRequest("POST", "/lists", body={"blob": "x" * (8 * MB)}))
    assert outcome.status == int(status[:3]) and not outcome.unknown_outcome
    assert outcome.problem is not None and outcome.problem.title == "Payload Too Large"
    assert len(server.received) == 1 and server.received[0].body == b""  # never read


def bomb(decoded_mb: int) -> bytes:
    return gzip.compress(b"\0" * (decoded_mb * MB), compresslevel=9, mtime=0)


@pytest.fixture(scope="module")
def packed_bomb() -> bytes:
    return bomb(256)  # ~250 KB of gzip


def test_a_decompression_bomb_is_refused_without_inflating_it(
    packed_bomb: bytes, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MCX_KEY", KEY)
    answer = http("200 OK", packed_bomb, "Content-Encoding: gzip\r\n")
    with HostileServer(lambda received: answer).running() as server:
        tracemalloc.start()
        try:
            code = main(
                ["send", "GET", "/ping", "--base-url", server.base_url(), "--key-env", "MCX_KEY"]
            )
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    out = capsys.readouterr().out
    assert code == 1 and "Response Too Large" in out and "64 MB cap" in out
    assert "--max-response-mb" in out
    assert len(server.received) == 1  # not retried
    assert peak < 100 * MB  # the whole body would have been 256 MB


def test_the_cap_can_be_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MCX_KEY", KEY)
    answer = http("200 OK", bomb(3), "Content-Encoding: gzip\r\n")
    argv = ["send", "GET", "/ping", "--key-env", "MCX_KEY", "--no-history"]
    with HostileServer(lambda received: answer).running() as server:
        argv += ["--base-url", server.base_url()]
        assert main([*argv, "--max-response-mb", "2"]) == 1
        assert main([*argv, "--max-response-mb", "4"]) == 0


@pytest.mark.parametrize(
    "answer",
    [
        http("200 OK", b"x" * (2 * MB + 1)),  # Content-Length says it
        Answer(  # chunked: only counting tells
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            + b"".join(b"100000\r\n" + b"y" * MB + b"\r\n" for _ in range(3))
            + b"0\r\n\r\n"
        ),
    ],
)
async def test_a_body_over_the_cap_is_refused_once(answer: Answer) -> None:
    with HostileServer(lambda received: answer).running() as server:
        async with Engine(server.base_url(), None, max_body=2 * MB) as engine:
            outcome = await engine.send(ApiRequest(path="/ping"))
    assert outcome.problem is not None and outcome.problem.title == "Response Too Large"
    assert "2 MB cap" in outcome.problem.detail and len(server.received) == 1
