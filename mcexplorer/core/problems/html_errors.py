"""Reading error pages that are not JSON: the edge firewall's block page, CDN pages, other HTML.

These pages come from layers in front of the API (the CDN and its firewall), so they carry no
problem document; what we can recover is a heading, the visible text and the block reference.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

# The firewall writes the reference with entities ("Reference&#32;&#35;18&#46;…"), so the
# pattern runs on unescaped text. A reference is dotted hex/decimal groups.
_REFERENCE_RE = re.compile(r"Reference\s*#\s*([0-9A-Za-z][0-9A-Za-z.\-]{0,80})", re.IGNORECASE)
# `[^<>]` keeps tag stripping linear on hostile input such as a megabyte of "<".
_TAG_RE = re.compile(r"<[^<>]*>")
_SPACE_RE = re.compile(r"\s+")
_HTML_START_RE = re.compile(r"^\s*<(!doctype\s+html|html|head|body|h1|p|title)\b", re.IGNORECASE)

TEXT_CAP = 500  # visible text kept from a page: enough to read, small enough to store
PAGE_CAP = 64 * 1024  # markup read from a page; real error pages are a few hundred bytes


@dataclass(frozen=True)
class HtmlPage:
    heading: str  # <title> or <h1>, else ""
    text: str  # visible text, whitespace collapsed, capped
    reference: str | None  # the firewall/CDN "Reference #…" value
    firewall_block: bool  # the edge firewall's "Access Denied" page


def looks_like_html(content_type: str, text: str) -> bool:
    return "html" in content_type or bool(_HTML_START_RE.match(text))


def _element(markup: str, lowered: str, tag: str, start: int = 0) -> tuple[int, int] | None:
    """(start of `<tag`, end of `</tag>`) of the first such element; str.find keeps it linear."""
    begin = lowered.find(f"<{tag}", start)
    if begin < 0:
        return None
    close = lowered.find(f"</{tag}", begin)
    if close < 0:
        return None
    end = lowered.find(">", close)
    return begin, (len(markup) if end < 0 else end + 1)


def _inner(markup: str, lowered: str, tag: str) -> str | None:
    span = _element(markup, lowered, tag)
    if span is None:
        return None
    body = markup[span[0] : span[1]]
    opened = body.find(">")
    closing = body.lower().rfind(f"</{tag}")
    return body[opened + 1 : closing] if 0 <= opened < closing else ""


def visible_text(markup: str) -> str:
    lowered = markup.lower()
    pieces: list[str] = []
    position = 0
    # Cut out <script> and <style>: their content is not text a reader sees. Each tag's next
    # element is searched again only once we are past it, so the scan stays near-linear.
    upcoming = {t: _element(markup, lowered, t) for t in ("script", "style")}
    while spans := [s for s in upcoming.values() if s]:
        begin, end = min(spans)
        pieces.append(markup[position:begin])
        position = end
        for tag, span in upcoming.items():
            if span and span[0] < position:
                upcoming[tag] = _element(markup, lowered, tag, position)
    pieces.append(markup[position:])
    plain = html.unescape(_TAG_RE.sub(" ", " ".join(pieces)))
    return _SPACE_RE.sub(" ", plain).strip()


def _clean(fragment: str) -> str:
    return _SPACE_RE.sub(" ", html.unescape(_TAG_RE.sub(" ", fragment))).strip()[:200]


def find_reference(text: str) -> str | None:
    match = _REFERENCE_RE.search(text)
    return match.group(1).rstrip(".-") if match else None


def is_firewall_block(text: str) -> bool:
    """The block page says "Access Denied" and "You don't have permission to access"."""
    lowered = text.lower()
    return "access denied" in lowered and (
        "permission to access" in lowered or "reference #" in lowered
    )


def read_page(markup: str) -> HtmlPage:
    markup = markup[:PAGE_CAP]
    lowered = markup.lower()
    heading = _clean(_inner(markup, lowered, "title") or _inner(markup, lowered, "h1") or "")
    text = visible_text(markup)
    if heading and text.startswith(f"{heading} {heading}"):  # an <h1> repeating the <title>
        text = text[len(heading) :].lstrip()
    return HtmlPage(
        heading=heading,
        text=text[:TEXT_CAP],
        reference=find_reference(text),
        firewall_block=is_firewall_block(text),
    )
