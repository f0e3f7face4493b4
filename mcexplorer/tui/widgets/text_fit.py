"""Fitting one-line text into a width without losing what tells it apart."""

from __future__ import annotations

ELLIPSIS = "…"


def ellipsize_middle(text: str, width: int) -> str:
    """`text` in at most `width` characters, cut in the middle: the start says where it
    is, the end (given the larger share) which one it is, as in `/lists/…/members/abc`."""
    if len(text) <= width:
        return text
    if width <= 1:
        return ELLIPSIS[:width] if width > 0 else ""
    head = (width - 1) // 3
    tail = width - 1 - head
    return f"{text[:head]}{ELLIPSIS}{text[len(text) - tail :]}"
