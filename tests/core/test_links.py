"""`_links` parsing survives anything JSON and keeps requests on our own base URL."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from mcexplorer.core.http.links import METHODS, Link, links_of, parse_links, split_href

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=20,
)

link_like = st.fixed_dictionaries(
    {},
    optional={
        "rel": json_values,
        "href": st.one_of(st.text(), json_values),
        "method": st.one_of(st.sampled_from(sorted(METHODS)), st.text(), json_values),
        "targetSchema": json_values,
        "schema": json_values,
    },
)


@given(json_values)
def test_parse_links_never_raises_on_any_json(value: Any) -> None:
    assert all(isinstance(link, Link) for link in parse_links(value))


@given(st.lists(st.one_of(link_like, json_values)))
def test_every_parsed_link_is_usable(value: list[Any]) -> None:
    for link in parse_links(value):
        assert link.href.strip() == link.href and link.href
        assert link.method in METHODS
        assert link.rel


@given(st.lists(link_like))
def test_well_formed_entries_are_all_kept_in_order(items: list[dict[str, Any]]) -> None:
    good = [
        i
        for i in items
        if isinstance(i.get("href"), str)
        and i["href"].strip()
        and (
            "method" not in i
            or (isinstance(i["method"], str) and i["method"].strip().upper() in METHODS)
            or not (isinstance(i["method"], str) and i["method"].strip())
        )
    ]
    assert [link.href for link in parse_links(items)] == [i["href"].strip() for i in good]


def test_real_collection_links() -> None:
    body = {
        "lists": [],
        "_links": [
            {
                "rel": "self",
                "href": "https://us4.api.mailchimp.com/3.0/lists",
                "method": "GET",
                "targetSchema": "https://us4.api.mailchimp.com/schema/3.0/Lists.json",
            },
            {"rel": "create", "href": "https://us4.api.mailchimp.com/3.0/lists", "method": "post"},
            {"rel": "broken"},
            "not a link",
        ],
    }
    links = links_of(body)
    assert [(lk.rel, lk.method) for lk in links] == [("self", "GET"), ("create", "POST")]
    assert links[0].target_schema is not None and links[1].schema is None
    assert links_of([1, 2]) == [] and links_of({"_links": "x"}) == []


def test_split_href_keeps_only_the_path_below_the_base() -> None:
    assert split_href("https://us4.api.mailchimp.com/3.0/lists") == ("/lists", {})
    assert split_href("http://127.0.0.1:8123/3.0/") == ("/", {})
    assert split_href("https://evil.example/3.0/lists/a1?count=5&offset=") == (
        "/lists/a1",
        {"count": "5", "offset": ""},
    )
    assert split_href("/v1/domains", base_path="/v1") == ("/domains", {})
    assert split_href("lists/x") == ("/lists/x", {})


@given(st.text())
def test_split_href_always_gives_an_absolute_path(href: str) -> None:
    path, query = split_href(href)
    assert path.startswith("/")
    assert isinstance(query, dict)
