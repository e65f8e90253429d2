"""Small helpers every API parser uses to read decoded JSON defensively and to reject with a reason."""

from __future__ import annotations

import json
from typing import Any

from pipeline.domain import RawRecord, Reject


def reject(record: RawRecord, reason: str, where: str | None = None) -> Reject:
    """A reject of ``record`` (or of one element of it, located by ``where``)."""
    return Reject(source_id=record.source_id, locator=where or record.locator, reason=reason, payload=record.payload)


def json_kind(value: Any) -> str:
    """The JSON name of a decoded value's type.

    >>> json_kind([]), json_kind({}), json_kind(None), json_kind(True)
    ('list', 'object', 'null', 'boolean')
    """
    names = {dict: "object", list: "list", str: "string", int: "number", float: "number", bool: "boolean"}
    return names.get(type(value), "null")


def decode_json(record: RawRecord) -> Any | Reject:
    """The decoded payload, or a reject saying why it is not JSON (and whether it looks like an HTML page)."""
    try:
        return json.loads(record.payload)
    except json.JSONDecodeError as exc:
        hint = " (the payload looks like HTML)" if record.payload.lstrip().startswith("<") else ""
        return reject(record, f"invalid JSON: {exc.msg} (line {exc.lineno} column {exc.colno}){hint}")


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def as_str(value: Any) -> str | None:
    """A non-blank string, else None."""
    return value if isinstance(value, str) and value.strip() else None


def as_number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
