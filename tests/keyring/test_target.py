"""Target resolution: --key-env, environment overrides (with a notice), profiles, base URLs."""

from __future__ import annotations

import pytest

from mcexplorer.core.accounts.keys import Credentials
from mcexplorer.core.accounts.profiles import Accounts
from mcexplorer.core.accounts.target import TargetError, resolve_target

KEY = "0123456789abcdef0123456789abcdef-us6"
ENV_KEY = "fedcba9876543210fedcba9876543210-us19"


@pytest.fixture
def accounts() -> Accounts:
    acc = Accounts()
    acc.add("work", Credentials.api_key(KEY))
    acc.add("local", Credentials.api_key(KEY), base_url="http://127.0.0.1:8000/3.0/")
    acc.add("ms", Credentials.mailersend("mlsn.token"))
    return acc


def test_the_default_profile_is_used(accounts: Accounts) -> None:
    target = resolve_target(accounts, environ={})
    assert target.credentials == Credentials.api_key(KEY)
    assert target.base_url == "https://us6.api.mailchimp.com/3.0/"
    assert target.label == "profile 'work' …cdef-us6"
    assert (target.profile, target.notice) == ("work", None)
    assert Accounts().get("work").last_used_at is not None


def test_profile_base_url_and_per_call_override(accounts: Accounts) -> None:
    assert resolve_target(accounts, profile="local", environ={}).base_url == (
        "http://127.0.0.1:8000/3.0/"
    )
    target = resolve_target(accounts, profile="local", base_url="http://[::1]:9/3.0", environ={})
    assert target.base_url == "http://[::1]:9/3.0/"


def test_plain_http_to_a_remote_host_is_refused(accounts: Accounts) -> None:
    with pytest.raises(TargetError, match="Refusing plain http"):
        resolve_target(accounts, base_url="http://api.example.com/3.0/", environ={})


def test_the_environment_overrides_a_profile_and_says_so(accounts: Accounts) -> None:
    target = resolve_target(accounts, profile="work", environ={"MAILCHIMP_API_KEY": ENV_KEY})
    assert target.credentials == Credentials.api_key(ENV_KEY)
    assert target.base_url == "https://us19.api.mailchimp.com/3.0/"
    assert target.label == "$MAILCHIMP_API_KEY"
    assert (
        target.notice == "MAILCHIMP_API_KEY from the environment is used instead of profile 'work'"
    )


def test_an_environment_key_goes_to_its_own_datacenter_not_the_profiles_url(
    accounts: Accounts,
) -> None:
    target = resolve_target(accounts, profile="local", environ={"MAILCHIMP_API_KEY": ENV_KEY})
    assert target.base_url == "https://us19.api.mailchimp.com/3.0/"


def test_mailersend_profiles_follow_their_own_variable(accounts: Accounts) -> None:
    env = {"MAILCHIMP_API_KEY": ENV_KEY, "MAILERSEND_API_TOKEN": "mlsn.env"}
    target = resolve_target(accounts, profile="ms", environ=env)
    assert target.credentials == Credentials.mailersend("mlsn.env")
    assert target.base_url == "https://api.mailersend.com/v1/"


def test_environment_without_profiles() -> None:
    target = resolve_target(Accounts(), environ={"MAILCHIMP_API_KEY": ENV_KEY})
    assert (target.label, target.profile) == ("$MAILCHIMP_API_KEY", None)
    assert target.notice == "MAILCHIMP_API_KEY from the environment is used"


def test_key_env_reads_the_named_variable(accounts: Accounts) -> None:
    target = resolve_target(accounts, key_env="CI_KEY", environ={"CI_KEY": ENV_KEY})
    assert (target.label, target.credentials) == ("$CI_KEY", Credentials.api_key(ENV_KEY))


@pytest.mark.parametrize(
    ("kwargs", "environ", "message"),
    [
        ({"profile": "nope"}, {}, r"No profile named 'nope' \(known: local, ms, work\)"),
        ({"key_env": "CI_KEY"}, {}, "CI_KEY is not set or empty"),
        ({"key_env": "CI_KEY"}, {"CI_KEY": "not-a-key"}, r"\$CI_KEY: Not a Mailchimp API key"),
        ({}, {"MAILCHIMP_API_KEY": KEY + " "}, "spaces or a line break"),
    ],
)
def test_errors_name_the_cause(
    accounts: Accounts, kwargs: dict[str, str], environ: dict[str, str], message: str
) -> None:
    with pytest.raises(TargetError, match=message) as caught:
        resolve_target(accounts, environ=environ, **kwargs)  # type: ignore[arg-type]
    assert KEY not in str(caught.value)


def test_no_account_at_all_lists_the_ways_to_get_one() -> None:
    with pytest.raises(TargetError, match=r"keys add NAME.*--sandbox"):
        resolve_target(Accounts(), environ={})
