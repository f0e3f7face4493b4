"""A pretty-printed JSON body that stays fast at megabytes.

The text is formatted off the UI thread (`pretty_lines`), and the view only highlights
the lines on screen, with pygments' JSON lexer and a cache of rendered strips
(the toolong approach), so a 1,000-member response never stalls a frame.
"""

from __future__ import annotations

import json
import re
import time
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

import orjson
from pygments.token import Token, _TokenType
from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from mcexplorer.core.jsontext import nesting_depth

if TYPE_CHECKING:
    from pygments.lexer import Lexer


@cache
def _lexer() -> Lexer:
    """Built on first use: importing pygments' lexers costs ~15 ms before the first paint."""
    from pygments.lexers.data import JsonLexer

    return JsonLexer(ensurenl=False, stripnl=False)


# Fixed colours (not theme variables): the same on every theme, readable on dark and light.
_STYLES: dict[_TokenType, Style] = {
    Token.Name.Tag: Style(color="#5fafff", bold=True),
    Token.Literal.String.Double: Style(color="#87af5f"),
    Token.Literal.Number.Integer: Style(color="#d7875f"),
    Token.Literal.Number.Float: Style(color="#d7875f"),
    Token.Keyword.Constant: Style(color="#af87d7"),
    Token.Punctuation: Style(dim=True),
}


# JSON leaves DEL, the C1 controls and U+2028/9 unescaped with ensure_ascii=False; a
# terminal may act on them (C1 CSI) or break the line, so they stay escaped here.
_JSON_ESCAPES = {c: f"\\u{c:04x}" for c in (*range(0x7F, 0xA0), 0x2028, 0x2029)}
# In a body that is not JSON, control characters show as U+FFFD and tabs as spaces.
_TEXT_ESCAPES: dict[int, str] = {c: "\ufffd" for c in (*range(0x20), *range(0x7F, 0xA0))}
_TEXT_ESCAPES[0x09] = "    "


_NEEDS_ESCAPE = re.compile("[\x7f-\x9f\u2028\u2029]")
# 19 digits or more in a row: maybe an integer past what 64 bits hold.
_LONG_BYTES = re.compile(rb"\d{19}")
_LONG_TEXT = re.compile(r"\d{19}")
CHUNK = 256 * 1024  # characters formatted between two releases of the GIL


def _yield_gil() -> None:
    """Let the UI thread run between two long C calls (each holds the GIL throughout)."""
    time.sleep(0)


class TooDeep(Exception):
    """The document nests deeper than the readers and writers recurse."""


def _decode(body: bytes | str) -> tuple[Any, bool]:
    """(JSON value or None, whether orjson read it): None also for a body that is not JSON.

    Bytes go to orjson as they are (decoding 3.6 MB first costs another GIL-held call)."""
    # orjson reads an integer beyond 64 bits as a float (another number): such a body,
    # or one that may hold one, goes to the stdlib reader, which keeps every digit.
    if isinstance(body, bytes):
        long_number = _LONG_BYTES.search(body) is not None
    else:
        long_number = _LONG_TEXT.search(body) is not None
    if not long_number:
        try:
            return orjson.loads(body), True
        except orjson.JSONDecodeError:
            pass
    text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
    if not text.strip():
        return None, True
    if text is not body and not long_number:  # invalid UTF-8: read with U+FFFD instead
        try:
            return orjson.loads(text), True
        except orjson.JSONDecodeError:
            pass
    try:  # what orjson refuses but Python reads: NaN/Infinity, integers beyond 64 bits
        return json.loads(text), False
    except ValueError:
        return None, False
    except RecursionError:  # orjson stops at 1,024 levels; Python's reader near 1,000
        raise TooDeep from None


def decode_body(body: bytes | str) -> Any:
    """The decoded JSON of a body, or None when it is not JSON or nested too deeply."""
    try:
        return _decode(body)[0]
    except TooDeep:
        return None


def _indent(data: Any, fast: bool) -> str:
    if fast:
        try:  # orjson writes 254 levels at most, then says so with a TypeError
            return orjson.dumps(data, option=orjson.OPT_INDENT_2).decode("utf-8")
        except TypeError:  # too deep, or an integer beyond 64 bits
            pass
    try:
        return json.dumps(data, indent=2, ensure_ascii=False)
    except RecursionError:
        raise TooDeep from None


def indent_json(data: Any) -> str:
    """Decoded JSON written out indented (to copy it); TooDeep past what the writers take."""
    return _indent(data, fast=True)


def _pieces(text: str) -> list[str]:
    """`text` cut at newlines (dropped) every CHUNK characters or so: the pieces' lines
    are exactly `text.split("\\n")`."""
    pieces: list[str] = []
    start = 0
    while True:
        end = text.find("\n", start + CHUNK)
        if end < 0:
            pieces.append(text[start:])
            return pieces
        pieces.append(text[start:end])
        start = end + 1


def _escaped_lines(pretty: str) -> list[str]:
    """The lines of indented JSON, escaping what a terminal would act on.

    Done a piece at a time with the GIL released in between: one regex search or split
    over several MB holds it for 10-50 ms, and the UI thread waits that long for a frame.
    """
    lines: list[str] = []
    for piece in _pieces(pretty):
        # isascii() is O(1) on a str, and DEL is the one ASCII character left to escape
        # (orjson escapes the others): a fast scan for it, then the regex only if needed.
        if (not piece.isascii() or "\x7f" in piece) and _NEEDS_ESCAPE.search(piece):
            piece = piece.translate(_JSON_ESCAPES)
        lines += piece.split("\n")
        _yield_gil()
    return lines


class Pretty(NamedTuple):
    """A body laid out for the view."""

    lines: list[str]
    width: int  # of the widest line
    data: Any  # the decoded JSON, None when not JSON
    is_json: bool
    too_deep: int  # when the JSON nests too deeply to lay out: its depth (shown raw), else 0


def _raw_lines(body: bytes | str) -> list[str]:
    text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
    return [line.translate(_TEXT_ESCAPES) for line in text.splitlines()] or [""]


def pretty_lines(body: bytes | str) -> Pretty:
    """Format a body for the view; a document too deep to lay out shows as raw text.

    Runs in a thread worker; orjson reads and indents 3.6 MB in about 30 ms (stdlib json:
    ~400 ms), in two calls that each hold the GIL; the rest goes a chunk at a time.
    """
    try:
        data, fast = _decode(body)
        if data is None:
            lines = _raw_lines(body)
            return Pretty(lines, max(map(len, lines)), None, False, 0)
        _yield_gil()
        pretty = _indent(data, fast)
    except TooDeep:
        lines = _raw_lines(body)
        return Pretty(lines, max(map(len, lines)), None, False, nesting_depth(body))
    _yield_gil()
    lines = _escaped_lines(pretty)
    return Pretty(lines, max(map(len, lines)), data, True, 0)


def _style_of(token: _TokenType | None) -> Style | None:
    while token is not None and token is not Token:
        style = _STYLES.get(token)
        if style is not None:
            return style
        token = token.parent
    return None


class TextMatch(NamedTuple):
    """Where a search found its text: a line, and the characters start..end in it."""

    line: int
    start: int
    end: int


MATCH = Style(color="#000000", bgcolor="#87875f")
CURRENT_MATCH = Style(color="#000000", bgcolor="#ffaf00", bold=True)
_CURSOR = Style(bgcolor="#2f3d4f")  # the line a click or the current match chose


def _marked(strip: Strip, line: str, spans: list[tuple[int, int, bool]]) -> Strip:
    """`strip` with each (start, end, current) character span of `line` marked."""
    cuts: list[int] = []
    for start, end, _ in spans:  # cell positions: a wide character takes two
        cuts += [cell_len(line[:start]), cell_len(line[:end])]
    parts = strip.divide([*cuts, strip.cell_length])
    marked: list[Strip] = [parts[0]]
    for index, part in enumerate(parts[1:]):
        if index % 2:
            marked.append(part)
        else:
            style = CURRENT_MATCH if spans[index // 2][2] else MATCH
            marked.append(Strip(Segment.apply_style(part, post_style=style)))
    return Strip.join(marked)


def highlight_line(line: str) -> list[Segment]:
    """One line of indented JSON as styled segments (no string spans lines once indented)."""
    return [Segment(text, _style_of(token)) for token, text in _lexer().get_tokens(line) if text]


class JsonView(ScrollView, can_focus=True):
    """Scrollable, lazily highlighted text: JSON is coloured, anything else shown plain."""

    DEFAULT_CSS = """
    JsonView {
        background: $surface;
        scrollbar-size-vertical: 1;
    }
    """

    def __init__(self, *, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.lines: list[str] = []
        self._is_json = False
        self._strips: LRUCache[int, Strip] = LRUCache(2048)
        self._marks: dict[int, list[tuple[int, int]]] = {}  # search matches by line
        self._current: TextMatch | None = None
        self.cursor_line: int | None = None  # what the response's copy key copies

    def set_lines(self, lines: list[str], width: int, *, is_json: bool) -> None:
        """Show pre-formatted lines (cheap: nothing is highlighted until it is on screen)."""
        self.lines = lines
        self._is_json = is_json
        self._marks, self._current, self.cursor_line = {}, None, None
        self._strips.clear()
        self.virtual_size = Size(width + 1, len(lines))
        self.scroll_to(0, 0, animate=False)
        self.refresh()

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def mark(self, matches: list[TextMatch], current: TextMatch | None = None) -> None:
        """Mark search matches (none to clear them); `current` stands out, and is scrolled
        into view."""
        self._marks = {}
        for index, start, end in matches:
            self._marks.setdefault(index, []).append((start, end))
        self._strips.clear()
        self._current = None
        self.set_current(current)
        self.refresh()

    def set_current(self, current: TextMatch | None) -> None:
        """Make another of the marked matches the one that stands out, and scroll to it."""
        for old in (self._current, current):
            if old is not None:
                self._strips.discard(old.line)
        self._current = current
        if current is not None:
            self.move_cursor(current.line)
            line = self.lines[current.line]
            x = cell_len(line[: current.start])
            region = Region(x, current.line, max(1, current.end - current.start), 1)
            self.scroll_to_region(region, animate=False, center=True, force=True)
        self.refresh()

    def move_cursor(self, index: int) -> None:
        """Put the cursor on a line (it shows as a bar behind the line)."""
        for old in (self.cursor_line, index):
            if old is not None:
                self._strips.discard(old)
        self.cursor_line = index
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        index = self.scroll_offset.y + event.y
        if 0 <= index < len(self.lines):
            self.move_cursor(index)

    def _strip(self, index: int) -> Strip:
        strip = self._strips.get(index)
        if strip is None:
            line = self.lines[index]
            segments = highlight_line(line) if self._is_json else [Segment(line)]
            strip = Strip(segments)
            spans = self._marks.get(index)
            if spans:
                current = self._current
                strip = _marked(
                    strip,
                    line,
                    [(a, b, current == (index, a, b)) for a, b in spans],
                )
            if index == self.cursor_line:
                strip = strip.apply_style(_CURSOR)
            self._strips[index] = strip
        return strip

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        if index >= len(self.lines):
            return Strip.blank(width, self.rich_style)
        style = self.rich_style + _CURSOR if index == self.cursor_line else self.rich_style
        return self._strip(index).crop_extend(scroll_x, scroll_x + width, style)
