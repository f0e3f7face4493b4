"""A request as a curl command line, with the secret replaced by a variable reference."""

from __future__ import annotations

import json
import re
import shlex

from mcexplorer.core.accounts.keys import AuthKind, Credentials
from mcexplorer.core.http.request import ApiRequest, url_for

_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


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
    parts = [
        "curl",
        "-sS",
        "-X",
        req.method.upper(),
        shlex.quote(url_for(base_url, req.render_path(), req.query)),
    ]
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
