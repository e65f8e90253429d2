"""Rewrite the settings table of infra/README.md from ``Settings.model_fields``: ``python infra/settings_table.py``.

tests/infra/test_compose.py fails when the table and the settings differ; this script makes them equal again.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
README = REPO / "infra" / "README.md"
START, END = "<!-- settings-table:start -->", "<!-- settings-table:end -->"


def with_table(text: str, table: str) -> str:
    """``text`` with the block between the START and END markers replaced by ``table``."""
    head, found, rest = text.partition(START)
    _, found_end, tail = rest.partition(END)
    if not (found and found_end):
        raise ValueError(f"{README} lacks the {START} ... {END} markers")
    return f"{head}{START}\n{table}\n{END}{tail}"


def main() -> None:
    sys.path.insert(0, str(REPO))
    from pipeline.settings_doc import settings_table

    README.write_text(with_table(README.read_text(encoding="utf-8"), settings_table()), encoding="utf-8")
    print(f"wrote the settings table of {README.relative_to(REPO)}")


if __name__ == "__main__":
    main()
