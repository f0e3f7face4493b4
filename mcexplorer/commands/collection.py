"""`mcexplorer collection ...`: import curl / Postman / Posting, list a collection, export as
curl.

A curl command is read from a file or stdin, never from argv: pasted commands often hold a key.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from mcexplorer.core import jsontext
from mcexplorer.core.accounts.keys import (
    AuthKind,
    BaseUrlError,
    Credentials,
    Provider,
    normalize_base_url,
)
from mcexplorer.core.atomic import SaveError, atomic_write_text
from mcexplorer.core.collections.curl_import import CurlImportError, parse_curl
from mcexplorer.core.collections.format import (
    REQUEST_SUFFIX,
    CollectionFileError,
    SecretRefused,
    dumps_request,
)
from mcexplorer.core.collections.postman import PostmanImportError, import_postman, write_collection
from mcexplorer.core.collections.store import Collection, SaveConflict
from mcexplorer.core.http.curl import to_curl
from mcexplorer.core.http.request import RequestInvalid
from mcexplorer.core.session.run import load_run_items

USER_ERRORS = (
    SaveError,
    SaveConflict,
    SecretRefused,
    CollectionFileError,
    CurlImportError,
    PostmanImportError,
    BaseUrlError,
    RequestInvalid,
    OSError,
    ValueError,
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    coll = subparsers.add_parser("collection", help="saved requests: import, list, export")
    sub = coll.add_subparsers(dest="collection_command", metavar="ACTION", required=True)

    curl_in = sub.add_parser(
        "import-curl", help="save a curl command (from --file or stdin) as a request file"
    )
    curl_in.add_argument(
        "--file", type=Path, help="read the command from this file (default stdin)"
    )
    curl_in.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.request.json")
    curl_in.add_argument("--description", default="", help="a line saying what it is for")
    curl_in.add_argument("--force", action="store_true", help="overwrite an existing file")
    curl_in.set_defaults(func=_guard(_import_curl))

    postman = sub.add_parser("import-postman", help="a Postman v2.1 collection -> a folder")
    postman.add_argument("file", type=Path)
    postman.add_argument("-o", "--output", type=Path, required=True, metavar="DIR")
    postman.add_argument("--force", action="store_true", help="overwrite existing files")
    postman.set_defaults(func=_guard(_import_postman))

    posting = sub.add_parser(
        "import-posting", help="a Posting collection (*.posting.yaml files) -> a folder"
    )
    posting.add_argument("folder", type=Path, metavar="DIR", help="a folder of *.posting.yaml")
    posting.add_argument("-o", "--output", type=Path, required=True, metavar="DIR")
    posting.add_argument("--force", action="store_true", help="overwrite existing files")
    posting.set_defaults(func=_guard(_import_posting))

    listing = sub.add_parser("list", help="the requests of a collection, and any bad files")
    listing.add_argument("folder", type=Path)
    listing.set_defaults(func=_guard(_list))

    curl_out = sub.add_parser("export-curl", help="print saved requests as curl commands")
    curl_out.add_argument("path", type=Path, help="a request file or a collection folder")
    curl_out.add_argument(
        "--base-url",
        default="https://us1.api.mailchimp.com/3.0/",
        metavar="URL",
        help="API base in the commands (default https://us1.api.mailchimp.com/3.0/)",
    )
    curl_out.add_argument(
        "--env-var",
        default="MAILCHIMP_API_KEY",
        metavar="VAR",
        help="the environment variable the command reads the key from",
    )
    curl_out.set_defaults(func=_guard(_export_curl))


def _guard(action: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        try:
            return int(action(args))
        except USER_ERRORS as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2

    return run


def _import_curl(args: argparse.Namespace) -> int:
    text = args.file.read_text(encoding="utf-8") if args.file else sys.stdin.read()
    got = parse_curl(text)
    got.saved.description = args.description
    out: Path = args.output
    if not out.name.endswith(REQUEST_SUFFIX):
        out = out.with_name(out.name + REQUEST_SUFFIX)
    try:
        atomic_write_text(out, dumps_request(got.saved), overwrite=args.force)
    except FileExistsError:
        raise SaveConflict(f"{out} already exists; pass --force to replace it.") from None
    for note in got.dropped:
        print(f"dropped: {note}", file=sys.stderr)
    req = got.saved.request
    print(f"Saved {req.method} {req.path} to {out}")
    return 0


def _import_postman(args: argparse.Namespace) -> int:
    try:
        data = jsontext.loads(args.file.read_bytes())
    except json.JSONDecodeError as exc:
        raise PostmanImportError(
            f"{args.file}, line {exc.lineno}: not valid JSON ({exc.msg})"
        ) from None
    imported = import_postman(data)
    write_collection(imported, args.output, force=args.force)
    for warning in imported.warnings:
        print(f"note: {warning}", file=sys.stderr)
    print(f"Imported {len(imported.requests)} requests into {args.output}")
    return 0


def _import_posting(args: argparse.Namespace) -> int:
    # Loaded here: PyYAML costs every other command ~25 ms of start-up.
    from mcexplorer.core.collections.posting import import_posting, write_posting_import

    imported = import_posting(args.folder)
    if imported.requests:
        write_posting_import(imported, args.output, force=args.force)
    for note in imported.notes:
        print(f"note: {note}", file=sys.stderr)
    for error in imported.errors:
        print(f"error: {error}", file=sys.stderr)
    print(f"Imported {len(imported.requests)} requests into {args.output}", end="")
    print(f"; {len(imported.errors)} files could not be read" if imported.errors else "")
    if imported.variables:
        print(
            "Variables to give (--var NAME=VALUE, MCX_VAR_NAME or an environment file): "
            + ", ".join(imported.variables)
        )
    return 1 if imported.errors else 0


def _list(args: argparse.Namespace) -> int:
    coll = Collection.load(args.folder)
    print(f"{coll.name}: {len(coll.items)} requests")
    for name, value in sorted(coll.variables.items()):
        print(f"  var {name} = {value}")
    for item in coll.items:
        req = item.saved.request
        print(f"  {req.method:<6} {req.path:<50} {item.rel}")
    for error in coll.errors:
        print(f"error: {error}", file=sys.stderr)
    return 1 if coll.errors else 0


def _export_curl(args: argparse.Namespace) -> int:
    base = normalize_base_url(args.base_url)
    # No secret here: to_curl writes "$VAR" and the shell fills it in when the command runs.
    placeholder = Credentials(Provider.MAILCHIMP, AuthKind.API_KEY, "", None)
    status = 0
    for item in load_run_items(args.path):
        if item.request is None:
            print(f"error: {item.load_error}", file=sys.stderr)
            status = 1
            continue
        print(f"# {item.name}")
        print(to_curl(item.request, base, placeholder, args.env_var))
    return status
