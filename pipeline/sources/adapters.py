"""One adapter per kind of source: ``fetch`` does the I/O through the shared HTTP client (or the file system),
``parse`` hands each fetched record to that source's pure parser."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.domain import Posting, RawRecord, Reject
from pipeline.http import FetchError, HttpClient, HttpResponse
from pipeline.sources import ashby, greenhouse, hn_whoishiring, jsonld, lever, local_files, remoteok, smartrecruiters
from pipeline.sources.base import SourceAdapter, SourceFetchError
from pipeline.sources.jsonl_file import parse_posting_line
from pipeline.sources.registry import SourceEntry

LOCAL_SUFFIXES = (".jsonl", ".csv", ".html", ".htm", ".txt", ".md")


def record_from(source_id: str, response: HttpResponse) -> RawRecord:
    """A raw record keeping the response body and its fetch metadata."""
    return RawRecord(
        source_id=source_id,
        locator=response.url,
        payload=response.text(),
        url=response.url,
        http_status=response.status,
        content_type=response.content_type,
        fetched_at=response.fetched_at,
        etag=response.etag,
        last_modified=response.last_modified,
    )


@dataclass(frozen=True)
class EntrySource:
    """An adapter built from a registry entry: its id and kind are the entry's."""

    entry: SourceEntry

    @property
    def source_id(self) -> str:
        return self.entry.id

    @property
    def kind(self) -> str:
        return self.entry.kind


@dataclass(frozen=True)
class HttpSource(EntrySource, ABC):
    """Common part of the adapters that read over HTTP."""

    http: HttpClient | None

    @property
    def name(self) -> str:
        return self.entry.company or self.entry.board or self.entry.url or self.entry.id

    def get(self, url: str, *, html: bool = False, api_root: str | None = None) -> RawRecord:
        """Fetch ``url``; with ``api_root`` given and the entry's ``url`` set, the entry's URL replaces the API
        root (to read a mirror or a local test server)."""
        if api_root and self.entry.url and url.startswith(api_root):
            url = self.entry.url.rstrip("/") + url[len(api_root) :]
        if self.http is None:
            raise SourceFetchError(f"{self.source_id}: no HTTP client (reprocessing reads the archive only)")
        return record_from(self.source_id, self.http.get(url, html=html))

    @abstractmethod
    def fetch(self) -> Iterator[RawRecord]: ...

    @abstractmethod
    def parse(self, record: RawRecord) -> list[Posting | Reject]: ...


class GreenhouseSource(HttpSource):
    def fetch(self) -> Iterator[RawRecord]:
        yield self.get(greenhouse.greenhouse_url(str(self.entry.board)), api_root=greenhouse.API_ROOT)

    def parse(self, record: RawRecord) -> list[Posting | Reject]:
        return greenhouse.parse_greenhouse(record, company=self.entry.company)


MAX_PAGES = 200  # a server that never returns a short page must not keep a run busy forever


class LeverSource(HttpSource):
    page_size = 100

    def fetch(self) -> Iterator[RawRecord]:
        skip: int | None = 0
        for _ in range(MAX_PAGES):
            record = self.get(
                lever.lever_url(str(self.entry.board), skip or 0, self.page_size), api_root=lever.API_ROOT
            )
            yield record
            skip = lever.lever_next_skip(lever.lever_page_length(record), skip or 0, self.page_size)
            if skip is None:
                return
        raise FetchError(self.source_id, f"more than {MAX_PAGES} pages: stopped paging")

    def parse(self, record: RawRecord) -> list[Posting | Reject]:
        return lever.parse_lever(record, company=self.entry.company)


class AshbySource(HttpSource):
    def fetch(self) -> Iterator[RawRecord]:
        yield self.get(ashby.ashby_url(str(self.entry.board)), api_root=ashby.API_ROOT)

    def parse(self, record: RawRecord) -> list[Posting | Reject]:
        return ashby.parse_ashby(record, company=self.entry.company)


class SmartRecruitersSource(HttpSource):
    page_size = 100

    def fetch(self) -> Iterator[RawRecord]:
        company = str(self.entry.board)
        offset = 0
        for _ in range(MAX_PAGES):
            listing = self.get(
                smartrecruiters.smartrecruiters_list_url(company, offset, self.page_size),
                api_root=smartrecruiters.API_ROOT,
            )
            yield listing
            refs = smartrecruiters.parse_smartrecruiters_list(listing)
            if isinstance(refs, Reject):
                raise FetchError(listing.locator, refs.reason)
            for posting_id in refs:
                yield self.get(
                    smartrecruiters.smartrecruiters_detail_url(company, posting_id), api_root=smartrecruiters.API_ROOT
                )
            next_offset = smartrecruiters.smartrecruiters_next_offset(listing, offset, self.page_size)
            if next_offset is None:
                return
            offset = next_offset
        raise FetchError(self.source_id, f"more than {MAX_PAGES} pages: stopped paging")

    def parse(self, record: RawRecord) -> list[Posting | Reject]:
        if smartrecruiters.is_list_record(record):
            return []  # the listing is archived; its postings come from the detail calls
        return smartrecruiters.parse_smartrecruiters_detail(record, company=self.entry.company)


class RemoteOkSource(HttpSource):
    def fetch(self) -> Iterator[RawRecord]:
        yield self.get(self.entry.url or remoteok.REMOTEOK_URL)

    def parse(self, record: RawRecord) -> list[Posting | Reject]:
        return remoteok.parse_remoteok(record)


class HnWhoIsHiringSource(HttpSource):
    def fetch(self) -> Iterator[RawRecord]:
        search = self.get(hn_whoishiring.hn_search_url(), api_root=hn_whoishiring.ALGOLIA)
        yield search
        thread_id = hn_whoishiring.parse_hn_thread_search(search)
        if thread_id is None:
            raise FetchError(search.locator, "no 'Ask HN: Who is hiring?' thread by whoishiring found")
        yield self.get(hn_whoishiring.hn_item_url(thread_id), api_root=hn_whoishiring.ALGOLIA)

    def parse(self, record: RawRecord) -> list[Posting | Reject]:
        if hn_whoishiring.is_search_record(record):
            return []
        return hn_whoishiring.parse_hn_thread(record)


class CareerPageSource(HttpSource):
    def fetch(self) -> Iterator[RawRecord]:
        yield self.get(str(self.entry.url), html=True)

    def parse(self, record: RawRecord) -> list[Posting | Reject]:
        return jsonld.parse_jsonld(record)


@dataclass(frozen=True)
class LocalFilesSource(EntrySource):
    """A postings file or a folder of them: JSONL (one record per line), CSV, HTML, plain text or Markdown."""

    root: Path

    @property
    def name(self) -> str:
        return str(self.root)

    def _files(self) -> list[Path]:
        if self.root.is_file():
            return [self.root]
        if self.root.is_dir():
            return sorted(p for p in self.root.rglob("*") if p.is_file() and p.suffix.lower() in LOCAL_SUFFIXES)
        raise SourceFetchError(f"cannot read postings file {self.root}: no such file or directory")

    def fetch(self) -> Iterator[RawRecord]:
        for path in self._files():
            try:
                if path.suffix.lower() == ".jsonl":
                    yield from self._jsonl_lines(path)
                    continue
                text = path.read_bytes().decode("utf-8", errors="replace")
            except OSError as exc:
                raise SourceFetchError(f"cannot read postings file {path}: {exc.strerror}") from exc
            yield RawRecord(source_id=self.source_id, locator=str(path), payload=text)

    def _jsonl_lines(self, path: Path) -> Iterator[RawRecord]:
        """One record per non-blank line, read as the file is iterated (never the whole file in memory); lines and
        their numbers as ``str.splitlines`` of the whole text gives them."""
        number = 0
        with path.open(encoding="utf-8", errors="replace", newline="") as handle:
            for physical in handle:
                for line in physical.splitlines():
                    number += 1
                    if line.strip():
                        yield RawRecord(source_id=self.source_id, locator=f"{path}:{number}", payload=line)

    def parse(self, record: RawRecord) -> list[Posting | Reject]:
        if record.locator.rsplit(":", 1)[0].lower().endswith(".jsonl"):
            return [parse_posting_line(record)]
        return local_files.parse_local_file(record)


_HTTP_ADAPTERS: dict[str, type[HttpSource]] = {
    "greenhouse": GreenhouseSource,
    "lever": LeverSource,
    "ashby": AshbySource,
    "smartrecruiters": SmartRecruitersSource,
    "remoteok": RemoteOkSource,
    "hn_whoishiring": HnWhoIsHiringSource,
    "career_page": CareerPageSource,
}


def build_adapter(entry: SourceEntry, *, data_dir: Path, http: HttpClient | None) -> SourceAdapter:
    """The adapter for a registry entry; file paths are relative to ``data_dir`` unless absolute."""
    if entry.kind in ("jsonl_file", "local_files"):
        path = Path(str(entry.path))
        return LocalFilesSource(entry, path if path.is_absolute() else data_dir / path)
    return _HTTP_ADAPTERS[entry.kind](entry, http)
