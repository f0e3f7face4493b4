"""The official MailerSend SDK's own integration tests and recorded exchanges, against the
sandbox.

    python benchmarks/mailersend_sdk_tests.py --sdk-repo /path/to/mailersend-python

1. Starts `mcexplorer sandbox serve --provider mailersend --plan hobby` on loopback and runs
   the SDK's tests/integration with the cassettes off, the client's default base URL pointed
   at the sandbox and the tests' SDK_* variables set to the demo account's values (see
   mailersend_sdk_plugin.py). A test passes for a real reason when it passed and none of its
   calls reached a route the sandbox lacks (checked against the sandbox's own catalog).
2. Meanwhile, on a second sandbox, replays every recorded exchange of the SDK's cassettes in
   recorded order on one account (mailersend_cassettes.py) and compares status and key sets.

Needs the SDK's runtime dependencies (requests, pydantic[email]) and pytest, which the
project's test extra brings; not vcrpy, which is replaced by a stand-in that plays nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import httpx
from mailersend_cassettes import Replayed, demo_values, load_exchanges, mismatches, replay

from mcexplorer.sandbox.catalog import Catalog

HERE = Path(__file__).resolve().parent


@dataclass
class Sandbox:
    api_url: str  # ends with /v1/
    token: str

    @property
    def admin_url(self) -> str:
        return self.api_url.removesuffix("/v1/")

    def client(self) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.token}"}
        return httpx.Client(base_url=self.api_url, headers=headers, timeout=30)


@contextmanager
def sandbox() -> Iterator[Sandbox]:
    """`mcexplorer sandbox serve` in a subprocess on a free loopback port."""
    command = [sys.executable, "-m", "mcexplorer", "sandbox", "serve", "--port", "0"]
    proc = subprocess.Popen(
        [*command, "--provider", "mailersend", "--plan", "hobby"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        api_url = proc.stdout.readline().split()[-1]
        token = proc.stdout.readline().split()[-1]
        yield Sandbox(api_url, token)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def sdk_environment(box: Sandbox, report: Path) -> dict[str, str]:
    """The recorder set SDK_* to its own account (a verified domain with sending paused, a
    sender with an identity on it, a template); here they name the demo account's. SMS
    variables stay unset, as the recorder left them (its SMS calls answered 422)."""
    with box.client() as api:
        values = demo_values(api)
    domain = values["{domain_name}"]
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(HERE), os.environ.get("PYTHONPATH")])),
        "MS_BENCH_BASE_URL": box.api_url,
        "MS_BENCH_REPORT": str(report),
        "MAILERSEND_API_KEY": box.token,
        "SDK_DOMAIN_ID": values["{domain}"],
        "SDK_DOMAIN_NAME": domain,
        "SDK_CREATE_DOMAIN": "sdk-created.example.com",
        "SDK_FROM_EMAIL": values["{sender}"],
        "SDK_TO_EMAIL": "reader@example.net",
        "SDK_CC_EMAIL": f"cc@{domain}",
        "SDK_BCC_EMAIL": f"bcc@{domain}",
        "SDK_REPLY_TO_EMAIL": f"replyto@{domain}",
        "SDK_TEMPLATE_ID": values["{template}"],
    }


@dataclass
class SdkRun:
    tests: list[dict[str, Any]]
    throttled: int  # the sandbox's 429s (per-minute windows the SDK's retries waited out)


def run_sdk_tests(sdk_repo: Path) -> SdkRun:
    with sandbox() as box, tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        # The SDK's repository goes first on the path, so its own package is the one tested.
        env = sdk_environment(box, report)
        env["PYTHONPATH"] = os.pathsep.join([str(sdk_repo), env["PYTHONPATH"]])
        # A test may wait out a few retry-afters (up to a minute each), never more.
        options = [
            "-q",
            "-p",
            "mailersend_sdk_plugin",
            "-p",
            "no:cacheprovider",
            "-o",
            "timeout=300",
        ]
        pytest = subprocess.run(
            [sys.executable, "-m", "pytest", "tests/integration", *options],
            cwd=sdk_repo,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if not report.exists():
            raise SystemExit(
                f"the SDK's tests did not run:\n{pytest.stdout[-3000:]}{pytest.stderr}"
            )
        throttled = httpx.get(box.admin_url + "/_sandbox/stats").json()["throttled_429"]
        result = json.loads(report.read_text())
    if not Path(result["sdk"]).is_relative_to(sdk_repo):
        raise SystemExit(f"the SDK tested was {result['sdk']}, not the one in {sdk_repo}")
    return SdkRun(result["tests"], throttled)


def missing_route(catalog: Catalog, exchange: dict[str, Any]) -> bool:
    """Whether the call reached no operation of the sandbox (404 or 405 without a handler)."""
    path = urlsplit(exchange["url"]).path.removeprefix("/v1")
    match = catalog.match([unquote(s) for s in path.split("/") if s])
    return match is None or exchange["method"] not in match.ops


def replay_cassettes(cassettes: Path) -> list[Replayed]:
    with sandbox() as box, box.client() as api, httpx.Client(base_url=box.admin_url) as admin:
        return replay(api, admin, load_exchanges(cassettes))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sdk-repo", type=Path, required=True, help="a mailersend-python checkout")
    parser.add_argument("-v", "--verbose", action="store_true", help="list what did not match")
    args = parser.parse_args()
    sdk_repo: Path = args.sdk_repo.resolve()
    if not (sdk_repo / "tests" / "integration").is_dir():
        parser.error(f"{sdk_repo} has no tests/integration: give a mailersend-python checkout")
    started = time.monotonic()
    with ThreadPoolExecutor(1) as pool:
        replaying = pool.submit(replay_cassettes, sdk_repo / "tests" / "fixtures" / "cassettes")
        sdk = run_sdk_tests(sdk_repo)
        replayed = replaying.result()
    catalog = Catalog.load("mailersend_catalog.json")
    tests = sdk.tests
    passed = [t for t in tests if t["outcome"] == "passed"]
    calling = [t for t in tests if t["exchanges"]]
    lacking = [t for t in calling if any(missing_route(catalog, e) for e in t["exchanges"])]
    real = [t for t in calling if t["outcome"] == "passed" and t not in lacking]
    matched = [r for r in replayed if r.matches]
    items = sum(r.items_compared for r in replayed)
    rows = [
        ("SDK integration tests collected", f"{len(tests)}"),
        ("passed / failed", f"{len(passed)} / {sum(t['outcome'] == 'failed' for t in tests)}"),
        ("passed without any HTTP call", f"{sum(not t['exchanges'] for t in passed)}"),
        ("made an HTTP call", f"{len(calling)}"),
        ("... reached a route the sandbox lacks", f"{len(lacking)}"),
        ("... passed for a real reason", f"{len(real)} of {len(calling)}{_pct(real, calling)}"),
        ("sandbox 429s the SDK waited out", f"{sdk.throttled}"),
        ("recorded exchanges replayed", f"{len(replayed)}"),
        ("... matching status and key sets", f"{len(matched)} of {len(replayed)}"),
        ("... with list items on both sides", f"{items}"),
    ]
    width = max(len(label) for label, _ in rows)
    print(f"mailersend-python at {sdk_repo} ({time.monotonic() - started:.0f} s)")
    for label, value in rows:
        print(f"  {label:<{width}}  {value}")
    if args.verbose:
        for test in calling:
            if test not in real:
                print(f"not for a real reason: {test['nodeid']} ({test['outcome']})")
        for line in mismatches(replayed):
            print(f"mismatch: {line}")
    return 0


def _pct(part: list[Any], whole: list[Any]) -> str:
    return f" ({100 * len(part) / len(whole):.0f}%)" if whole else ""


if __name__ == "__main__":
    sys.exit(main())
