"""The error glossary (`data/glossary.json`): what each error means and what to do about it.

`lookup` finds the entry for a decoded Problem; `search` backs the searchable glossary screen.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from mcexplorer.core.problems.problem import Problem

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "data" / "glossary.json"
PROVIDERS = ("mailchimp", "mailersend", "transport")
_NON_ALNUM_RE = re.compile(r"[^0-9a-z]+")


def normalize_title(text: str) -> str:
    """'Too Many Requests', 'TooManyRequests' and 'too_many requests' all become one key."""
    return _NON_ALNUM_RE.sub("", text.lower())


@dataclass(frozen=True)
class MatchHints:
    titles: tuple[str, ...] = ()  # error titles (any spelling) this entry explains
    codes: tuple[str, ...] = ()  # MailerSend codes such as MS42901
    kinds: tuple[str, ...] = ()  # Problem.kind values, e.g. firewall-html
    statuses: tuple[int, ...] = ()  # limits a kind match to these statuses
    detail_contains: tuple[str, ...] = ()  # tells apart entries that share a title
    default_for_status: bool = False  # the fallback when only the status is known


@dataclass(frozen=True)
class GlossaryEntry:
    key: str
    title: str
    status: int | None
    provider: str
    trigger: str | None
    meaning: str
    causes: tuple[str, ...]
    next_steps: tuple[str, ...]
    match: MatchHints = field(default_factory=MatchHints)

    @property
    def names(self) -> frozenset[str]:
        """Normalized titles this entry answers to (its title, aliases and trigger name)."""
        raw = (self.title, *self.match.titles, *([self.trigger] if self.trigger else []))
        return frozenset(normalize_title(name) for name in raw)

    def detail_matches(self, detail: str) -> bool:
        lowered = detail.lower()
        return any(hint.lower() in lowered for hint in self.match.detail_contains)


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def _entry(raw: Mapping[str, Any]) -> GlossaryEntry:
    hints = raw.get("match") or {}
    statuses = hints.get("statuses") or []
    return GlossaryEntry(
        key=str(raw["key"]),
        title=str(raw["title"]),
        status=raw.get("status"),
        provider=str(raw["provider"]),
        trigger=raw.get("trigger"),
        meaning=str(raw["meaning"]),
        causes=_strings(raw.get("causes")),
        next_steps=_strings(raw.get("next_steps")),
        match=MatchHints(
            titles=_strings(hints.get("titles")),
            codes=_strings(hints.get("codes")),
            kinds=_strings(hints.get("kinds")),
            statuses=tuple(int(s) for s in statuses),
            detail_contains=_strings(hints.get("detail_contains")),
            default_for_status=bool(hints.get("default_for_status", False)),
        ),
    )


def provider_of(problem: Problem) -> str:
    if problem.kind == "transport":
        return "transport"
    if problem.kind == "mailersend" or problem.code or problem.quota_reset:
        return "mailersend"
    return "mailchimp"


def _pick(candidates: list[GlossaryEntry], detail: str) -> GlossaryEntry:
    """Among entries that fit equally well, the detail text decides, then the default."""
    for entry in candidates:
        if entry.detail_matches(detail):
            return entry
    for entry in candidates:
        if entry.match.default_for_status:
            return entry
    plain = [e for e in candidates if not e.match.detail_contains]
    return (plain or candidates)[0]


class Glossary:
    def __init__(self, entries: Iterable[GlossaryEntry]) -> None:
        self.entries: list[GlossaryEntry] = sorted(
            entries, key=lambda e: (e.status is None, e.status or 0, PROVIDERS.index(e.provider))
        )
        self._by_key = {e.key: e for e in self.entries}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Glossary:
        return cls(_entry(raw) for raw in data["entries"])

    @classmethod
    def load(cls) -> Glossary:
        """The packaged glossary, read once per process."""
        return _packaged()

    def get(self, key: str) -> GlossaryEntry | None:
        return self._by_key.get(key)

    def by_trigger(self, name: str) -> GlossaryEntry | None:
        wanted = normalize_title(name)
        return next(
            (e for e in self.entries if e.trigger and normalize_title(e.trigger) == wanted), None
        )

    def lookup(self, problem: Problem) -> GlossaryEntry | None:
        pool = [e for e in self.entries if e.provider == provider_of(problem)]
        if problem.code:
            for entry in pool:
                if problem.code in entry.match.codes:
                    return entry
        by_kind = [
            e
            for e in pool
            if problem.kind in e.match.kinds
            and (not e.match.statuses or problem.status in e.match.statuses)
        ]
        if by_kind:
            return _pick(by_kind, problem.detail)
        wanted = normalize_title(problem.title)
        by_title = [e for e in pool if wanted and wanted in e.names]
        same_status = [e for e in by_title if problem.status is None or e.status == problem.status]
        if same_status or by_title:
            return _pick(same_status or by_title, problem.detail)
        by_status = [e for e in pool if problem.status is not None and e.status == problem.status]
        return _pick(by_status, problem.detail) if by_status else None

    def search(self, text: str) -> list[GlossaryEntry]:
        """Entries whose title, trigger, status or meaning hold every word of `text`;
        title and trigger hits come first. An empty query gives every entry."""
        words = text.lower().split()
        strong: list[GlossaryEntry] = []
        weak: list[GlossaryEntry] = []
        for entry in self.entries:
            head = " ".join(
                [entry.title, entry.trigger or "", str(entry.status or ""), entry.provider]
            ).lower()
            everything = f"{head} {entry.meaning.lower()}"
            if all(w in head for w in words):
                strong.append(entry)
            elif all(w in everything for w in words):
                weak.append(entry)
        return strong + weak


@cache
def _packaged() -> Glossary:
    return Glossary.from_data(json.loads(DEFAULT_PATH.read_text("utf-8")))
