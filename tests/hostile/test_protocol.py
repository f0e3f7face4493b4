"""Answers that bend or break HTTP/1.1: the engine reads what is readable, and what is not
fails once, clearly, without being retried as if the connection had dropped."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Callable

import pytest

from mcexplorer.core.accounts.keys import Credentials
from mcexplorer.core.http.engine import Engine
from mcexplorer.core.http.outcome import Outcome
from mcexplorer.core.http.request import ApiRequest
from mcexplorer.core.http.retry import RetryPolicy
from tests.hostile.server import KEY, Answer, HostileServer, Received, http

BODY = b'{"ok": true}'


async def exchange(
    answer: Answer | Callable[[Received], Answer | None], req: ApiRequest | None = None
) -> tuple[Outcome, HostileServer]:
    script = answer if callable(answer) else (lambda received: answer)
    with HostileServer(script).running() as server:
        policy = RetryPolicy(max_attempts=3, base_s=0.0)
        async with Engine(server.base_url(), Credentials.api_key(KEY), policy=policy) as engine:
            outcome = await engine.send(req or ApiRequest(path="/ping"))
    return outcome, server


def raw(data: bytes) -> Answer:
    return Answer(data, close=True)


@pytest.mark.parametrize(
    "data",
    [
        b"HTTP/1.1 200 OK\nContent-Length: 12\n\n" + BODY,  # bare LF line ends
        b"HTTP/1.1 200 OK\r\nX-Note: a\r\n b\r\nContent-Length: 12\r\n\r\n" + BODY,  # obs-fold
    ],
    ids=["bare-lf", "obs-fold"],
)
async def test_lenient_framing_is_read(data: bytes) -> None:
    outcome, _ = await exchange(raw(data))
    assert outcome.ok and outcome.json() == {"ok": True}


@pytest.mark.parametrize(
    ("encoding", "packed"),
    [
        ("gzip", gzip.compress(BODY, mtime=0)),
        ("deflate", zlib.compress(BODY)),
        ("deflate", zlib.compress(BODY)[2:-4]),  # raw deflate, as some servers send it
        ("gzip, gzip", gzip.compress(gzip.compress(BODY, mtime=0), mtime=0)),
        ("identity", BODY),
    ],
    ids=["gzip", "zlib", "raw-deflate", "gzip-twice", "identity"],
)
async def test_content_encodings_are_decoded(encoding: str, packed: bytes) -> None:
    outcome, server = await exchange(http("200 OK", packed, f"Content-Encoding: {encoding}\r\n"))
    assert outcome.ok and outcome.body == BODY
    assert server.received[0].header_values("accept-encoding") == ["gzip, deflate"]


async def test_head_and_204_with_a_content_encoding_but_no_body_are_fine() -> None:
    head = Answer(b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 20\r\n\r\n")
    outcome, server = await exchange(head, ApiRequest("HEAD", "/ping"))
    assert outcome.ok and outcome.body == b"" and len(server.received) == 1
    empty = Answer(b"HTTP/1.1 204 No Content\r\nContent-Encoding: gzip\r\n\r\n")
    outcome, server = await exchange(empty, ApiRequest("DELETE", "/lists/a"))
    assert outcome.status == 204 and outcome.ok and len(server.received) == 1


@pytest.mark.parametrize(
    ("data", "cause"),
    [
        (b"HTTP/1.1 2000 OK\r\nContent-Length: 12\r\n\r\n" + BODY, "not valid HTTP/1.1"),
        (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n" + gzip.compress(BODY, mtime=0),
            "chunked",
        ),
        (b"SSH-2.0-OpenSSH_9.2\r\n\r\n", "not valid HTTP/1.1"),
        (
            b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok",
            "Content-Length",
        ),
        (b"HTTP/1.1 200 OK\r\nContent-Encoding: br\r\nContent-Length: 3\r\n\r\nabc", "'br'"),
        (b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 3\r\n\r\nabc", "gzip"),
        (
            b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 10\r\n\r\n"
            + gzip.compress(BODY, mtime=0)[:10],
            "cut short",
        ),
    ],
    ids=[
        "status-2000",
        "te-gzip",
        "not-http",
        "two-lengths",
        "brotli",
        "bad-gzip",
        "truncated-gzip",
    ],
)
async def test_a_malformed_answer_fails_once_and_says_why(data: bytes, cause: str) -> None:
    outcome, server = await exchange(raw(data))
    assert outcome.status is None and not outcome.ok
    assert outcome.problem is not None and outcome.problem.title == "Malformed Response"
    assert cause in outcome.problem.detail
    assert len(server.received) == 1  # the same answer would come again: no retry


async def test_a_malformed_answer_to_a_post_leaves_its_outcome_unknown() -> None:
    outcome, server = await exchange(
        raw(b"HTTP/1.1 2000 OK\r\n\r\n"), ApiRequest("POST", "/lists", body={"name": "x"})
    )
    assert outcome.unknown_outcome and len(server.received) == 1
    assert outcome.gave_up is not None and outcome.gave_up.startswith("outcome unknown")


async def test_a_hang_up_before_the_answer_is_a_reset_and_a_get_is_retried() -> None:
    calls: list[int] = []

    def script(received: Received) -> Answer | None:
        calls.append(1)
        return None if len(calls) == 1 else http("200 OK", BODY)

    outcome, server = await exchange(script)
    assert outcome.ok and len(server.received) == 2
    failed = [e for e in outcome.attempts if e.kind.value == "failed"]
    assert failed[0].sent and "connection dropped" in (failed[0].error or "")


async def test_a_reset_while_writing_reads_as_a_sentence() -> None:
    """The old client reported "connection error while writeing"."""
    outcome, _ = await exchange(
        Answer(b"", read_body=False, close=True),
        ApiRequest("PUT", "/lists/a", body={"blob": "x" * 4_000_000}),
    )
    assert outcome.problem is not None
    assert "writeing" not in outcome.problem.detail
