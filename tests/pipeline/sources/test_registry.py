from pathlib import Path

import pytest

from pipeline.sources.registry import RegistryError, SourceEntry, add_entry, load_registry, select

REPO = Path(__file__).resolve().parents[3]

REGISTRY = """# what to follow
version: 1
sources:
  - id: sample
    kind: jsonl_file
    path: sample/postings.jsonl
  # an ATS board
  - id: greenhouse:acme
    kind: greenhouse
    board: acme
    company: Acme
  - id: lever:old
    kind: lever
    board: old
    enabled: false
"""


def write(tmp_path: Path, text: str = REGISTRY) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_bundled_registry_follows_30_companies_and_hn() -> None:
    entries = load_registry(REPO / "data" / "sources.yaml")
    live = select(entries, "live")
    companies = {e.company for e in live if e.kind in ("greenhouse", "lever", "ashby", "smartrecruiters")}
    assert len(companies) >= 30
    assert {"greenhouse", "lever", "ashby", "smartrecruiters", "remoteok", "hn_whoishiring"} <= {e.kind for e in live}
    assert [e.id for e in select(entries, "offline")] == ["sample"]


def test_selection(tmp_path: Path) -> None:
    entries = load_registry(write(tmp_path))
    assert [e.id for e in select(entries, "all")] == ["sample", "greenhouse:acme"]
    assert [e.id for e in select(entries, "lever:old, sample")] == ["lever:old", "sample"]  # named: even disabled
    with pytest.raises(RegistryError, match="unknown source ids: nope"):
        select(entries, "sample,nope")


def test_add_keeps_comments_and_refuses_duplicates(tmp_path: Path) -> None:
    path = write(tmp_path)
    add_entry(path, SourceEntry(id="ashby:newco", kind="ashby", board="newco", company="NewCo"))
    text = path.read_text(encoding="utf-8")
    assert "# what to follow" in text and "# an ATS board" in text
    assert [e.id for e in load_registry(path)][-1] == "ashby:newco"
    with pytest.raises(RegistryError, match="already exists"):
        add_entry(path, SourceEntry(id="ashby:newco", kind="ashby", board="other"))


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("  - {id: greenhouse:x, kind: greenhouse}", "a greenhouse source needs `board`"),
        ("  - {id: page, kind: career_page}", "a career_page source needs `url`"),
        ("  - {id: Bad Id, kind: remoteok}", "use lower-case letters"),
        ("  - {id: x, kind: monster}", "source #1"),
        ("  - {id: x, kind: remoteok, colour: red}", "colour"),
    ],
)
def test_invalid_entries_are_named(tmp_path: Path, entry: str, message: str) -> None:
    path = write(tmp_path, f"version: 1\nsources:\n{entry}\n")
    with pytest.raises(RegistryError, match=message):
        load_registry(path)


def test_duplicate_ids_and_bad_yaml_are_reported(tmp_path: Path) -> None:
    dup = write(tmp_path, "sources:\n  - {id: a, kind: remoteok}\n  - {id: a, kind: remoteok}\n")
    with pytest.raises(RegistryError, match="duplicate source ids: a"):
        load_registry(dup)
    bad = write(tmp_path, "sources: [\n")
    with pytest.raises(RegistryError, match="invalid YAML"):
        load_registry(bad)
    with pytest.raises(RegistryError, match="cannot read"):
        load_registry(tmp_path / "missing.yaml")
