"""Environments: named sets of variables, per collection and per profile.

A collection keeps its environments in `environments/NAME.json` beside its `collection.json`
(`mcexplorer run --env NAME`); a profile's environment is `environments/PROFILE.json` in the
user config dir, beside `profiles.json`, and applies to every collection run with that
profile. Both have one form:

    {
      "format": "mcexplorer.environment/1",
      "profile": "staging",                       optional: the keyring profile to talk to
      "variables": {"list_id": "a1b2c3d4e5"}
    }

An environment never holds a secret: entries named like credentials and values shaped like
keys are refused when read and when written. Naming a profile is how an environment picks
its account; the key stays in the keyring.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from mcexplorer.core.accounts.profiles import ProfileError, check_profile_name, config_path
from mcexplorer.core.atomic import atomic_write_text
from mcexplorer.core.collections.format import (
    CollectionFileError,
    SecretRefused,
    line_of_key,
    parse_json_file,
)
from mcexplorer.core.collections.store import VARIABLES_FILE, is_variable_name, loads_variables
from mcexplorer.core.collections.variables import (
    SourceKind,
    VariableLayer,
    Variables,
    command_line_layer,
    process_layer,
    refuse_secrets,
    secret_entries,
)

ENVIRONMENTS_DIR = "environments"
ENVIRONMENT_TAG = "mcexplorer.environment/1"
_KEYS = frozenset({"format", "profile", "variables"})
_NAME = re.compile(r"[A-Za-z0-9_\-][A-Za-z0-9_.\-]*")


@dataclass
class Environment:
    name: str
    variables: dict[str, str] = field(default_factory=dict)
    profile: str | None = None  # the keyring profile this environment talks to (a name only)


def check_environment_name(name: str) -> str:
    if not _NAME.fullmatch(name) or len(name) > 64:
        raise ValueError(
            f"{name!r} is not an environment name: use letters, digits, '_', '-' and '.' "
            "(not first), at most 64 characters."
        )
    return name


def collection_root(path: Path) -> Path:
    """The collection a request file or folder belongs to: the nearest folder, itself or
    above, that holds `collection.json`; else the folder itself (or the file's folder)."""
    start = path if path.is_dir() else path.parent
    for folder in (start, *start.resolve().parents):
        if (folder / VARIABLES_FILE).is_file():
            return folder
    return start


def collection_environment_path(root: Path, name: str) -> Path:
    return root / ENVIRONMENTS_DIR / f"{check_environment_name(name)}.json"


def profile_environment_path(profile: str) -> Path:
    return config_path().parent / ENVIRONMENTS_DIR / f"{check_profile_name(profile)}.json"


def list_environments(root: Path) -> list[str]:
    folder = root / ENVIRONMENTS_DIR
    return sorted(p.stem for p in folder.glob("*.json")) if folder.is_dir() else []


def loads_environment(text: str, source: str, name: str) -> Environment:
    """Parse an environment file; CollectionFileError names the file, line and entry."""
    data = parse_json_file(text, source)

    def fail(key: str, message: str) -> CollectionFileError:
        return CollectionFileError(source, message, line_of_key(text, key))

    for key in data:
        if key not in _KEYS:
            raise fail(key, f"unknown key {key!r} (expected one of {', '.join(sorted(_KEYS))})")
    if data.get("format", ENVIRONMENT_TAG) != ENVIRONMENT_TAG:
        raise fail("format", f"unsupported format, expected {ENVIRONMENT_TAG!r}")
    variables = data.get("variables", {})
    if not isinstance(variables, dict) or not all(isinstance(v, str) for v in variables.values()):
        raise fail("variables", "variables must be an object of string values")
    for key in variables:
        if not is_variable_name(key):
            raise fail(key, f"{key!r} is not a variable name (letters, digits, '_', '.', '-')")
    for key, why in secret_entries(variables):
        raise fail(
            key,
            f"refusing variable {key!r}: {why}. Environment files never hold secrets: "
            'keys live in the OS keyring; name a profile with "profile" instead.',
        )
    profile = data.get("profile")
    if profile is not None:
        try:
            check_profile_name(profile if isinstance(profile, str) else "")
        except ProfileError as exc:
            raise fail("profile", f"profile must name a saved profile: {exc}") from None
    return Environment(name=name, variables=dict(variables), profile=profile)


def dumps_environment(env: Environment) -> str:
    found = secret_entries(env.variables)
    if found:
        raise SecretRefused(
            "Refusing to write credentials into an environment file ("
            + "; ".join(f"{name!r}: {why}" for name, why in found)
            + "). Keys live in the OS keyring; name a profile instead."
        )
    data: dict[str, object] = {"format": ENVIRONMENT_TAG, "variables": env.variables}
    if env.profile is not None:
        data["profile"] = check_profile_name(env.profile)
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def read_environment(path: Path, name: str) -> Environment:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise CollectionFileError(str(path), "not UTF-8 text") from None
    return loads_environment(text, str(path), name)


def save_environment(path: Path, env: Environment) -> None:
    """Write atomically; SecretRefused before anything is written."""
    atomic_write_text(path, dumps_environment(env))


def load_collection_environment(root: Path, name: str) -> Environment:
    """The environment `--env NAME` selects; FileNotFoundError lists the ones there are."""
    path = collection_environment_path(root, name)
    if not path.is_file():
        known = list_environments(root)
        there = f"; it has {', '.join(known)}" if known else ""
        raise FileNotFoundError(f"No environment {name!r}: {path} does not exist{there}.")
    return read_environment(path, name)


def load_profile_environment(profile: str) -> Environment | None:
    path = profile_environment_path(profile)
    return read_environment(path, profile) if path.is_file() else None


@dataclass(frozen=True)
class VariableOptions:
    """What a run was given: `--var` values, the process environment, `--env`, the profile."""

    cli: Mapping[str, str] = field(default_factory=dict)
    environ: Mapping[str, str] = field(default_factory=dict)
    environment: str | None = None
    profile: str | None = None


def collection_defaults(root: Path) -> VariableLayer:
    path = root / VARIABLES_FILE
    values: dict[str, str] = {}
    if path.is_file():
        values = loads_variables(path.read_text(encoding="utf-8"), str(path))[1]
    return VariableLayer(SourceKind.COLLECTION, str(path), values)


def load_variables(
    root: Path, options: VariableOptions, defaults: VariableLayer | None = None
) -> Variables:
    """Every layer for a collection at `root`, highest precedence first. Raises
    VariableRefused, CollectionFileError or FileNotFoundError (a missing `--env`)."""
    layers = [command_line_layer(options.cli), process_layer(options.environ)]
    if options.environment is not None:
        env = load_collection_environment(root, options.environment)
        path = str(collection_environment_path(root, options.environment))
        layers.append(VariableLayer(SourceKind.ENVIRONMENT, path, env.variables))
    if options.profile is not None:
        profile_env = load_profile_environment(options.profile)
        if profile_env is not None:
            path = str(profile_environment_path(options.profile))
            layers.append(VariableLayer(SourceKind.PROFILE, path, profile_env.variables))
    layers.append(defaults if defaults is not None else collection_defaults(root))
    for layer in layers:
        refuse_secrets(layer.values, layer.where)
    return Variables(tuple(layers))
