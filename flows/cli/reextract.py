"""``jobatlas reextract``: tag the stored postings again after the extractor or the taxonomy changed."""

from __future__ import annotations

from typing import Annotated

import typer

from flows.cli.common import console, fail, load_settings, prefect_defaults
from pipeline.reextract import ReextractSummary


def print_reextract_summary(summary: ReextractSummary) -> None:
    console.print(f"extractor {summary.extractor_version}", highlight=False)
    console.print(
        f"checked {summary.checked} postings: re-tagged {summary.retagged}, unchanged {summary.unchanged}"
        + (" (--all: every posting re-tagged)" if summary.everything else ""),
        highlight=False,
    )
    console.print(
        f"{summary.skills_found} skill mentions in the new tags; {summary.aggregate_rows_written} aggregate rows "
        "written",
        highlight=False,
    )
    for line in summary.llm_lines:
        console.print(line, highlight=False)
    console.print(
        "time per step: " + ", ".join(f"{k} {v:.2f}s" for k, v in summary.step_seconds.items()), highlight=False
    )


def reextract(
    all_: Annotated[
        bool, typer.Option("--all", help="Re-tag every stored posting, not only those with a stale tag.")
    ] = False,
) -> None:
    """Re-tag stored postings whose tag an older extractor or taxonomy version made (or older content, or none),
    fetching nothing; then refresh the weekly aggregates. Exit code 4 when a refresh holds the store's lock."""
    settings = load_settings()
    prefect_defaults()
    from flows.cli.refresh import locked, preflight
    from flows.reextract import reextract as reextract_flow
    from pipeline.store.run_lock import RefreshLockedError

    preflight(settings)  # fail fast, in one line, before Prefect starts: store unreachable (1), a refresh running (4)
    try:
        summary = reextract_flow(settings=settings, everything=all_)
    except RefreshLockedError as exc:
        locked(str(exc))
    except (ValueError, OSError) as exc:  # a taxonomy file that is invalid or cannot be read
        raise fail(str(exc)) from None
    print_reextract_summary(summary)
