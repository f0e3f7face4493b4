"""`mcexplorer send METHOD PATH`: one request (or N of them) through the engine.

Exit codes: 0 for a 2xx, 1 for an HTTP error or an unknown outcome, 2 when nothing
was sent (bad input, no account).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from mcexplorer.commands.output import (
    error,
    print_json,
    render_problem,
    render_summary,
    render_timeline,
)
from mcexplorer.commands.target import Target, TargetError, add_target_options, open_target
from mcexplorer.core.accounts.target import ENV_FOR_PROVIDER
from mcexplorer.core.http.curl import to_curl
from mcexplorer.core.http.outcome import Outcome
from mcexplorer.core.http.request import (
    ApiRequest,
    PreparedRequest,
    RequestInvalid,
    ValidationIssue,
    apply_params,
    parse_body_text,
    placeholders,
    split_assignment,
    subscriber_hash,
)
from mcexplorer.core.http.retry import RetryPolicy
from mcexplorer.core.session.explain import Explanation
from mcexplorer.core.session.session import Session

API_PREFIX = "/3.0/"


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "send",
        help="send one API request and show the answer",
        description="Send one request; path parameters come from -q name=value or --email.",
    )
    parser.add_argument("method", metavar="METHOD", help="GET, POST, PUT, PATCH or DELETE")
    parser.add_argument("path", metavar="PATH", help="e.g. /lists/{list_id}/members or /ping")
    add_target_options(parser)
    req = parser.add_argument_group("request")
    req.add_argument(
        "-q",
        dest="params",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="path parameter if PATH names it, otherwise a query parameter (repeatable)",
    )
    req.add_argument("--fields", metavar="A,B", help="only these response fields")
    req.add_argument("--exclude-fields", metavar="A,B", help="leave out these response fields")
    req.add_argument("--count", metavar="N", help="page size (1-1000)")
    req.add_argument("--offset", metavar="N", help="items to skip")
    req.add_argument("--data", metavar="JSON|@FILE", help="JSON body, inline or from a file")
    req.add_argument(
        "-H",
        dest="headers",
        action="append",
        default=[],
        metavar="'NAME: VALUE'",
        help="extra header (repeatable)",
    )
    req.add_argument("--email", metavar="ADDR", help="fill {subscriber_hash} from this address")
    req.add_argument("--trigger-error", metavar="NAME", help="ask for a named error")
    req.add_argument(
        "--method-override",
        action="store_true",
        help="send as POST with X-HTTP-Method-Override: METHOD",
    )
    run = parser.add_argument_group("sending")
    run.add_argument("--max-attempts", type=int, default=5, metavar="N", help="default 5")
    run.add_argument("--limit", type=int, default=10, metavar="N", help="slots, 1-10 (default 10)")
    run.add_argument("--repeat", type=int, metavar="N", help="send N times and summarise")
    run.add_argument("--concurrency", type=int, default=10, metavar="C", help="with --repeat")
    out = parser.add_argument_group("output")
    out.add_argument("--json", action="store_true", help="one machine-readable document")
    out.add_argument("--curl", action="store_true", help="print a curl command instead of sending")
    out.add_argument("--no-history", action="store_true", help="do not record this call")
    parser.set_defaults(func=run_send)


def _issue(field: str, message: str) -> RequestInvalid:
    return RequestInvalid([ValidationIssue(field, message)])


def _body(text: str) -> Any:
    if text.startswith("@"):
        path = Path(text[1:])
        try:
            text = path.read_text("utf-8")
        except OSError as exc:
            raise _issue("body", f"cannot read {path}: {exc.strerror or exc}") from None
    return parse_body_text(text)


def build_request(args: argparse.Namespace) -> ApiRequest:
    """The request the options describe (checked when it is prepared); raises RequestInvalid
    for options that cannot make one."""
    path = args.path if args.path.startswith("/") else "/" + args.path
    if path.startswith(API_PREFIX):  # pasted from a full URL: the base already has /3.0/
        path = path[len(API_PREFIX) - 1 :]
    headers: dict[str, str] = {}
    for raw in args.headers:
        name, sep, value = raw.partition(":")
        if not sep or not name.strip():
            raise _issue("headers", f"{raw!r} is not in the form 'Name: value'")
        headers[name.strip()] = value.strip()
    # A query pasted into PATH (`/lists?count=5`) joins the -q parameters.
    path, _, pasted = path.partition("?")
    req = ApiRequest(method=args.method.upper(), path=path, headers=headers)
    req.query.update(parse_qsl(pasted, keep_blank_values=True))
    req = apply_params(req, [split_assignment(p) for p in args.params])
    options = {
        "fields": args.fields,
        "exclude_fields": args.exclude_fields,
        "count": args.count,
        "offset": args.offset,
    }
    req.query.update({k: v for k, v in options.items() if v is not None})
    if args.email is not None:
        if "subscriber_hash" not in placeholders(path):
            raise _issue("email", "--email needs {subscriber_hash} in PATH")
        req.path_params["subscriber_hash"] = subscriber_hash(args.email)
    if args.data is not None:
        req.body = _body(args.data)
    if args.trigger_error:
        req = req.with_trigger_error(args.trigger_error)
    if args.method_override:
        if req.method == "POST":
            raise _issue("method", "--method-override is for PUT, PATCH or DELETE sent as POST")
        req = req.with_method_override()
    return req


def _check_numbers(args: argparse.Namespace) -> None:
    if args.max_attempts < 1:
        raise _issue("max-attempts", "must be at least 1")
    if not 1 <= args.limit <= 10:
        raise _issue("limit", "must be between 1 and 10")
    if args.repeat is not None and (args.repeat < 1 or args.concurrency < 1):
        raise _issue("repeat", "--repeat and --concurrency must be at least 1")


def run_send(args: argparse.Namespace) -> int:
    try:
        _check_numbers(args)
        req = build_request(args)
        prepared = req.prepare()
    except RequestInvalid as exc:
        for issue in exc.issues:
            error(f"invalid request: {issue}")
        return 2
    try:
        with open_target(args) as target:
            if target.notice:
                error(target.notice)
            if args.curl:
                print(_curl(req, target))
                return 0
            return asyncio.run(_send(args, prepared, target))
    except TargetError as exc:
        error(str(exc))
        return 2


def _curl(req: ApiRequest, target: Target) -> str:
    creds = target.credentials
    env_var = ENV_FOR_PROVIDER[creds.provider] if creds else "MAILCHIMP_API_KEY"
    return to_curl(req, target.base_url, creds, env_var=env_var)


async def _send(args: argparse.Namespace, req: PreparedRequest, target: Target) -> int:
    async with Session(
        target,
        limit=args.limit,
        policy=RetryPolicy(max_attempts=args.max_attempts),
        history=not args.no_history,
        warn=error,
    ) as session:
        if args.repeat is not None:
            summary, outcomes = await session.repeat(req, args.repeat, args.concurrency)
            if args.json:
                doc: dict[str, Any] = {"target": target.label, "summary": summary.to_dict()}
                doc["outcomes"] = [o.to_dict() for o in outcomes]
                print_json(doc)
            else:
                print(render_summary(summary))
            return 0 if summary.ok == summary.sent else 1
        outcome = await session.send(req)
        explained = await session.explain(outcome)
    return _report(args, outcome, target, explained)


def _report(
    args: argparse.Namespace, outcome: Outcome, target: Target, explained: Explanation | None
) -> int:
    if args.json:
        doc = {
            "target": target.label,
            "outcome": outcome.to_dict(),
            "glossary": explained.entry.key if explained and explained.entry else None,
            "diagnosis": explained.hints if explained else [],
        }
        print_json(doc)
        return 0 if outcome.ok else 1
    attempts = max((e.attempt for e in outcome.attempts), default=1)
    status = outcome.status if outcome.status is not None else "no response"
    line = f"{outcome.method} {outcome.url} → {status} · {outcome.elapsed_ms:.0f} ms"
    line += f" · {attempts} attempt{'s' if attempts != 1 else ''}"
    if outcome.x_request_id:
        line += f" · x-request-id {outcome.x_request_id}"
    print(line, file=sys.stderr)
    if outcome.ok:
        data = outcome.json()
        if data is not None:
            print_json(data)
        elif outcome.body:
            print(outcome.body.decode("utf-8", "replace"))
        return 0
    if outcome.unknown_outcome:
        print(f"? outcome unknown: {outcome.gave_up}")
    if explained is not None:
        print(render_problem(explained.problem, explained.entry, explained.hints))
    print("\nAttempts:")
    print(render_timeline(outcome.attempts))
    return 1
