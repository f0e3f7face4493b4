"""Variables `{{name}}` in saved requests, looked up through layers, and where each came from.

Layers in order of precedence (the first that has a name wins):

1. the command line (`mcexplorer run --var name=value`),
2. the process environment, only variables named `MCX_VAR_<name>` (others never leak in),
3. the collection's selected environment (`--env NAME`: `environments/NAME.json`),
4. the profile's environment (`environments/PROFILE.json` in the user config dir),
5. the collection's defaults (`collection.json`).

Variables are never credentials, whichever layer they come from: a name that says it holds
one, or a value shaped like a key or token, is refused (auth comes from the profile).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

from mcexplorer.core.collections.assertions import Assertion, Check
from mcexplorer.core.collections.format import SECRET_NAME, SavedRequest, looks_secret
from mcexplorer.core.collections.store import (
    fill_any,
    is_variable_name,
    request_variables,
    resolve_request,
    value_variables,
)
from mcexplorer.core.http.request import ApiRequest

ENV_PREFIX = "MCX_VAR_"


class SourceKind(StrEnum):
    COMMAND_LINE = "command line"
    PROCESS_ENV = "process environment"
    ENVIRONMENT = "environment"
    PROFILE = "profile environment"
    COLLECTION = "collection defaults"


class VariableRefused(ValueError):
    """A variable that looks like a credential, or a badly written one; names it, never its
    value."""


@dataclass(frozen=True)
class VariableLayer:
    kind: SourceKind
    where: str  # "--var", "$MCX_VAR_*", or the file the values were read from
    values: Mapping[str, str]

    def source_of(self, name: str) -> str:
        return f"${ENV_PREFIX}{name}" if self.kind is SourceKind.PROCESS_ENV else self.where


@dataclass(frozen=True)
class ResolvedValue:
    value: str
    kind: SourceKind
    source: str  # "--var", "$MCX_VAR_list_id", ".../environments/staging.json"


@dataclass(frozen=True)
class Resolution:
    """A saved request as it will be sent, and which value came from where."""

    request: ApiRequest
    assertions: tuple[Assertion, ...]
    values: dict[str, ResolvedValue]  # every variable the request uses that has a value
    unresolved: tuple[str, ...]  # the variables it uses that none of the layers has

    @property
    def ready(self) -> bool:
        return not self.unresolved


def secret_entries(values: Mapping[str, str]) -> list[tuple[str, str]]:
    """(name, why) for each entry that must not be a variable; never says the value."""
    found: list[tuple[str, str]] = []
    for name, value in values.items():
        if SECRET_NAME.search(name):
            found.append((name, "its name says it holds a credential"))
        elif looks_secret(value):
            found.append((name, "its value looks like an API key or token"))
    return found


def refuse_secrets(values: Mapping[str, str], where: str) -> None:
    found = secret_entries(values)
    if found:
        reasons = "; ".join(f"{name!r}: {why}" for name, why in found)
        raise VariableRefused(
            f"{where}: refusing variables that look like credentials ({reasons}). "
            "Variables are never secrets: keys live in the OS keyring and come from the "
            "profile (`mcexplorer keys add`, `--profile`)."
        )


def parse_assignments(texts: Iterable[str]) -> dict[str, str]:
    """`name=value` strings (from `--var`) as a dict; the last of a repeated name wins."""
    values: dict[str, str] = {}
    for text in texts:
        name, sep, value = text.partition("=")
        if not sep:
            raise VariableRefused(f"--var {text!r}: write it as NAME=VALUE")
        if not is_variable_name(name):
            raise VariableRefused(
                f"--var {name!r}: a variable name uses letters, digits, '_', '.' and '-'"
            )
        values[name] = value
    return values


def command_line_layer(values: Mapping[str, str]) -> VariableLayer:
    return VariableLayer(SourceKind.COMMAND_LINE, "--var", dict(values))


def process_layer(environ: Mapping[str, str]) -> VariableLayer:
    """`MCX_VAR_<name>` variables of the process environment, under their `<name>`."""
    values = {
        key.removeprefix(ENV_PREFIX): value
        for key, value in environ.items()
        if key.startswith(ENV_PREFIX) and is_variable_name(key.removeprefix(ENV_PREFIX))
    }
    return VariableLayer(SourceKind.PROCESS_ENV, f"${ENV_PREFIX}*", values)


@dataclass(frozen=True)
class Variables:
    """Layers in order of precedence, highest first."""

    layers: tuple[VariableLayer, ...] = ()

    def lookup(self, name: str) -> ResolvedValue | None:
        for layer in self.layers:
            if name in layer.values:
                return ResolvedValue(layer.values[name], layer.kind, layer.source_of(name))
        return None

    def merged(self) -> dict[str, str]:
        values: dict[str, str] = {}
        for layer in reversed(self.layers):
            values.update(layer.values)
        return values

    def resolve(self, saved: SavedRequest) -> Resolution:
        """The request and its assertions with every variable filled that has a value."""
        merged = self.merged()
        names = request_variables(saved.request)
        for assertion in saved.assertions:
            if assertion.check is not Check.EXISTS:
                names += [n for n in value_variables(assertion.expected) if n not in names]
        found = {name: value for name in names if (value := self.lookup(name)) is not None}
        return Resolution(
            request=resolve_request(saved.request, merged),
            assertions=tuple(_fill_assertion(a, merged) for a in saved.assertions),
            values=found,
            unresolved=tuple(name for name in names if name not in found),
        )


def _fill_assertion(assertion: Assertion, merged: dict[str, str]) -> Assertion:
    if assertion.check is Check.MATCHES:
        # A value stands for itself inside a regular expression.
        escaped = {name: re.escape(value) for name, value in merged.items()}
        return replace(assertion, expected=fill_any(assertion.expected, escaped))
    if assertion.check is Check.EQUALS:
        return replace(assertion, expected=fill_any(assertion.expected, merged))
    return assertion
