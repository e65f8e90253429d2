"""Properties of the normalization helpers over generated input (hypothesis)."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.normalize import (
    ANNUAL_BOUNDS,
    APPROX_USD_RATES,
    PERIODS_PER_YEAR,
    canonical_url,
    clean_title,
    html_to_text,
    parse_salary,
)

FAST = settings(max_examples=200, deadline=None)

# ---------------------------------------------------------------- salary

_SALARY_WORDS = st.sampled_from(
    ["$", "€", "£", "US$", "C$", "A$", "NZ$", "R$", "₹", "¥", "USD", "EUR", "INR", "LPA", "lakh", "k", "K", "M",
     "m", "-", "–", "to", "and", "between", "per hour", "/hr", "/h", "a year", "p.a.", "monthly", "/mo", "per day",
     "weekly", " ", ",", ".", "+", "%", "years", "401(k)", "equity", "bonus", "Series B", "Up to", "from"]
)  # fmt: skip
_SALARY_NUMBERS = st.one_of(
    st.integers(min_value=0, max_value=10**9).map(str),
    st.integers(min_value=0, max_value=10**6).map(lambda n: f"{n:,}"),
    st.integers(min_value=0, max_value=10**6).map(lambda n: f"{n:,}".replace(",", ".")),
    st.decimals(min_value=0, max_value=1000, places=2).map(str),
)
_SALARYISH = st.lists(st.one_of(_SALARY_WORDS, _SALARY_NUMBERS), max_size=10).map("".join)


def _check_salary(text: str) -> None:
    salary = parse_salary(text)
    if salary is None:
        return
    assert 0 < salary.minimum <= salary.maximum
    assert salary.period in {"hour", "day", "week", "month", "year"}
    annual = salary.annualized()
    if annual is not None:
        low, high = annual
        rate = APPROX_USD_RATES.get(salary.currency or "USD", 1.0)
        assert low <= high
        assert ANNUAL_BOUNDS[0] * (1 - 1e-9) <= low * rate
        assert high * rate <= ANNUAL_BOUNDS[1] * (1 + 1e-9)
        assert low == round(salary.minimum * PERIODS_PER_YEAR[salary.period], 2)


@FAST
@given(st.text(max_size=80))
def test_parse_salary_never_raises_on_text(text: str) -> None:
    _check_salary(text)


@FAST
@given(_SALARYISH)
def test_parse_salary_invariants_on_salary_like_text(text: str) -> None:
    _check_salary(text)


# ---------------------------------------------------------------- html

_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)
_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)
_TAGS = ["p", "div", "span", "b", "strong", "em", "h2", "h3", "section", "td", "tr", "table", "pre", "a"]


def _html() -> st.SearchStrategy[str]:
    leaf = st.one_of(
        _TEXT.map(lambda s: s.replace("<", " ").replace("&", " ")),
        st.sampled_from(["<br>", "<br/>", "&amp;", "&nbsp;", "&lt;", "\n\n", "   ", "<hr>", "<!-- c -->"]),
        _TEXT.map(lambda s: f"<script>{s}</script>"),
        _TEXT.map(lambda s: f"<style>{s}</style>"),
    )

    def extend(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        wrapped = st.tuples(st.sampled_from(_TAGS), st.lists(children, max_size=4)).map(
            lambda t: f"<{t[0]}>{''.join(t[1])}</{t[0]}>"
        )
        listed = st.tuples(st.sampled_from(["ul", "ol"]), st.lists(children, max_size=3)).map(
            lambda t: f"<{t[0]}>" + "".join(f"<li>{c}</li>" for c in t[1]) + f"</{t[0]}>"
        )
        return st.one_of(wrapped, listed, st.lists(children, max_size=4).map("".join))

    return st.recursive(leaf, extend, max_leaves=20)


def _check_text(out: str) -> None:
    assert "<script" not in out.lower()
    assert "\n\n" not in out
    if out:
        assert all(line and line == line.strip() for line in out.split("\n"))


@FAST
@given(st.text(max_size=200))
def test_html_to_text_never_raises_on_text(text: str) -> None:
    out = html_to_text(text)
    assert "\n\n" not in out
    if out:
        assert all(line and line == line.strip() for line in out.split("\n"))


@FAST
@given(_html())
def test_html_to_text_shape_on_generated_html(html: str) -> None:
    _check_text(html_to_text(html))


@FAST
@given(st.lists(st.lists(_WORD, min_size=1, max_size=3).map(" ".join), min_size=1, max_size=5), _html())
def test_html_to_text_list_items_become_bullets(items: list[str], before: str) -> None:
    html = before + "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"
    lines = html_to_text(html).split("\n")
    assert lines[-len(items) :] == [f"- {item}" for item in items]


@FAST
@given(st.text(alphabet="<>/!&;abcdeilpstu =\"'\n", max_size=60))
def test_html_to_text_never_raises_on_malformed_markup(text: str) -> None:
    out = html_to_text(text)
    assert "\n\n" not in out


# ---------------------------------------------------------------- titles

_TITLE_PARTS = st.sampled_from(
    ["Sr.", "Sr", "Jr.", "Mgr", "Eng.", "Senior", "ML", "AI", "Engineer", "ENGINEER", "DATA", "Scientist", "-", "–",
     "|", ",", "(", ")", "[", "]", "Remote", "REMOTE", "Hybrid", "US", "London, UK", "San Francisco, CA", "R-12345",
     "#12345", "Req ID: 1234", "JR102345", "Agents", "Search", "(m/w/d)", "II", "IOS", "MLOPS", "of", "  ", "\t"]
)  # fmt: skip
_TITLES = st.one_of(st.text(max_size=60), st.lists(_TITLE_PARTS, max_size=10).map(" ".join))


@FAST
@given(_TITLES)
def test_clean_title_idempotent_and_never_empty(title: str) -> None:
    cleaned = clean_title(title)
    assert clean_title(cleaned) == cleaned
    assert cleaned == " ".join(cleaned.split())
    if any(char.isalpha() for char in title):
        assert any(char.isalpha() for char in cleaned)


# ---------------------------------------------------------------- URLs

_URL_WORD = st.text(alphabet="abcXYZ019-_.~%+", min_size=0, max_size=6)
_URLS = st.builds(
    lambda scheme, host, port, path, query, fragment: f"{scheme}://{host}{port}{path}{query}{fragment}",
    st.sampled_from(["http", "https", "HTTPS", "HtTp"]),
    st.sampled_from(["example.com", "Jobs.Example.COM", "boards.greenhouse.io", "x.co"]),
    st.sampled_from(["", ":80", ":443", ":8080"]),
    st.lists(_URL_WORD, max_size=4).map(lambda parts: "/" + "/".join(parts) if parts else ""),
    st.lists(
        st.tuples(st.sampled_from(["utm_source", "gh_jid", "gh_src", "ref", "id", "b", "lever-source"]), _URL_WORD),
        max_size=4,
    ).map(lambda pairs: ("?" + "&".join(f"{k}={v}" for k, v in pairs)) if pairs else ""),
    st.sampled_from(["", "#apply", "#"]),
)


@FAST
@given(st.one_of(_URLS, st.text(max_size=40)))
def test_canonical_url_idempotent(url: str) -> None:
    once = canonical_url(url)
    assert canonical_url(once) == once
    if once and re.match(r"https?://", once):
        assert "utm_" not in once and "#" not in once
