"""Architecture rules that code review would otherwise have to remember."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "pipeline": {"prefect", "streamlit", "flows", "dashboard"},
    "dashboard": {"prefect", "flows"},
    "flows": {"streamlit", "dashboard"},
}


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_imports_flow_one_way(package: str) -> None:
    offenders = {
        str(path.relative_to(REPO)): sorted(imported_roots(path) & FORBIDDEN[package])
        for path in (REPO / package).rglob("*.py")
        if imported_roots(path) & FORBIDDEN[package]
    }
    assert offenders == {}


def test_library_code_never_configures_logging_or_exits() -> None:
    offenders = []
    for path in (REPO / "pipeline").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for needle in ("logging.basicConfig", "sys.exit(", "dictConfig(", "pip install"):
            if needle in text:
                offenders.append(f"{path.relative_to(REPO)}: {needle}")
    assert offenders == []


def test_settings_are_never_read_at_import_time() -> None:
    offenders = []
    for package in ("pipeline", "flows", "dashboard"):
        for path in (REPO / package).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in tree.body:  # module level statements only
                for call in ast.walk(node):
                    if (
                        isinstance(node, (ast.Assign, ast.Expr, ast.AnnAssign))
                        and isinstance(call, ast.Call)
                        and isinstance(call.func, ast.Name)
                        and call.func.id == "Settings"
                    ):
                        offenders.append(str(path.relative_to(REPO)))
    assert offenders == []
