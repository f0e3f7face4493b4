"""A request as a curl command line, with the secret replaced by a variable reference."""

from __future__ import annotations

import json
import re
import shlex
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from mcexplorer.core.accounts.keys import AuthKind, Credentials

if TYPE_CHECKING:  # request.py re-exports to_curl, so the import runs one way only
    from mcexplorer.core.http.request import ApiRequest

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
    """The secret never appears, nor reaches curl's argv (visible in `ps`): the shell's
    builtin printf hands it to curl as a config file on stdin (`-K -`)."""
    if not _ENV_NAME.match(env_var):
        raise ValueError(f"{env_var!r} is not an environment variable name")
    parts = ["curl", "-sS", "-X", req.method.upper(), shlex.quote(request_url(req, base_url))]
    feed = ""
    if credentials is not None:
        if credentials.kind is AuthKind.API_KEY:
            config = 'user = "anystring:%s"'
        elif credentials.kind is AuthKind.OAUTH:
            config = 'header = "Authorization: OAuth %s"'
        else:
            config = 'header = "Authorization: Bearer %s"'
        feed = f"printf '{config}\\n' \"${env_var}\" | "
        parts[1:1] = ["-K", "-"]
    for name, value in req.headers.items():
        parts += ["-H", shlex.quote(f"{name}: {value}")]
    if req.body is not None:
        parts += ["-H", shlex.quote("Content-Type: application/json")]
        parts += ["--data", shlex.quote(json.dumps(req.body, separators=(",", ":")))]
    return feed + " ".join(parts)
