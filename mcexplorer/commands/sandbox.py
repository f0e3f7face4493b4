"""`mcexplorer sandbox serve`: run the local imitation of the API until Ctrl-C."""

from __future__ import annotations

import argparse
import sys
import threading
from typing import Any

from mcexplorer.sandbox.faults import PROFILES, FaultConfigError
from mcexplorer.sandbox.mailersend.limits import plan_names


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("sandbox", help="run the local sandbox API")
    commands = parser.add_subparsers(dest="sandbox_command", metavar="SUBCOMMAND", required=True)
    serve = commands.add_parser("serve", help="serve the sandbox until Ctrl-C")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8765, help="port (default 8765; 0 = any free)")
    serve.add_argument("--dc", default="us6", help="datacenter the demo key belongs to")
    serve.add_argument("--latency-ms", type=float, default=0.0, help="added to every API request")
    serve.add_argument("--faults", default="none", choices=list(PROFILES), help="fault profile")
    serve.add_argument("--seed", type=int, default=0, help="seed for data, ids and faults")
    serve.add_argument(
        "--provider",
        default="mailchimp",
        choices=["mailchimp", "mailersend"],
        help="API to imitate",
    )
    serve.add_argument(
        "--plan", choices=plan_names(), help="MailerSend plan: daily quota, bulk limit (hobby)"
    )
    serve.add_argument(
        "--allow-remote", action="store_true", help="allow binding a non-loopback address"
    )
    serve.set_defaults(func=_serve)


def _serve(args: argparse.Namespace) -> int:
    from mcexplorer.sandbox.server import RemoteBindRefused, SandboxServer, is_loopback_host

    if args.plan and args.provider != "mailersend":
        print("error: --plan applies to --provider mailersend only", file=sys.stderr)
        return 2
    try:
        server = SandboxServer(
            host=args.host,
            port=args.port,
            dc=args.dc,
            latency_ms=args.latency_ms,
            faults=args.faults,
            seed=args.seed,
            provider=args.provider,
            plan=args.plan,
            allow_remote=args.allow_remote,
        )
    except (RemoteBindRefused, FaultConfigError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not is_loopback_host(args.host):
        print(
            f"warning: the sandbox listens on {args.host}; anyone who can reach it can use it",
            file=sys.stderr,
        )
    try:
        server.start()
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"sandbox API:  {server.api_url}", flush=True)
    if args.provider == "mailersend":
        print(f"demo token:   {server.demo_key}", flush=True)
        print(f"read-only:    {server.viewer_key}", flush=True)
        print(f"settings:     {server.url}/_sandbox/mailersend", flush=True)
    else:
        print(f"demo API key: {server.demo_key}", flush=True)
    print(f"admin:        {server.url}/_sandbox/stats   (Ctrl-C to stop)", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0
