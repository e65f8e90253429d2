"""The hiring-manager JD audit: checks a job description against the ladder, good practice and the market.

``run_audit`` (``pipeline.audit.run``) is the entry point: a posting in, an ``AuditReport`` out, with findings
that carry a severity, the evidence spans of the description and the market figures behind them. Inputs are read
by ``pipeline.audit.inputs``, reports rendered by ``pipeline.audit.render``.
"""

from pipeline.audit.document import UnreadableDescriptionError
from pipeline.audit.findings import Finding, MarketFigure, Severity, Span
from pipeline.audit.inputs import AuditInput, AuditInputError, read_file, read_text, read_url
from pipeline.audit.report import AuditReport
from pipeline.audit.run import run_audit
from pipeline.audit.wordlists import Wordlists, load_wordlists

__all__ = [
    "AuditInput",
    "AuditInputError",
    "AuditReport",
    "Finding",
    "MarketFigure",
    "Severity",
    "Span",
    "UnreadableDescriptionError",
    "Wordlists",
    "load_wordlists",
    "read_file",
    "read_text",
    "read_url",
    "run_audit",
]
