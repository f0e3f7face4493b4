"""The glossary data file: complete, coherent, in our own words, and covering every error the
seed material names."""

from __future__ import annotations

import json
import re
from collections import Counter
from http import HTTPStatus
from pathlib import Path

import pytest

from mcexplorer.core.problems.glossary import DEFAULT_PATH, PROVIDERS, Glossary
from mcexplorer.core.problems.problem import KINDS, Problem

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT.parent / "shared" / "seeds"
TRIGGERS = [
    "BadRequest",
    "InvalidAction",
    "InvalidResource",
    "JSONParseError",
    "APIKeyMissing",
    "APIKeyInvalid",
    "Forbidden",
    "UserDisabled",
    "WrongDatacenter",
    "ResourceNotFound",
    "MethodNotAllowed",
    "ResourceNestingTooDeep",
    "InvalidMethodOverride",
    "RequestedFieldsInvalid",
    "TooManyRequests",
    "InternalServerError",
    "ComplianceRelated",
]
COPY_RUN = 12  # words in a row that would mean a sentence was copied from a seed


def _raw() -> list[dict[str, object]]:
    entries: list[dict[str, object]] = json.loads(DEFAULT_PATH.read_text("utf-8"))["entries"]
    return entries


def test_every_entry_is_complete() -> None:
    for entry in Glossary.load().entries:
        assert entry.title.strip() and entry.meaning.strip(), entry.key
        assert entry.causes and all(c.strip() for c in entry.causes), entry.key
        assert entry.next_steps and all(s.strip() for s in entry.next_steps), entry.key
        assert entry.provider in PROVIDERS, entry.key


def test_keys_are_unique_and_triggers_too() -> None:
    keys = Counter(str(raw["key"]) for raw in _raw())
    assert [k for k, n in keys.items() if n > 1] == []
    triggers = Counter(str(raw["trigger"]) for raw in _raw() if raw.get("trigger"))
    assert [t for t, n in triggers.items() if n > 1] == []


def test_statuses_are_real_http_error_statuses() -> None:
    for entry in Glossary.load().entries:
        if entry.provider == "transport":
            assert entry.status is None, entry.key
        else:
            assert entry.status is not None and 400 <= entry.status < 600, entry.key
            if entry.status != 426:  # Mailchimp's own odd "426 Unknown" is still a 4xx
                HTTPStatus(entry.status)


def test_match_hints_are_valid() -> None:
    glossary = Glossary.load()
    for entry in glossary.entries:
        assert set(entry.match.kinds) <= set(KINDS), entry.key
        assert all(re.fullmatch(r"MS\d+", code) for code in entry.match.codes), entry.key
        hinted = entry.match.titles or entry.match.codes or entry.match.kinds
        assert hinted or entry.match.default_for_status, f"{entry.key} can never be found"


def test_each_status_with_several_entries_has_one_default() -> None:
    groups: dict[tuple[str, int], list[str]] = {}
    defaults: Counter[tuple[str, int]] = Counter()
    for entry in Glossary.load().entries:
        if entry.status is None:
            continue
        groups.setdefault((entry.provider, entry.status), []).append(entry.key)
        defaults[(entry.provider, entry.status)] += entry.match.default_for_status
    for group, keys in groups.items():
        if len(keys) > 1:
            assert defaults[group] == 1, f"{group}: {keys}"


@pytest.mark.parametrize("name", TRIGGERS)
def test_every_trigger_name_resolves(name: str) -> None:
    glossary = Glossary.load()
    entry = glossary.by_trigger(name)
    assert entry is not None and entry.provider == "mailchimp"
    # A problem titled with the CamelCase name finds the same entry.
    assert glossary.lookup(Problem(status=entry.status, title=name)) == entry


def test_entries_are_sorted_by_status() -> None:
    statuses = [e.status for e in Glossary.load().entries]
    known = [s for s in statuses if s is not None]
    assert known == sorted(known)
    assert statuses[len(known) :] == [None] * (len(statuses) - len(known))


# --- the seeds ---------------------------------------------------------------------------

needs_seeds = pytest.mark.skipif(
    not SEEDS.is_dir(), reason="../shared/seeds is not beside this checkout"
)


def _seed_texts() -> dict[str, str]:
    return {p.name: p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt"))}


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("’", "'"))


def _runs(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + COPY_RUN]) for i in range(len(words) - COPY_RUN + 1)}


@needs_seeds
def test_no_sentence_is_copied_from_a_seed() -> None:
    seed_runs: set[tuple[str, ...]] = set()
    for text in _seed_texts().values():
        seed_runs |= _runs(_words(text))
    for entry in Glossary.load().entries:
        for text in (entry.meaning, *entry.causes, *entry.next_steps):
            shared = _runs(_words(text)) & seed_runs
            assert not shared, f"{entry.key}: {' '.join(next(iter(shared)))}"


# Patterns that pull error names out of the seeds, each giving (status or None, title, code).
# A glossary line: a title (words in capitals, or one CamelCase name), then ':' or the first
# word of its explanation; the rest of the line is kept as the detail (it tells the 429s apart).
GLOSSARY_LINE = re.compile(
    r"^([A-Z][A-Za-z]*(?:[ \xa0][A-Z][A-Za-z]*)*)(?::|[ \xa0]+(?=(?:This|The|Either|A|You)\b))"
    r"(.*)$",
    re.MULTILINE,
)
STATUS_TITLE = re.compile(r"\b([45]\d\d)(?: -)? ([A-Z][a-z]+(?: [A-Z][a-z]+)*)")
JSON_TITLE = re.compile(r'"title":\s*"([^"]+)"')
MS_CODE = re.compile(r"#(MS\d+)")


Named = tuple[int | None, str, str, str | None]  # status, title, detail, MailerSend code


def _named_errors(text: str) -> set[Named]:
    found: set[Named] = set()
    glossary_start = text.find("Error glossary")
    if glossary_start >= 0:  # the error glossary section lists titles at line starts
        lines = GLOSSARY_LINE.findall(text[glossary_start:])
        found |= {(None, title.replace("\xa0", " "), rest, None) for title, rest in lines}
    found |= {(int(s), t, "", None) for s, t in STATUS_TITLE.findall(text)}
    found |= {(None, t, "", None) for t in JSON_TITLE.findall(text)}
    found |= {(None, "", "", code) for code in MS_CODE.findall(text)}
    return found


@needs_seeds
def test_every_error_a_seed_names_has_an_entry() -> None:
    glossary = Glossary.load()
    missing = []
    resolved: set[str] = set()
    for name, text in _seed_texts().items():
        kind = "mailersend" if "MailerSend" in text else "problem+json"
        for status, title, detail, code in _named_errors(text):
            problem = Problem(status=status, title=title, detail=detail, kind=kind, code=code)
            entry = glossary.lookup(problem)
            if entry is None:
                missing.append(f"{name}: {status} {title or code}")
            else:
                resolved.add(entry.key)
    assert missing == []
    # The patterns still find the seeds' errors, including both kinds of 429.
    assert len(resolved) >= 25
    assert {"mc-too-many-connections", "mc-too-many-batch-webhooks"} <= resolved


def test_the_titles_the_brief_lists_each_resolve() -> None:
    glossary = Glossary.load()
    expected = {
        "Bad Request": "mc-bad-request",
        "Invalid Resource": "mc-invalid-resource",
        "Invalid Action": "mc-invalid-action",
        "JSON Parse Exception": "mc-json-parse",
        "API Key Missing": "mc-api-key-missing",
        "API Key Invalid": "mc-api-key-invalid",
        "Forbidden": "mc-forbidden",
        "User Disabled": "mc-user-disabled",
        "Wrong Datacenter": "mc-wrong-datacenter",
        "Authorization Failure": "mc-authorization-failure",
        "Resource Not Found": "mc-resource-not-found",
        "Method Not Allowed": "mc-method-not-allowed",
        "Resource Nesting Too Deep": "mc-nesting-too-deep",
        "Invalid Method Override": "mc-invalid-method-override",
        "Requested Fields Invalid": "mc-requested-fields-invalid",
        "Too Many Requests": "mc-too-many-connections",
        "Internal Server Error": "mc-internal-server-error",
        "Bad Gateway": "mc-bad-gateway",
        "Service Unavailable": "mc-service-unavailable",
        "Gateway Timeout": "mc-gateway-timeout",
        "Compliance Related": "mc-compliance-related",
        "Member Exists": "mc-member-exists",
    }
    for title, key in expected.items():
        entry = glossary.lookup(Problem(status=None, title=title))
        assert entry is not None and entry.key == key, title
