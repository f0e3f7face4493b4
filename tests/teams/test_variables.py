"""Variables through their layers, environments on disk, and the no-secrets rule."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mcexplorer.core.collections.assertions import assertion_from_dict
from mcexplorer.core.collections.environments import (
    Environment,
    VariableOptions,
    collection_root,
    dumps_environment,
    load_collection_environment,
    load_variables,
    loads_environment,
    profile_environment_path,
    save_environment,
)
from mcexplorer.core.collections.format import (
    SECRET_NAME,
    CollectionFileError,
    SavedRequest,
    SecretRefused,
)
from mcexplorer.core.collections.store import Collection
from mcexplorer.core.collections.variables import (
    SourceKind,
    VariableRefused,
    parse_assignments,
)
from mcexplorer.core.http.request import ApiRequest

KEY = "0123456789abcdef0123456789abcdef-us6"


def _env_file(path: Path, variables: dict[str, str], profile: str | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    save_environment(path, Environment(path.stem, variables, profile))
    return path


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "coll"
    folder.mkdir()
    coll = Collection.load(folder)
    coll.variables = {"a": "from-defaults", "b": "from-defaults", "c": "from-defaults",
                      "d": "from-defaults", "e": "from-defaults"}  # fmt: skip
    coll.save_variables()
    _env_file(folder / "environments" / "staging.json", {"a": "env", "b": "env", "c": "env"})
    _env_file(profile_environment_path("work"), {"a": "profile", "b": "profile", "c": "profile",
                                                 "d": "profile"})  # fmt: skip
    return folder


USES_ALL = SavedRequest(
    ApiRequest(
        "POST",
        "/lists/{list_id}/members/{e}",
        {"list_id": "{{a}}", "e": ""},
        query={"fields": "{{b}}"},
        headers={"X-Note": "{{c}}"},
        body={"email_address": "{{d}}", "tags": ["{{missing_one}}"]},
    ),
    assertions=(
        assertion_from_dict({"json": "email_address", "equals": "{{d}}"}),
        assertion_from_dict({"json": "id", "matches": "^{{c}}$"}),
        assertion_from_dict({"header": "X-Missing", "equals": "{{missing_two}}"}),
    ),
)


def test_each_layer_beats_the_ones_below_and_says_where_a_value_came_from(root: Path) -> None:
    options = VariableOptions(
        cli={"a": "cli"},
        environ={"MCX_VAR_a": "process", "MCX_VAR_b": "process", "b": "not-ours"},
        environment="staging",
        profile="work",
    )
    got = load_variables(root, options).resolve(USES_ALL)
    values = {name: (v.value, v.kind) for name, v in got.values.items()}
    assert values == {
        "a": ("cli", SourceKind.COMMAND_LINE),
        "b": ("process", SourceKind.PROCESS_ENV),
        "c": ("env", SourceKind.ENVIRONMENT),
        "d": ("profile", SourceKind.PROFILE),
        "e": ("from-defaults", SourceKind.COLLECTION),
    }
    assert got.values["b"].source == "$MCX_VAR_b"
    assert got.values["c"].source.endswith("environments/staging.json")
    assert got.values["d"].source == str(profile_environment_path("work"))
    assert got.unresolved == ("missing_one", "missing_two")
    assert not got.ready
    req = got.request
    assert req.path_params == {"list_id": "cli", "e": "from-defaults"}
    assert (req.query, req.headers) == ({"fields": "process"}, {"X-Note": "env"})
    assert req.body == {"email_address": "profile", "tags": ["{{missing_one}}"]}
    assert got.assertions[0].expected == "profile"


def test_a_value_inside_a_regular_expression_stands_for_itself(root: Path) -> None:
    options = VariableOptions(cli={"c": "a.b+c"})
    got = load_variables(root, options).resolve(USES_ALL)
    assert got.assertions[1].expected == r"^a\.b\+c$"


def test_without_options_only_the_defaults_apply_and_other_env_vars_never_leak(
    root: Path,
) -> None:
    options = VariableOptions(environ={"missing_one": "x", "MISSING_ONE": "x", "HOME": "/"})
    got = load_variables(root, options).resolve(USES_ALL)
    assert {v.kind for v in got.values.values()} == {SourceKind.COLLECTION}
    assert "missing_one" in got.unresolved


def test_an_empty_path_param_is_the_variable_of_its_name(tmp_path: Path) -> None:
    saved = SavedRequest(ApiRequest("GET", "/lists/{list_id}/members/{subscriber_hash}"))
    got = load_variables(tmp_path, VariableOptions()).resolve(saved)
    assert got.unresolved == ("list_id", "subscriber_hash")
    got = load_variables(tmp_path, VariableOptions(cli={"list_id": "x"})).resolve(saved)
    assert got.unresolved == ("subscriber_hash",)
    assert got.request.path_params == {"list_id": "x"}


@pytest.mark.parametrize(
    "options",
    [
        VariableOptions(cli={"api_key": "whatever"}),
        VariableOptions(cli={"note": KEY}),
        VariableOptions(environ={"MCX_VAR_token": "opaque"}),
        VariableOptions(environ={"MCX_VAR_note": "mlsn." + "a1" * 20}),
    ],
)
def test_credentials_are_refused_from_any_layer(root: Path, options: VariableOptions) -> None:
    with pytest.raises(VariableRefused) as caught:
        load_variables(root, options)
    message = str(caught.value)
    assert "never secrets" in message and KEY not in message and "opaque" not in message


def test_a_secret_named_collection_default_is_refused(tmp_path: Path) -> None:
    (tmp_path / "collection.json").write_text(json.dumps({"variables": {"password": "hunter2"}}))
    with pytest.raises(VariableRefused) as caught:
        load_variables(tmp_path, VariableOptions())
    assert "'password'" in str(caught.value) and "hunter2" not in str(caught.value)


@pytest.mark.parametrize(
    ("variables", "words"),
    [
        ({"list_id": "abc", "api_key": "x"}, "refusing variable 'api_key': its name says"),
        ({"list_id": "abc", "note": KEY}, "refusing variable 'note': its value looks like"),
        ({"list_id": "abc", "bad name": "x"}, "is not a variable name"),
    ],
)
def test_environment_files_refuse_secrets_when_read(
    tmp_path: Path, variables: dict[str, str], words: str
) -> None:
    text = json.dumps({"format": "mcexplorer.environment/1", "variables": variables}, indent=2)
    path = tmp_path / "environments" / "prod.json"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CollectionFileError) as caught:
        load_collection_environment(tmp_path, "prod")
    assert words in str(caught.value) and caught.value.line == 5
    assert KEY not in str(caught.value)


def test_environment_files_refuse_secrets_when_written(tmp_path: Path) -> None:
    path = tmp_path / "prod.json"
    with pytest.raises(SecretRefused) as caught:
        save_environment(path, Environment("prod", {"list_id": "abc", "auth_token": "zzz"}))
    assert "'auth_token'" in str(caught.value) and "zzz" not in str(caught.value)
    assert not path.exists()


def test_an_environment_names_a_profile_and_round_trips(tmp_path: Path) -> None:
    env = Environment("prod", {"list_id": "abc", "email": "ops@example.org"}, profile="prod acct")
    text = dumps_environment(env)
    assert loads_environment(text, "prod.json", "prod") == env
    with pytest.raises(CollectionFileError, match="profile must name a saved profile"):
        loads_environment(json.dumps({"profile": "a/b"}), "x.json", "x")


def test_a_missing_environment_lists_the_ones_there_are(root: Path) -> None:
    _env_file(root / "environments" / "prod.json", {})
    with pytest.raises(FileNotFoundError, match="it has prod, staging"):
        load_variables(root, VariableOptions(environment="qa"))
    with pytest.raises(ValueError, match="not an environment name"):
        load_variables(root, VariableOptions(environment="../x"))


def test_a_request_file_belongs_to_the_nearest_collection_above(root: Path) -> None:
    deep = root / "lists" / "members"
    deep.mkdir(parents=True)
    (deep / "x.request.json").write_text("{}")
    assert collection_root(deep / "x.request.json") == root
    assert collection_root(deep) == root
    assert collection_root(root) == root


@pytest.mark.parametrize(
    ("texts", "words"),
    [(["list_id"], "write it as NAME=VALUE"), (["a b=1"], "a variable name uses")],
)
def test_bad_var_options_say_why(texts: list[str], words: str) -> None:
    with pytest.raises(VariableRefused, match=words):
        parse_assignments(texts)


def test_var_values_may_hold_equals_signs_and_the_last_one_wins() -> None:
    assert parse_assignments(["q=a=b", "x=1", "x=2"]) == {"q": "a=b", "x": "2"}


@pytest.mark.parametrize("name", ["author", "authors", "author_id", "Author"])
def test_an_author_is_not_a_credential(name: str) -> None:
    assert SECRET_NAME.search(name) is None


@pytest.mark.parametrize("name", ["auth", "Authorization", "oauth_token", "auth_header", "apikey"])
def test_credential_names_are_still_caught(name: str) -> None:
    assert SECRET_NAME.search(name) is not None
