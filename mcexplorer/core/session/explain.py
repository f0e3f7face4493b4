"""What a failed request means, in the one place that gathers what the diagnosis needs.

The CLI, the explorer, the history screen and support bundles all explain an outcome
through `explain`, so the same failure reads the same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from mcexplorer.core.accounts.keys import dc_of_host
from mcexplorer.core.http.events import EventKind
from mcexplorer.core.http.outcome import Outcome
from mcexplorer.core.problems.diagnosis import DiagnosisContext, diagnose
from mcexplorer.core.problems.glossary import Glossary, GlossaryEntry
from mcexplorer.core.problems.problem import Problem


@dataclass(frozen=True)
class Explanation:
    problem: Problem
    entry: GlossaryEntry | None  # the glossary's general meaning, when it knows the error
    hints: list[str]  # the diagnosis for this case, most likely first


def explain(
    outcome: Outcome,
    *,
    base_url: str | None,
    key_dc: str | None,
    role: str | None = None,
    glossary: Glossary | None = None,
) -> Explanation | None:
    """None when the outcome carries no problem."""
    problem = outcome.problem
    if problem is None:
        return None
    # The slots as they were when the last attempt went out, not as they are now.
    slot = next((e for e in reversed(outcome.attempts) if e.kind is EventKind.SLOT_ACQUIRED), None)
    context = DiagnosisContext(
        key_dc=key_dc,
        host_dc=dc_of_host(base_url) if base_url else None,
        role=role,
        in_use=slot.in_use if slot else None,
        limit=slot.limit if slot else None,
        base_url=base_url or None,
        method=outcome.method,
    )
    entry = (glossary or Glossary.load()).lookup(problem)
    return Explanation(problem, entry, diagnose(problem, context))
