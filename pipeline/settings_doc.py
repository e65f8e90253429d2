"""Every :class:`~pipeline.settings.Settings` field as its environment variable, for the documentation.

``settings_table()`` renders the Markdown table of ``infra/README.md`` from ``Settings.model_fields`` (a test keeps
the two equal; ``python infra/settings_table.py`` rewrites it), so a new setting cannot go undocumented.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from pydantic.fields import FieldInfo

from pipeline.settings import REPO_DATA_DIR, Settings

ENV_PREFIX = "JOBATLAS_"
TABLE_HEADER = "| variable | default | meaning |\n| --- | --- | --- |"


@dataclass(frozen=True)
class SettingDoc:
    variable: str
    default: str
    meaning: str
    secret: bool


def env_name(field: str) -> str:
    """The environment variable of a settings field.

    >>> env_name("llm_api_key")
    'JOBATLAS_LLM_API_KEY'
    """
    return f"{ENV_PREFIX}{field.upper()}"


def is_secret(info: FieldInfo) -> bool:
    return "SecretStr" in str(info.annotation)


def shown_default(default: Any) -> str:
    """A default as the documentation shows it: paths relative to the repository, unset as ``unset``.

    >>> shown_default(None), shown_default(8501), shown_default(REPO_DATA_DIR), shown_default("a|b")
    ('unset', '`8501`', '`./data`', '`a\\\\|b`')
    """
    if default is None:
        return "unset"
    if isinstance(default, SecretStr):
        return "unset"
    if isinstance(default, Path) and default.is_relative_to(REPO_DATA_DIR.parent):
        default = f"./{default.relative_to(REPO_DATA_DIR.parent).as_posix()}"
    text = str(default).replace("|", "\\|")
    return f"`{text}`"


def shown_text(text: str) -> str:
    """A description on one table line: pipes escaped, ``<placeholders>`` as code (Markdown would drop them).

    >>> shown_text("Default: <data_dir>/generated.\\n  a|b")
    'Default: `<data_dir>`/generated. a\\\\|b'
    """
    one_line = " ".join(text.split()).replace("|", "\\|")
    return re.sub(r"<[^<>\s`]+>", lambda match: f"`{match.group()}`", one_line)


def setting_docs() -> list[SettingDoc]:
    """One entry per settings field, in declaration order."""
    return [
        SettingDoc(
            variable=env_name(name),
            default=shown_default(info.default),
            meaning=shown_text(info.description or ""),
            secret=is_secret(info),
        )
        for name, info in Settings.model_fields.items()
    ]


def settings_table() -> str:
    """The Markdown table of every setting: variable, default, meaning (secrets marked)."""
    rows = [
        f"| `{doc.variable}` | {doc.default} | {'**secret**: ' if doc.secret else ''}{doc.meaning} |"
        for doc in setting_docs()
    ]
    return "\n".join([TABLE_HEADER, *rows])
