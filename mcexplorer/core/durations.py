"""Seconds as a person reads them: `2.5 s`, `40 min`, `3 h`, `12 days`, `73 years`.

A Retry-After header can name a moment decades away; printed with `:g` it read
"2.29997e+09 s".
"""

from __future__ import annotations

MINUTE = 60.0
HOUR = 60 * MINUTE
DAY = 24 * HOUR
YEAR = 365.25 * DAY


def describe_seconds(seconds: float) -> str:
    if seconds < 10:
        return f"{seconds:.3g} s"
    if seconds < 2 * MINUTE:
        return f"{seconds:.0f} s"
    for unit, name in ((YEAR, "years"), (DAY, "days"), (HOUR, "h")):
        if seconds >= 2 * unit:
            return f"{seconds / unit:,.0f} {name}"
    return f"{seconds / MINUTE:.0f} min"
