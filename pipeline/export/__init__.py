"""Export the store's postings, skills and weekly aggregates to Parquet or CSV (``jobatlas export``)."""

from __future__ import annotations

from pipeline.export.tables import TABLES, ExportQuery, TableName, export_query
from pipeline.export.writer import (
    CSV_LIST_SEPARATOR,
    FORMATS,
    ExportError,
    ExportFormat,
    ExportResult,
    default_file_name,
    export_table,
    output_path,
    read_batches,
)

__all__ = [
    "CSV_LIST_SEPARATOR",
    "FORMATS",
    "TABLES",
    "ExportError",
    "ExportFormat",
    "ExportQuery",
    "ExportResult",
    "TableName",
    "default_file_name",
    "export_query",
    "export_table",
    "output_path",
    "read_batches",
]
