"""CSV rows: what spreadsheet exports throw at us, and the line each record starts on."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mcexplorer.core.bulk.csv_rows import BOM, CsvFileError, parse_csv

# Any text a cell may hold, including quotes, commas, line breaks and non-ASCII letters;
# NUL cannot be written by the csv module and "\r" alone is not a line ending we keep.
cell = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"),
    max_size=12,
)
names = st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöü_", min_size=1, max_size=8),
    min_size=1,
    max_size=5,
    unique_by=str.lower,
)


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    header = draw(names)
    rows = draw(st.lists(st.lists(cell, min_size=len(header), max_size=len(header)), max_size=8))
    # A row of blanks is skipped like a blank line: keep one real value per row.
    rows = [row if any(c.strip() for c in row) else ["x", *row[1:]] for row in rows]
    return header, rows


def render(header: list[str], rows: list[list[str]], quoting: int, ending: str) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, quoting=quoting, lineterminator=ending)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


@settings(max_examples=150, deadline=None)
@given(
    tables(),
    st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]),
    st.sampled_from(["\n", "\r\n"]),
    st.booleans(),
)
def test_written_tables_read_back_cell_for_cell(
    table: tuple[list[str], list[list[str]]], quoting: int, ending: str, bom: bool
) -> None:
    header, rows = table
    text = (BOM if bom else "") + render(header, rows, quoting, ending)
    parsed = parse_csv(text)
    assert parsed.columns == [h.strip() for h in header]
    assert parsed.issues == []
    assert [list(r.values.values()) for r in parsed.rows] == rows


@settings(max_examples=100, deadline=None)
@given(tables(), st.lists(st.integers(min_value=0, max_value=3), min_size=9, max_size=9))
def test_blank_lines_are_skipped_and_lines_still_count(
    table: tuple[list[str], list[list[str]]], gaps: list[int]
) -> None:
    header, rows = table
    lines = render(header, [], csv.QUOTE_ALL, "\n")
    expected_lines = []
    line = 1
    for index, row in enumerate(rows):
        lines += "\n" * gaps[index]
        line += gaps[index] + 1
        expected_lines.append(line)
        record = render(["h"], [row], csv.QUOTE_ALL, "\n").split("\n", 1)[1]
        lines += record
        line += record.count("\n") - 1  # a quoted value may span several lines
    parsed = parse_csv(lines)
    assert [r.line for r in parsed.rows] == expected_lines
    assert [list(r.values.values()) for r in parsed.rows] == rows


@settings(max_examples=100, deadline=None)
@given(tables(), st.data())
def test_extra_values_are_reported_by_line_and_the_row_is_dropped(
    table: tuple[list[str], list[list[str]]], data: st.DataObject
) -> None:
    header, rows = table
    if not rows:
        rows = [["v"] * len(header)]
    bad = data.draw(st.integers(min_value=0, max_value=len(rows) - 1))
    extra = data.draw(st.text(alphabet="xyz", min_size=1, max_size=3))
    widened = [[*row, extra] if i == bad else row for i, row in enumerate(rows)]
    text = render(header, widened, csv.QUOTE_ALL, "\n")
    parsed = parse_csv(text)
    assert len(parsed.issues) == 1
    assert f"has {len(header) + 1} values" in parsed.issues[0].message
    assert len(parsed.rows) == len(rows) - 1


def test_trailing_commas_and_short_rows_are_tolerated() -> None:
    parsed = parse_csv("email,name,,\na@example.com,Ann,,\nb@example.com\n")
    assert parsed.columns == ["email", "name"]
    assert [r.values for r in parsed.rows] == [
        {"email": "a@example.com", "name": "Ann"},
        {"email": "b@example.com", "name": ""},
    ]


def test_odd_quoting_and_unicode_cells() -> None:
    text = 'email,note\r\n"a@example.com","said ""hi"", then\nleft"\r\nzoë@exämple.org,日本\r\n'
    parsed = parse_csv(text)
    assert parsed.rows[0].values["note"] == 'said "hi", then\nleft'
    assert parsed.rows[1].line == 4
    assert parsed.rows[1].values == {"email": "zoë@exämple.org", "note": "日本"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("\n\n  \n", "empty"),
        ("email,,name\n", "column 2 of the header has no name"),
        ("Email,email\n", "twice"),
    ],
)
def test_unusable_headers_name_the_cause(text: str, message: str) -> None:
    with pytest.raises(CsvFileError, match=message):
        parse_csv(text)
