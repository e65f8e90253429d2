"""The career-changer skill-gap report: the user's skills (a list or a resume) against what a segment of the
market asks, with a coverage score, what they have and miss ranked by demand, what transfers, the skills asked
together, a 4-week trend per skill and a learning order that puts prerequisites first.

``gap_report`` (``pipeline.gap.build``) is the entry point; the user's skills come from ``pipeline.gap.inputs``,
the arithmetic is pure (``pipeline.gap.arithmetic``), the exports are in ``pipeline.gap.render``.
"""

from pipeline.gap.build import gap_report
from pipeline.gap.inputs import GapInputError, UnknownSkill, UserSkills, parse_skill_list, read_resume
from pipeline.gap.report import GapReport

__all__ = [
    "GapInputError",
    "GapReport",
    "UnknownSkill",
    "UserSkills",
    "gap_report",
    "parse_skill_list",
    "read_resume",
]
