import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from pipeline.domain import Posting, RawRecord, Reject
from pipeline.sources.hn_whoishiring import (
    comment_text,
    hn_comment_url,
    hn_item_url,
    hn_search_url,
    is_search_record,
    parse_hn_thread,
    parse_hn_thread_search,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "sources" / "hn_whoishiring"
SAMPLE = (
    Path(__file__).resolve().parents[3].parent
    / "shared/corpus/api_samples/hn_whoishiring/hn-jobs-data_runs_2026-04-28_raw.json"
)
SOURCE = "hn:whoishiring"


def record(payload: str, locator: str = "thread.json") -> RawRecord:
    return RawRecord(source_id=SOURCE, locator=locator, payload=payload)


def fixture(name: str) -> RawRecord:
    return record((FIXTURES / name).read_text(encoding="utf-8"), locator=name)


def by_id() -> dict[str, Posting | Reject]:
    results = parse_hn_thread(fixture("thread.json"))
    return {r.id if isinstance(r, Posting) else r.locator: r for r in results}


def posting(posting_id: str) -> Posting:
    result = by_id()[f"{SOURCE}:{posting_id}"]
    assert isinstance(result, Posting)
    return result


def summary(p: Posting) -> tuple[object, ...]:
    return (p.title, p.company, p.location, p.remote, p.salary_text, p.employment_type, p.posted_on)


def test_urls() -> None:
    assert hn_search_url() == (
        "https://hn.algolia.com/api/v1/search_by_date?tags=story,author_whoishiring&query=who%20is%20hiring"
    )
    assert hn_item_url(47900001) == "https://hn.algolia.com/api/v1/items/47900001"
    assert hn_comment_url("47900101") == "https://news.ycombinator.com/item?id=47900101"


def test_search_picks_the_newest_who_is_hiring_story() -> None:
    search = fixture("search.json")
    assert parse_hn_thread_search(search) == 47900001  # newer "Who wants to be hired?" and freelancer posts ignored
    hits = json.loads(search.payload)["hits"]
    assert parse_hn_thread_search(record(json.dumps({"hits": hits[::-1]}))) == 47900001  # order does not matter
    assert parse_hn_thread_search(record(json.dumps({"hits": hits[:2]}))) is None
    assert parse_hn_thread_search(record("<html>rate limited</html>")) is None
    assert is_search_record(search) and not is_search_record(fixture("thread.json"))


def test_only_job_comments_become_postings_or_rejects() -> None:
    assert list(by_id()) == [
        f"{SOURCE}:47900101",
        f"{SOURCE}:47900103-1",
        f"{SOURCE}:47900103-2",
        f"{SOURCE}:47900104-1",
        f"{SOURCE}:47900104-2",
        "thread.json (comment 47900109)",
        f"{SOURCE}:47900110",
        f"{SOURCE}:47900111",
    ]  # skipped: a reply, a deleted and a [flagged] comment, a meta question, a SEEKING WORK post


def test_single_role_header_with_salary_segment() -> None:
    p = posting("47900101")
    assert p.model_dump(exclude={"raw_hash", "source_id", "description"}) == {
        "id": f"{SOURCE}:47900101",
        "title": "Senior ML Engineer",
        "company": "Lumen Assay",
        "location": "Boston, MA; ONSITE",
        "remote": "onsite",
        "salary_min": 170000.0,
        "salary_max": 210000.0,
        "salary_currency": "USD",
        "salary_period": "year",
        "salary_text": "$170k-$210k",
        "salary_annual_min": 170000.0,
        "salary_annual_max": 210000.0,
        "employment_type": None,
        "posted_on": date(2026, 3, 2),
        "url": "https://news.ycombinator.com/item?id=47900101",
        "canonical_url": "https://news.ycombinator.com/item?id=47900101",
    }
    assert p.description == (
        "Lumen Assay | Senior ML Engineer | Boston, MA | ONSITE | $170k-$210k | https://lumenassay.example/jobs\n\n"
        "We read protein folding assays with transformers.\n\n"
        "You'll own training & evaluation, end to end."
    )


def test_several_roles_in_one_segment_with_salary_from_the_text() -> None:
    first, second = posting("47900103-1"), posting("47900103-2")
    expected = ("Corvid Robotics", "REMOTE (EU)", "remote", "€90k–€110k", "full_time", date(2026, 3, 2))
    assert summary(first) == ("Senior ML Engineer", *expected)
    assert summary(second) == ("Data Engineer", *expected)
    assert (first.salary_min, first.salary_max, first.salary_currency) == (90000.0, 110000.0, "EUR")
    assert first.description == second.description
    assert first.description.split("\n\n")[1] == "Pay: €90k–€110k depending on level."


def test_roles_listed_on_separate_lines() -> None:
    staff, scientist = posting("47900104-1"), posting("47900104-2")
    assert summary(staff) == (
        "Staff AI Engineer",
        "Nimbus Works",
        "Berlin, Germany; Hybrid",
        "hybrid",
        None,
        None,
        date(2026, 3, 2),
    )
    assert summary(scientist)[:2] == ("Data Scientist (contract)", "Nimbus Works")
    assert scientist.employment_type == "contract"  # the role line's own word wins
    assert staff.description.split("\n")[:5] == [
        "Nimbus Works | Berlin, Germany | Hybrid | https://nimbus.example",
        "",
        "We're hiring:",
        "",
        "- Staff AI Engineer",
    ]


def test_unicode_company_and_pound_salary_segment() -> None:
    p = posting("47900110")
    assert summary(p) == (
        "Ingénieur·e Données (Data Engineer)",
        "Société Bleu",
        "Paris, France",
        None,
        "£55k – £65k",
        None,
        date(2026, 3, 3),
    )
    assert (p.salary_min, p.salary_max, p.salary_currency, p.salary_period) == (55000.0, 65000.0, "GBP", "year")


def test_role_first_header_takes_the_company_from_a_later_segment() -> None:
    assert summary(posting("47900111")) == (
        "Data Analyst",
        "Meadowlark Health",
        "Remote (US)",
        "remote",
        None,
        "part_time",
        date(2026, 3, 3),
    )


def test_job_post_without_a_role_is_rejected() -> None:
    reject = by_id()["thread.json (comment 47900109)"]
    assert isinstance(reject, Reject)
    assert reject.reason == "header line names no role: 'Tessellate | Remote | Full-time | tessellate.example'"


def test_comment_text_keeps_paragraphs_and_decodes_entities() -> None:
    html = 'A | B<p>x &#x2F; y &amp; z<p><a href="https:&#x2F;&#x2F;e.example">e.example</a>'
    assert comment_text(html) == "A | B\n\nx / y & z\n\ne.example"


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (
            "<html><body>Sorry, we're not able to serve your requests this quickly.</body></html>",
            "invalid JSON: Expecting value (line 1 column 1) (the payload looks like HTML)",
        ),
        ('{"hits": []}', "expected an item object with a 'children' list, got keys ['hits']"),
        ("[1, 2]", "expected an item object with a 'children' list, got list"),
        (
            '{"id": 1, "title": "Ask HN: Who wants to be hired? (March 2026)", "children": []}',
            "not a 'Who is hiring?' thread: 'Ask HN: Who wants to be hired? (March 2026)'",
        ),
    ],
)
def test_wrong_shape_payload_is_one_reject(payload: str, reason: str) -> None:
    results = parse_hn_thread(record(payload))
    assert [(type(r).__name__, getattr(r, "reason", None)) for r in results] == [("Reject", reason)]


@pytest.mark.shared
def test_real_thread_comments_are_parsed_rejected_or_skipped() -> None:
    """The shared dump keeps the thread's top-level comments as {id, by, time, text}; rebuilt here as the Algolia
    item tree parse_hn_thread reads."""
    if not SAMPLE.is_file():
        pytest.skip("../shared HN sample is absent")
    dump = json.loads(SAMPLE.read_text(encoding="utf-8"))
    thread_id = dump["sources"]["who_is_hiring_thread_id"]
    comments = [
        {"id": j["id"], "author": j["by"], "text": j["text"], "created_at_i": j["time"], "parent_id": thread_id}
        for j in dump["jobs"]
        if j["source"] == "who_is_hiring"
    ]
    tree = {"id": thread_id, "title": dump["sources"]["who_is_hiring_thread_title"], "children": comments}
    results = parse_hn_thread(record(json.dumps(tree), locator=SAMPLE.name))

    postings = [r for r in results if isinstance(r, Posting)]
    rejects = [r for r in results if isinstance(r, Reject)]
    per_comment = Counter(p.id.removeprefix(f"{SOURCE}:").split("-")[0] for p in postings)
    rejected = {r.locator.removeprefix(f"{SAMPLE.name} (comment ").rstrip(")") for r in rejects}
    skipped = [c for c in comments if str(c["id"]) not in per_comment and str(c["id"]) not in rejected]
    assert len(comments) == 345
    assert (len(per_comment), len(rejected), len(skipped)) == (288, 21, 36)
    assert len(postings) == 491 and sum(1 for n in per_comment.values() if n > 1) == 87
    assert len({p.id for p in postings}) == len(postings)
    assert all(r.reason.startswith("header line names no role: ") for r in rejects)
    assert all("|" not in comment_text(c["text"]).split("\n")[0] for c in skipped)  # meta comments, no header
    assert all(p.title and p.description and p.url and p.posted_on for p in postings)
    assert Counter(p.remote for p in postings)["remote"] > 150
