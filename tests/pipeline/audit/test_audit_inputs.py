"""Reading the job description to audit: files (text, Markdown, HTML), standard input text, and URLs served by a
local HTTP server (a JobPosting page, plain text, a 500, a timeout, robots.txt). Every failure is one message
naming what was wrong."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from http_server import LocalHttpServer, Reply

from pipeline.audit.inputs import AuditInputError, is_url, read_file, read_text, read_url
from pipeline.http import HttpClient, HttpConfig

FAST = HttpConfig(
    connect_timeout=1.0, read_timeout=0.5, max_attempts=1, backoff_base=0.01, requests_per_second_per_host=0
)
HTML = "text/html; charset=utf-8"
JOB_PAGE = """<!DOCTYPE html><html><head><title>Careers</title>
<script type="application/ld+json">{json}</script></head>
<body><nav>Home</nav><h1>Careers at Brightfern</h1></body></html>"""
JOB_POSTING = {
    "@context": "https://schema.org",
    "@type": "JobPosting",
    "title": "Senior AI Engineer",
    "description": "<h3>Requirements</h3><ul><li>5+ years of Python</li><li>RAG &amp; embeddings</li></ul>",
    "hiringOrganization": {"@type": "Organization", "name": "Brightfern"},
    "jobLocation": {"@type": "Place", "address": {"addressLocality": "Leeds", "addressCountry": "GB"}},
    "baseSalary": {
        "@type": "MonetaryAmount",
        "currency": "GBP",
        "value": {"@type": "QuantitativeValue", "minValue": 70000, "maxValue": 85000, "unitText": "YEAR"},
    },
}


@pytest.fixture
def server() -> Iterator[LocalHttpServer]:
    with LocalHttpServer() as srv:
        yield srv


@pytest.fixture
def client() -> Iterator[HttpClient]:
    with HttpClient(FAST) as http:
        yield http


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_a_text_file_first_line_is_the_title(tmp_path: Path) -> None:
    read = read_file(write(tmp_path, "jd.txt", "\n\nSr. AI Engineer\nRequirements\n- Python\n"))
    assert (read.posting.title, read.posting.description, read.source) == (
        "Senior AI Engineer",
        "Requirements\n- Python",
        str(tmp_path / "jd.txt"),
    )


def test_a_markdown_heading_is_the_title_and_title_option_keeps_the_whole_text(tmp_path: Path) -> None:
    path = write(tmp_path, "jd.md", "# **Staff ML Engineer**\n\n## Requirements\n- PyTorch")
    assert read_file(path).posting.title == "Staff ML Engineer"
    given = read_file(path, title="Principal ML Engineer")
    assert given.posting.title == "Principal ML Engineer"
    assert given.posting.description.startswith("# **Staff ML Engineer**")


def test_an_html_file_with_jobposting_data(tmp_path: Path) -> None:
    path = write(tmp_path, "jd.html", JOB_PAGE.replace("{json}", json.dumps(JOB_POSTING)))
    posting = read_file(path).posting
    assert (posting.title, posting.company, posting.location) == ("Senior AI Engineer", "Brightfern", "Leeds, GB")
    assert (posting.salary_min, posting.salary_max, posting.salary_currency) == (70000.0, 85000.0, "GBP")
    assert posting.description.split("\n") == ["Requirements", "- 5+ years of Python", "- RAG & embeddings"]
    assert read_file(path, title="AI Engineer II").posting.title == "AI Engineer II"


def test_an_html_page_without_jobposting_data_is_read_as_text(tmp_path: Path) -> None:
    body = "<p>" + "We build retrieval systems with Python and embeddings for legal teams. " * 4 + "</p>"
    page = f"<html><head><title>ML Engineer | Fernwood</title></head><body><main>{body}</main></body></html>"
    posting = read_file(write(tmp_path, "page.htm", page)).posting
    assert posting.title == "ML Engineer | Fernwood"
    assert "retrieval systems" in posting.description


def test_html_pasted_into_standard_input_is_recognised() -> None:
    html = (
        "<html><body><h1>Data Scientist</h1><main><p>"
        + "Statistics and SQL for pricing. " * 10
        + "</p></main></body></html>"
    )
    assert read_text(html, source="standard input").posting.title == "Data Scientist"


def test_several_postings_on_a_page_audit_the_first_with_a_note(tmp_path: Path) -> None:
    second = {**JOB_POSTING, "title": "Data Engineer", "identifier": "2"}
    page = JOB_PAGE.replace("{json}", json.dumps([{**JOB_POSTING, "identifier": "1"}, second]))
    read = read_file(write(tmp_path, "jobs.html", page))
    assert read.posting.title == "Senior AI Engineer"
    assert read.notes == ("the page holds 2 job postings; audited the first ('Senior AI Engineer')",)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", "", "{path} is empty"),
        ("blank.md", "  \n\n\t\n", "{path} is empty"),
        (
            "title.txt",
            "AI Engineer\n\n",
            "{path}: only a title line ('AI Engineer'), no description below it (the first line of a text input is "
            "its title; pass --title to use the whole text as the description)",
        ),
        ("jd.pdf", b"%PDF-1.7 ...", "{path} is a PDF: save the job description as text, Markdown or HTML"),
        (
            "jd.docx",
            b"PK\x03\x04\x00\x00",
            "{path} is not a text file (a Word document?): save it as text, Markdown or HTML",
        ),
        ("blank.html", "<html><body></body></html>", "{path}: no JobPosting data and too little text"),
    ],
)
def test_bad_files_give_one_clear_message(tmp_path: Path, name: str, content: str | bytes, message: str) -> None:
    path = write(tmp_path, name, content)
    with pytest.raises(AuditInputError) as caught:
        read_file(path)
    assert str(caught.value) == message.format(path=path)


def test_missing_unreadable_and_directory_inputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(AuditInputError, match=r"missing\.txt: no such file$"):
        read_file(tmp_path / "missing.txt")
    with pytest.raises(AuditInputError, match=r" is a directory, not a file$"):
        read_file(tmp_path)
    path = write(tmp_path, "locked.txt", "AI Engineer\nPython")

    def refuse(self: Path) -> bytes:  # root reads any file: a permission error is simulated
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(AuditInputError) as caught:
        read_file(path)
    assert str(caught.value) == f"cannot read {path}: Permission denied"


def test_a_job_page_at_a_url(server: LocalHttpServer, client: HttpClient) -> None:
    server.route("/robots.txt", Reply(body="User-agent: *\nAllow: /\n"))
    server.route("/jobs/1", Reply(body=JOB_PAGE.replace("{json}", json.dumps(JOB_POSTING)), content_type=HTML))
    read = read_url(server.url("/jobs/1"), client=client)
    assert read.posting.title == "Senior AI Engineer"
    assert read.posting.url == server.url("/jobs/1")
    assert read.source == server.url("/jobs/1")
    assert len(server.requests_for("/jobs/1")) == 1


def test_plain_text_at_a_url(server: LocalHttpServer, client: HttpClient) -> None:
    server.route("/jd.txt", Reply(body="AI Engineer II\nRequirements\n- Python"))
    assert read_url(server.url("/jd.txt"), client=client).posting.title == "AI Engineer II"


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (Reply(500, "oops"), "HTTP 500 after 1 attempt"),
        (Reply(404, "gone"), "HTTP 404"),
        (Reply(body="late", delay=3.0), "timed out after 1 attempt"),
        (Reply(body={"jobs": []}), None),
    ],
    ids=["500", "404", "timeout", "json"],
)
def test_a_url_that_does_not_answer_well(
    server: LocalHttpServer, client: HttpClient, reply: Reply, reason: str | None
) -> None:
    server.route("/job", reply)
    url = server.url("/job")
    with pytest.raises(AuditInputError) as caught:
        read_url(url, client=client)
    expected = (
        f"cannot fetch {url}: {reason}" if reason else f"{url} answered with application/json, not a web page or text"
    )
    assert str(caught.value) == expected


def test_robots_txt_is_obeyed(server: LocalHttpServer, client: HttpClient) -> None:
    server.route("/robots.txt", Reply(body="User-agent: *\nDisallow: /private/\n"))
    server.route("/private/job", Reply(body="AI Engineer\nPython", content_type=HTML))
    with pytest.raises(AuditInputError, match=r"^cannot fetch .*/private/job: .*robots\.txt"):
        read_url(server.url("/private/job"), client=client)
    assert server.requests_for("/private/job") == []


def test_a_host_that_does_not_answer(client: HttpClient) -> None:
    from pg_server import free_port

    url = f"http://127.0.0.1:{free_port()}/job"
    with pytest.raises(AuditInputError, match=r"^cannot fetch http://127\.0\.0\.1:\d+/job: "):
        read_url(url, client=client)


def test_is_url() -> None:
    assert is_url("http://x.example/jd") and is_url("HTTPS://x.example")
    assert not is_url("jd.html") and not is_url("-") and not is_url("ftp://x.example/jd")
