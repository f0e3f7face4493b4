"""pytest plugin that benchmarks/mailersend_sdk_tests.py loads into the official MailerSend
SDK's own test run (`-p mailersend_sdk_plugin`), so the SDK's files stay unmodified.

- Cassettes off: the SDK's conftest gets a `vcr` whose `use_cassette` does nothing (and a
  `dotenv` that loads nothing), so every call goes over the wire and none is played back.
- The client's default base URL becomes MS_BENCH_BASE_URL (the sandbox).
- Every HTTP exchange is logged against the test that made it; at the end the outcomes and
  exchanges go to MS_BENCH_REPORT as JSON.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import types
from pathlib import Path
from typing import Any

import pytest
import requests


class _NoCassette(contextlib.ContextDecorator):
    """Stands for a cassette: as a decorator or a `with` block, it changes nothing."""

    def __enter__(self) -> _NoCassette:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


class _VCR:
    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def use_cassette(self, *args: object, **kwargs: object) -> _NoCassette:
        return _NoCassette()


def _stub(name: str, **attributes: Any) -> None:
    module = types.ModuleType(name)
    for key, value in attributes.items():
        setattr(module, key, value)
    sys.modules[name] = module


# Installed before the SDK's conftest is imported (plugins named with -p load first).
_stub("vcr", VCR=_VCR)
_stub("dotenv", load_dotenv=lambda *args, **kwargs: False)

_current: list[str] = [""]
_exchanges: dict[str, list[dict[str, Any]]] = {}
_outcomes: dict[str, str] = {}


def _point_client_at_sandbox() -> None:
    from mailersend.client import MailerSendClient  # type: ignore[import-untyped]

    base_url = os.environ["MS_BENCH_BASE_URL"]
    original = MailerSendClient.__init__

    def __init__(self: MailerSendClient, *args: Any, **kwargs: Any) -> None:
        if len(args) < 2:  # base_url is the second positional parameter
            kwargs.setdefault("base_url", base_url)
        original(self, *args, **kwargs)

    MailerSendClient.__init__ = __init__


def _log_exchanges() -> None:
    original = requests.adapters.HTTPAdapter.send

    def send(
        self: requests.adapters.HTTPAdapter, request: requests.PreparedRequest, **kwargs: Any
    ) -> requests.Response:
        response = original(self, request, **kwargs)
        _exchanges.setdefault(_current[0], []).append(
            {"method": request.method, "url": request.url, "status": response.status_code}
        )
        return response

    requests.adapters.HTTPAdapter.send = send  # type: ignore[method-assign, assignment]


def pytest_configure(config: pytest.Config) -> None:
    _point_client_at_sandbox()
    _log_exchanges()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    _current[0] = item.nodeid


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    # A test fails if any phase fails; it passes when its call passes.
    if report.failed:
        _outcomes[report.nodeid] = "failed"
    elif report.when == "call" and report.nodeid not in _outcomes:
        _outcomes[report.nodeid] = "passed" if report.passed else "skipped"
    elif report.skipped:
        _outcomes.setdefault(report.nodeid, "skipped")


def pytest_collection_finish(session: pytest.Session) -> None:
    for item in session.items:
        _exchanges.setdefault(item.nodeid, [])


def pytest_sessionfinish(session: pytest.Session) -> None:
    tests = [
        {"nodeid": nodeid, "outcome": _outcomes.get(nodeid, "not run"), "exchanges": exchanges}
        for nodeid, exchanges in _exchanges.items()
        if nodeid
    ]
    sdk = sys.modules["mailersend"].__file__  # to check that the checkout's SDK was tested
    report = {"sdk": sdk, "tests": tests}
    Path(os.environ["MS_BENCH_REPORT"]).write_text(json.dumps(report, indent=1))
