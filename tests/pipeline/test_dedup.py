"""find_duplicates on tiny inline postings: each tier, chaining, the canonical choice, the title gate."""

from __future__ import annotations

import random
from datetime import date

import pytest

from pipeline.dedup import (
    DEFAULT_THRESHOLD,
    DedupCandidate,
    DuplicateLink,
    find_duplicates,
    locations_compatible,
    normalize_company,
    normalize_location,
    normalize_title,
    shingle_hashes,
    title_tokens,
    titles_compatible,
)

INTRO = (
    "Acme Robotics builds autonomous warehouse robots used by more than two hundred retailers across Europe and "
    "North America. Our team of engineers, scientists and operators ships software that moves millions of parcels "
    "every day, and we care about craft, ownership and kindness. Founded in 2017 by two former logistics "
    "managers, we are profitable, backed by long term investors, and growing our engineering group from forty to "
    "sixty people this year across robotics, cloud platform, data and product."
)
BENEFITS = (
    "We offer a competitive salary with meaningful equity, twenty eight days of paid holiday, private health "
    "insurance for you and your family, a yearly learning budget, a modern laptop of your choice and a hybrid "
    "setup with two office days a week in our Berlin office near the central station. Acme is an equal "
    "opportunity employer and we welcome applicants of every background, gender identity and age. Please send "
    "your CV and a short note about something you built; we answer every application within two weeks."
)
ML_ROLE = (
    "As a machine learning engineer you will train and deploy the perception models that let our robots see "
    "shelves, parcels and people, own the evaluation pipeline, and work with the hardware team on inference "
    "latency. You know PyTorch well and have shipped models to production."
)
DATA_ROLE = (
    "As a data engineer you will design the event pipelines that collect telemetry from every robot, model the "
    "warehouse data in our lakehouse, and keep the dashboards our customers rely on fresh and correct. You know "
    "SQL, Spark and Airflow well and care about data quality."
)
ML_POSTING = f"{INTRO}\n\n{ML_ROLE}\n\n{BENEFITS}"


def cand(
    id: str,
    *,
    url: str | None = None,
    company: str | None = "Acme",
    title: str = "Machine Learning Engineer",
    location: str | None = "Berlin",
    description: str = "",
    first_seen: date | None = None,
) -> DedupCandidate:
    return DedupCandidate(
        id=id,
        source_id=id.split(":")[0],
        canonical_url=url,
        company=company,
        title=title,
        location=location,
        description=description,
        first_seen=first_seen,
    )


def reposted(text: str) -> str:
    """The same posting a month later: a word changed, whitespace reflowed, a sentence added."""
    return text.replace("two hundred", "three hundred").replace(". ", ".  \n") + " We start interviews in May."


def jaccard(a: str, b: str) -> float:
    set_a, set_b = set(shingle_hashes(a)), set(shingle_hashes(b))
    return len(set_a & set_b) / len(set_a | set_b)


def test_empty_and_single_inputs_have_no_links() -> None:
    assert find_duplicates([]) == []
    assert find_duplicates([cand("a:1", url="https://x/1")]) == []


def test_same_canonical_url_links_by_url() -> None:
    links = find_duplicates(
        [
            cand("lever:acme:9", url="https://jobs.acme.com/1", company="Acme", title="ML Engineer"),
            cand("hn:5", url="https://jobs.acme.com/1", company=None, title="", location=None),
        ]
    )
    assert links == [DuplicateLink("lever:acme:9", "hn:5", "url", None)]


def test_same_company_title_location_key() -> None:
    links = find_duplicates(
        [
            cand("a:1", company="Acme, Inc.", title="Senior  ML Engineer", location="Remote (US)"),
            cand("b:2", company="ACME inc", title="senior ml engineer", location="US - remote"),
            cand("c:3", company="Acme GmbH", title="Senior ML Engineer", location="100% Remote, US"),
            cand("d:4", company="Acme", title="Senior ML Engineer", location="Berlin"),
        ]
    )
    assert links == [
        DuplicateLink("b:2", "a:1", "company_title_location", None),
        DuplicateLink("c:3", "a:1", "company_title_location", None),
    ]


def test_missing_company_never_matches_by_key_but_missing_locations_do() -> None:
    no_company = [cand("a:1", company=None), cand("b:2", company=None)]
    assert find_duplicates(no_company) == []
    no_location = [cand("a:1", location=None), cand("b:2", location=None), cand("c:3", location="Paris")]
    assert find_duplicates(no_location) == [DuplicateLink("b:2", "a:1", "company_title_location", None)]


def test_reposted_job_with_a_small_edit_is_a_near_duplicate() -> None:
    original = cand("greenhouse:acme:1", description=ML_POSTING, first_seen=date(2026, 1, 5))
    repost = cand(
        "hn:77", company=None, title="ML Engineer", location="Berlin, Germany", description=reposted(ML_POSTING)
    )
    assert jaccard(ML_POSTING, reposted(ML_POSTING)) < 1.0
    assert find_duplicates([repost, original]) == [
        DuplicateLink("hn:77", "greenhouse:acme:1", "near_duplicate", 0.9375)
    ]


def test_two_roles_sharing_the_company_template_are_not_merged() -> None:
    data_posting = f"{INTRO}\n\n{DATA_ROLE}\n\n{BENEFITS}"
    assert jaccard(ML_POSTING, data_posting) >= DEFAULT_THRESHOLD
    same_title = [cand("a:1", description=ML_POSTING), cand("a:2", company=None, description=data_posting)]
    assert [link.rule for link in find_duplicates(same_title)] == ["near_duplicate"]  # the text alone would merge
    roles = [
        cand("a:1", title="Machine Learning Engineer", description=ML_POSTING),
        cand("a:2", title="Data Engineer", description=data_posting),
    ]
    assert find_duplicates(roles) == []


def test_same_text_for_another_level_or_city_is_another_opening() -> None:
    levels = [
        cand("a:1", title="Machine Learning Engineer", description=ML_POSTING),
        cand("a:2", title="Senior Machine Learning Engineer", description=ML_POSTING),
    ]
    assert find_duplicates(levels) == []
    cities = [
        cand("a:1", location="Berlin, Germany", description=ML_POSTING),
        cand("a:2", location="Berlin", description=ML_POSTING),
        cand("a:3", location="Munich", description=ML_POSTING),
    ]
    assert find_duplicates(cities) == [DuplicateLink("a:2", "a:1", "near_duplicate", 1.0)]


def test_links_chain_through_tiers_to_one_canonical() -> None:
    a = cand("a:1", url="https://jobs.acme.com/1", company=None, first_seen=date(2026, 1, 1))
    b = cand("b:2", url="https://jobs.acme.com/1", description=ML_POSTING, first_seen=date(2026, 2, 1))
    c = cand("c:3", company="Other Co", description=reposted(ML_POSTING), first_seen=date(2026, 3, 1))
    assert find_duplicates([c, b, a]) == [
        DuplicateLink("b:2", "a:1", "url", None),
        DuplicateLink("c:3", "a:1", "near_duplicate", 0.9375),
    ]
    earliest_c = cand("c:3", company="Other Co", description=reposted(ML_POSTING), first_seen=date(2025, 12, 1))
    assert find_duplicates([a, b, earliest_c]) == [
        DuplicateLink("a:1", "c:3", "near_duplicate", None),  # joined c's group through b; no text of its own
        DuplicateLink("b:2", "c:3", "near_duplicate", 0.9375),
    ]


def test_canonical_is_earliest_first_seen_then_smallest_id() -> None:
    url = "https://jobs.acme.com/1"
    dated = [
        cand("a:1", url=url, first_seen=None),
        cand("b:2", url=url, first_seen=date(2026, 3, 1)),
        cand("c:3", url=url, first_seen=date(2026, 2, 1)),
    ]
    assert [(link.id, link.duplicate_of) for link in find_duplicates(dated)] == [("a:1", "c:3"), ("b:2", "c:3")]
    undated = [cand("b:2", url=url), cand("a:10", url=url), cand("a:9", url=url)]
    assert [(link.id, link.duplicate_of) for link in find_duplicates(undated)] == [("a:9", "a:10"), ("b:2", "a:10")]


def test_output_does_not_depend_on_input_order() -> None:
    candidates = [
        cand("a:1", url="https://jobs.acme.com/1", description=ML_POSTING),
        cand("b:2", url="https://jobs.acme.com/1"),
        cand("c:3", company=None, description=reposted(ML_POSTING)),
        cand("d:4", title="Data Engineer", description=f"{INTRO}\n\n{DATA_ROLE}\n\n{BENEFITS}"),
        cand("e:5", title="Data Engineer", location="Berlin"),
        cand("f:6", company="Globex", title="Data Engineer"),
    ]
    expected = find_duplicates(candidates)
    assert [(link.id, link.duplicate_of, link.rule) for link in expected] == [
        ("b:2", "a:1", "url"),
        ("c:3", "a:1", "near_duplicate"),
        ("e:5", "d:4", "company_title_location"),
    ]
    rng = random.Random(0)
    for _ in range(20):
        shuffled = candidates[:]
        rng.shuffle(shuffled)
        assert find_duplicates(shuffled) == expected


def test_empty_descriptions_and_none_fields_never_raise() -> None:
    odd = [
        cand("a:1", company=None, title="", location=None, description=""),
        cand("b:2", company=None, title="", location=None, description=""),
        cand("c:3", company="", title="   ", location="", description="   "),
        DedupCandidate("d:4", "d", None, None, None, None, None),  # type: ignore[arg-type]
        DedupCandidate("e:5", "e", None, None, None, None, None),  # type: ignore[arg-type]
        cand("f:6", company=None, title="", location=None, description="too short to compare " * 3),
        cand("g:7", company=None, title="", location=None, description="too short to compare " * 3),
    ]
    assert find_duplicates(odd) == []


def test_invalid_parameters_are_rejected() -> None:
    for kwargs in ({"threshold": 0.0}, {"threshold": 1.5}, {"num_perm": 1}, {"shingle_words": 0}):
        with pytest.raises(ValueError):
            find_duplicates([], **kwargs)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("  Acme, Inc. ", "acme"), ("Foo Co., Ltd.", "foo"), ("Initech LLC", "initech"), ("Co", "co"), (None, None)],
)
def test_normalize_company(raw: str | None, expected: str | None) -> None:
    assert normalize_company(raw) == expected


def test_normalize_title_and_location() -> None:
    assert normalize_title("  Senior  ML-Engineer ") == normalize_title("senior ml engineer")
    assert normalize_location("Fully Remote") == normalize_location("remote") == "remote"
    assert normalize_location("Remote (US)") == normalize_location("US Remote") == "remote us"
    assert normalize_location("Berlin, Germany") != normalize_location("Remote")
    assert normalize_location(None) == ""


@pytest.mark.parametrize(
    ("a", "b", "compatible"),
    [
        ("Sr. ML Engineer", "Senior Machine Learning Engineer", True),
        ("ML Engineer", "ML Engineer, Ads", True),
        ("Software Engineers & Platform Engineer", "Software Engineer and Platform Engineers", True),
        ("Data Engineer", "ML Engineer", False),
        ("Customer Service Representative - German", "Customer Service Representative - Italian", False),
        ("Data Scientist", "Senior Data Scientist", False),
        ("Senior Data Scientist", "Staff Data Scientist", False),
    ],
)
def test_title_gate(a: str, b: str, compatible: bool) -> None:
    assert titles_compatible(title_tokens(a), title_tokens(b)) is compatible


def test_location_gate() -> None:
    assert locations_compatible("Seattle, WA", "Kent, WA")
    assert locations_compatible("United States", "Dallas, TX")
    assert locations_compatible(None, "Berlin")
    assert not locations_compatible("Chicago, IL", "Bellevue, WA")
