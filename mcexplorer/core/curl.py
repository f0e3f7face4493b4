"""A request as a curl command line, with the secret replaced by a variable reference."""

from __future__ import annotations

import json
import re
import shlex
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from mcexplorer.core.keys import AuthKind, Credentials

if TYPE_CHECKING:  # request.py re-exports to_curl, so the import runs one way only
    from mcexplorer.core.request import ApiRequest

_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def request_url(req: ApiRequest, base_url: str) -> str:
    url = base_url.rstrip("/") + "/" + req.render_path().lstrip("/")
    return f"{url}?{urlencode(req.query, safe=',')}" if req.query else url


def to_curl(
    req: ApiRequest,
    base_url: str,
    credentials: Credentials | None,
    env_var: str = "MAILCHIMP_API_KEY",
) -> str:
    """The secret never appears: the shell expands "$ENV_VAR" when the command runs."""
    if not _ENV_NAME.match(env_var):
        raise ValueError(f"{env_var!r} is not an environment variable name")
    parts = ["curl", "-sS", "-X", req.method.upper(), shlex.quote(request_url(req, base_url))]
    if credentials is not None:
        if credentials.kind is AuthKind.API_KEY:
            parts += ["--user", f'"anystring:${env_var}"']
        elif credentials.kind is AuthKind.OAUTH:
            parts += ["-H", f'"Authorization: OAuth ${env_var}"']
        else:
            parts += ["-H", f'"Authorization: Bearer ${env_var}"']
    for name, value in req.headers.items():
        parts += ["-H", shlex.quote(f"{name}: {value}")]
    if req.body is not None:
        parts += ["-H", shlex.quote("Content-Type: application/json")]
        parts += ["--data", shlex.quote(json.dumps(req.body, separators=(",", ":")))]
    return " ".join(parts)
