"""A key hidden in a base URL's userinfo is refused, never stored and never printed; a
MailerSend token names its own provider whatever variable or profile brought it."""

from __future__ import annotations

import io
import json

import pytest

from mcexplorer.core.accounts.keys import AuthKind, Credentials, Provider
from mcexplorer.core.accounts.profiles import Accounts, config_path
from mcexplorer.core.accounts.target import resolve_target
from tests.keyring.test_keys_command import run_keys

KEY = "0123456789abcdef0123456789abcdef-us6"
WITH_KEY = f"http://anystring:{KEY}@127.0.0.1:8765/3.0/"


def test_keys_add_refuses_userinfo_in_the_base_url(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = run_keys(
        ["add", "local", "--stdin", "--base-url", WITH_KEY],
        capsys,
        monkeypatch,
        io.StringIO(KEY + "\n"),
    )
    assert code == 2 and "holds a user name or password" in err
    assert KEY not in out + err
    assert not config_path().exists()


def test_a_key_left_in_an_old_profiles_file_is_never_used_shown_or_saved_again(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    Accounts().add("local", Credentials.api_key(KEY), base_url="http://127.0.0.1:8765/3.0/")
    data = json.loads(config_path().read_text("utf-8"))
    data["profiles"]["local"]["base_url"] = WITH_KEY  # as an older version wrote it
    config_path().write_text(json.dumps(data), encoding="utf-8")
    for argv in (["list"], ["show", "local", "--json"]):
        code, out, err = run_keys(argv, capsys, monkeypatch)
        assert code == 0 and KEY not in out + err
        assert KEY not in config_path().read_text("utf-8")  # the first load rewrote it
    assert "http://127.0.0.1:8765/3.0/" in run_keys(["list"], capsys, monkeypatch)[1]
    target = resolve_target(Accounts(), environ={})
    assert target.base_url == "http://127.0.0.1:8765/3.0/"


def test_a_mailersend_token_in_key_env_beats_a_mailchimp_default_profile() -> None:
    accounts = Accounts()
    accounts.add("work", Credentials.api_key(KEY))
    token = "mlsn." + "b2" * 32
    target = resolve_target(accounts, key_env="MY_VAR", environ={"MY_VAR": token})
    assert target.credentials is not None
    assert (target.credentials.provider, target.credentials.kind) == (
        Provider.MAILERSEND,
        AuthKind.TOKEN,
    )
    assert target.base_url == "https://api.mailersend.com/v1/"
