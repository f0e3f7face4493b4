"""Importing Posting collections: its YAML request files become our request files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mcexplorer.cli import main
from mcexplorer.core.collections.posting import import_posting, posting_to_ours
from mcexplorer.core.collections.store import Collection

KEY = "0123456789abcdef0123456789abcdef-us6"

MEMBERS = f"""\
name: list members
description: Members of $LIST_NAME
method: GET
url: ${{BASE_URL}}/lists/:list_id/members?status=subscribed
params:
- name: count
  value: '10'
- name: offset
  value: '0'
  enabled: false
- name: apikey
  value: $API_KEY
path_params:
- name: list_id
  value: $LIST_ID
headers:
- name: Accept
  value: application/json
- name: X-Trace
  value: run-${{RUN}}
- name: Authorization
  value: Bearer $TOKEN
auth:
  type: basic
  basic:
    username: anystring
    password: {KEY}
options:
  timeout: 2.5
"""

ADD = """\
name: add member
method: POST
url: https://us6.api.mailchimp.com/3.0/lists/$LIST_ID/members
body:
  content: |-
    {
      "email_address": "${EMAIL}",
      "status": "subscribed",
      "merge_fields": {"PRICE": "$$5"}
    }
  content_type: application/json
scripts:
  on_response: scripts/check.py
"""

PING = "name: ping\nurl: us6.api.mailchimp.com/3.0/ping\n"


def _posting(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_requests_variables_and_folders_carry_over(tmp_path: Path) -> None:
    source = _posting(
        tmp_path / "posting",
        {
            "lists/members.posting.yaml": MEMBERS,
            "lists/add.posting.yaml": ADD,
            "ping.posting.yaml": PING,
            "notes.txt": "not a request",
        },
    )
    imported = import_posting(source)
    assert not imported.errors
    by_rel = {str(r.rel): r.saved for r in imported.requests}
    assert sorted(by_rel) == [
        "lists/add.request.json",
        "lists/members.request.json",
        "ping.request.json",
    ]

    members = by_rel["lists/members.request.json"].request
    assert (members.method, members.path) == ("GET", "/lists/{list_id}/members")
    assert members.path_params == {"list_id": "{{LIST_ID}}"}
    assert members.query == {"status": "subscribed", "count": "10"}
    assert members.headers == {"X-Trace": "run-{{RUN}}"}
    assert by_rel["lists/members.request.json"].description == "Members of {{LIST_NAME}}"

    add = by_rel["lists/add.request.json"].request
    assert add.path == "/lists/{list_id}/members"
    assert add.path_params == {"list_id": "{{LIST_ID}}"}
    assert add.body == {
        "email_address": "{{EMAIL}}",
        "status": "subscribed",
        "merge_fields": {"PRICE": "$5"},
    }
    assert by_rel["ping.request.json"].request.path == "/ping"
    assert imported.variables == ["EMAIL", "LIST_ID", "RUN"]
    notes = "\n".join(imported.notes)
    for words in [
        "lists/members.posting.yaml: dropped the disabled param 'offset'",
        "dropped the query param 'apikey'",
        "dropped the Authorization header",
        "lists/members.posting.yaml: dropped its auth block",
        "lists/add.posting.yaml: left out its scripts",
    ]:
        assert words in notes


def test_the_command_writes_a_collection_that_loads_and_never_holds_a_secret(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _posting(tmp_path / "posting", {"members.posting.yaml": MEMBERS})
    out = tmp_path / "ours"
    assert main(["collection", "import-posting", str(source), "-o", str(out)]) == 0
    captured = capsys.readouterr()
    assert "Imported 1 requests" in captured.out and "LIST_ID" in captured.out
    assert KEY not in captured.out + captured.err
    coll = Collection.load(out)
    assert not coll.errors and [str(i.rel) for i in coll.items] == ["members.request.json"]
    for path in out.rglob("*.json"):
        text = path.read_text(encoding="utf-8")
        assert KEY not in text and "anystring" not in text and "Bearer" not in text


def test_bad_files_are_named_and_the_good_ones_still_imported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _posting(
        tmp_path / "posting",
        {
            "a.posting.yaml": PING,
            "b.posting.yaml": "name: broken\nurl: /ping\nheaders:\n  - name: X\n   value: y\n",
            "c.posting.yaml": "name: no url\nmethod: GET\n",
            "d.posting.yaml": "name: bad method\nmethod: FETCH\nurl: /ping\n",
            "e.posting.yaml": "- just\n- a list\n",
            "f.posting.yaml": "name: bad headers\nurl: /ping\nheaders: nope\n",
            "z.posting.yaml": PING,
        },
    )
    out = tmp_path / "ours"
    assert main(["collection", "import-posting", str(source), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"error: {source / 'b.posting.yaml'}, line 5: not valid YAML" in err
    assert f"{source / 'c.posting.yaml'}: url must be a non-empty string" in err
    assert f"{source / 'd.posting.yaml'}: method must be one of" in err
    assert f"{source / 'e.posting.yaml'}: expected a YAML mapping" in err
    assert f"{source / 'f.posting.yaml'}: headers must be a list" in err
    assert sorted(p.name for p in out.glob("*.request.json")) == [
        "a.request.json",
        "z.request.json",
    ]


def test_importing_again_writes_nothing_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _posting(tmp_path / "posting", {"a.posting.yaml": PING, "b.posting.yaml": PING})
    out = tmp_path / "ours"
    assert main(["collection", "import-posting", str(source), "-o", str(out)]) == 0
    (out / "a.request.json").write_text("{}\n", encoding="utf-8")  # edited since
    (out / "b.request.json").unlink()
    assert main(["collection", "import-posting", str(source), "-o", str(out)]) == 2
    assert "nothing was written" in capsys.readouterr().err
    assert (out / "a.request.json").read_text(encoding="utf-8") == "{}\n"
    assert not (out / "b.request.json").exists()
    assert main(["collection", "import-posting", str(source), "-o", str(out), "--force"]) == 0
    assert json.loads((out / "a.request.json").read_text(encoding="utf-8"))["path"] == "/ping"


def test_requests_it_cannot_carry_over_are_skipped_with_a_reason(tmp_path: Path) -> None:
    source = _posting(
        tmp_path / "posting",
        {
            "form.posting.yaml": "url: /x\nmethod: POST\nbody:\n  form_data:\n  - name: a\n"
            "    value: b\n",
            "text.posting.yaml": "url: /x\nmethod: POST\nbody:\n  content: hello\n",
            "bare.posting.yaml": "url: /x\nmethod: POST\nbody:\n  content: '{\"n\": $COUNT}'\n",
            "mixed.posting.yaml": "url: /lists/list-$ID/members\n",
            "key.posting.yaml": f"url: /ping\nheaders:\n- name: X-Note\n  value: {KEY}\n",
        },
    )
    imported = import_posting(source)
    assert not imported.requests and not imported.errors
    notes = "\n".join(imported.notes)
    assert "form.posting.yaml: skipped, a form body" in notes
    assert "text.posting.yaml: skipped, its body is not JSON" in notes
    assert "bare.posting.yaml: skipped, its body is not JSON" in notes
    assert "mixed.posting.yaml: skipped, a variable or :param inside the path segment" in notes
    assert "key.posting.yaml: skipped, Refusing to save a credential" in notes
    assert KEY not in notes


@given(st.text(st.characters(blacklist_characters="$", blacklist_categories=("Cs",))))
def test_text_without_a_dollar_is_unchanged(text: str) -> None:
    assert posting_to_ours(text) == text


@pytest.mark.parametrize(
    ("posting", "ours"),
    [
        ("$A ${B_2} $$C $$$D $5 $", "{{A}} {{B_2}} $C ${{D}} $5 $"),
        ("${BAD-NAME}", "${BAD-NAME}"),
    ],
)
def test_variable_spellings(posting: str, ours: str) -> None:
    assert posting_to_ours(posting) == ours
