"""Dashboard tests: Streamlit's AppTest runs each page script as the ``__main__`` module and leaves it in
``sys.modules``; a later test that spawns processes (the Dask cluster of tests/flows) would then re-run that page in
every child. Each test here gets the ``__main__`` it started with back."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def keep_main_module() -> Iterator[None]:
    main = sys.modules.get("__main__")
    yield
    if main is not None:
        sys.modules["__main__"] = main
