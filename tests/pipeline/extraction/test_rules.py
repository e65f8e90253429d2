import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.domain import Level, Requirement, RoleFamily, Track
from pipeline.extraction.rules import (
    EducationRequirement,
    PublicationsRequirement,
    classify_heading,
    degree_mentions,
    education,
    education_requirement,
    first_listed_role,
    level_from_role_lines,
    level_from_scope,
    level_from_title,
    level_from_years,
    listed_roles,
    non_english_reason,
    primary_years,
    publication_venues,
    publications,
    publications_requirement,
    requirement_for,
    role_family,
    specialization_scores,
    track_from_title,
    years_mentions,
)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Requirements", "requirements"),
        ("What we're looking for:", "requirements"),
        ("About you", "requirements"),
        ("Preferred Qualifications", "preferred"),
        ("Nice to have", "preferred"),
        ("Bonus points", "preferred"),
        ("What you'll do", "responsibilities"),
        ("Responsibilities:", "responsibilities"),
        ("Benefits & perks", "benefits"),
        ("What we offer", "benefits"),
        ("About Acme", "about"),
        ("Who we are", "about"),
        ("## Qualifications", "requirements"),
        ("- 5+ years of Python", None),
        ("We are looking for an engineer who loves shipping LLM products to real users.", None),
        ("Experience with Kubernetes is required.", None),
        ("", None),
    ],
)
def test_classify_heading(line: str, expected: str | None) -> None:
    assert classify_heading(line) == expected


@pytest.mark.parametrize(
    ("section", "line", "expected"),
    [
        ("requirements", "- Python", Requirement.REQUIRED),
        ("preferred", "- Python", Requirement.PREFERRED),
        ("responsibilities", "- Ship RAG features", Requirement.REQUIRED),
        (None, "Terraform is a plus.", Requirement.PREFERRED),
        ("requirements", "- Ideally, experience with vLLM", Requirement.PREFERRED),
        ("requirements", "- Bonus: CUDA", Requirement.PREFERRED),
        (None, "Must know SQL", Requirement.REQUIRED),
    ],
)
def test_requirement_for(section: str | None, line: str, expected: Requirement) -> None:
    assert requirement_for(section, line) is expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Junior AI Engineer", (Level.I, "Junior")),
        ("Machine Learning Intern", (Level.I, "Intern")),
        ("AI Engineer I", (Level.I, "Engineer I")),
        ("Associate Data Scientist", (Level.I, "Associate")),
        ("AI Engineer II", (Level.II, "II")),
        ("Software Engineer 2, Applied AI", (Level.II, "Engineer 2")),
        ("Mid-level ML Engineer", (Level.II, "Mid-level")),
        ("Senior AI Engineer", (Level.SENIOR, "Senior")),
        ("Sr. Data Engineer", (Level.SENIOR, "Sr")),
        ("Tech Lead, LLM Platform", (Level.SENIOR, "Lead")),
        ("Engineering Manager, Agents", (Level.SENIOR, "Manager")),
        ("Staff ML Engineer", (Level.STAFF, "Staff")),
        ("Principal Applied Scientist", (Level.STAFF, "Principal")),
        ("Head of AI", (Level.STAFF, "Head of")),
        ("Director of Machine Learning", (Level.STAFF, "Director")),
        ("Senior Staff Engineer", (Level.STAFF, "Staff")),
        ("Senior/Staff Fullstack Engineer", (Level.SENIOR, "Senior")),
        ("Full-stack Senior or Staff Engineer", (Level.SENIOR, "Senior")),
        ("Senior + Staff Engineers (Elixir, React, ML/AI)", (Level.SENIOR, "Senior")),
        ("Software Engineer, New Grads 2024 - Perception", (Level.I, "New Grads")),
        ("Machine Learning Engineer - 2024 Grad", (Level.I, "2024 Grad")),
        ("Software Engineer (Fresher/Interns)", (Level.I, "Fresher")),
        ("Summer Interns, Applied AI", (Level.I, "Interns")),
        ("MLOps Engineer (Jr. to Sr. level roles)", (Level.I, "Jr")),
        ("Applied AI Engineer (Mid-level to Staff+)", (Level.II, "Mid-level")),
        ("AI Engineer", None),
        ("Founding Engineer", None),
        ("Machine Learning Engineer (LLM Inference)", None),
    ],
)
def test_level_from_title(title: str, expected: tuple[Level, str] | None) -> None:
    assert level_from_title(title) == expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            ["Set the technical direction for ML across the company"],
            (Level.STAFF, "Set the technical direction for ML across the company"),
        ),
        (["Drive org-wide standards for evaluation"], (Level.STAFF, "Drive org-wide standards for evaluation")),
        (["Build pipelines", "Mentor junior engineers"], (Level.SENIOR, "Mentor junior engineers")),
        (["Lead the design of our retrieval stack"], (Level.SENIOR, "Lead the design of our retrieval stack")),
        (
            ["You will own the architecture of the platform"],
            (Level.SENIOR, "You will own the architecture of the platform"),
        ),
        (
            ["Learn from experienced engineers while shipping features"],
            (Level.I, "Learn from experienced engineers while shipping features"),
        ),
        (["This role reports to the Lead Technical Artist"], None),
        (["We offer mentorship programmes and a learning budget"], None),
        (["Maintain and promote best practices for deployment"], None),
    ],
)
def test_level_from_scope(lines: list[str], expected: tuple[Level, str] | None) -> None:
    assert level_from_scope(lines) == expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["Job Title: Senior Cloud Engineer (AI/ML)"], ["Senior Cloud Engineer (AI/ML)"]),
        (["+ Senior Software Engineer (Embedded) - https://example.org/1"], ["Senior Software Engineer (Embedded)"]),
        (["[1] Staff ML Engineer - Remote", "- Product Designer: Figma"], ["Staff ML Engineer", "Product Designer"]),
        (
            ["- Software Engineer - Forward Deploy Engineer (Agent). (Fresher/Interns). - Project Manager"],
            ["Software Engineer - Forward Deploy Engineer (Agent). (Fresher/Interns)"],
        ),
        (["- Data Platform Engineers (Staff / Principal), remote"], ["Data Platform Engineers (Staff / Principal)"]),
        (["- ML Engineer (see https://example.org)"], ["ML Engineer"]),
        (["• Collaborate closely with product manager"], []),
        (["Architect, DBA, or Engineer 5+"], []),
        (["We are hiring a Senior Engineer to lead our team."], ["Senior Engineer"]),
        (["We're hiring platform and inference engineers for our ML Platform"], ["platform and inference engineers"]),
    ],
)
def test_listed_roles(lines: list[str], expected: list[str]) -> None:
    assert listed_roles(lines) == expected


def test_level_from_role_lines_skips_roles_without_a_level() -> None:
    lines = ["Role: Machine Learning Engineer", "- Senior Backend Engineer: APIs"]
    assert level_from_role_lines(listed_roles(lines)) == (Level.SENIOR, "Senior Backend Engineer")
    assert level_from_role_lines(listed_roles(["Role: Machine Learning Engineer"])) is None


@pytest.mark.parametrize(
    ("years", "level"),
    [(0, "i"), (1, "i"), (2, "ii"), (3, "ii"), (4, "senior"), (6, "senior"), (7, "staff"), (12, "staff")],
)
def test_level_from_years(years: int, level: str) -> None:
    assert level_from_years(years).value == level


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Engineering Manager, ML", Track.MANAGER),
        ("Head of AI", Track.MANAGER),
        ("VP of Data", Track.MANAGER),
        ("Product Manager, AI", Track.IC),
        ("Staff AI Engineer", Track.IC),
    ],
)
def test_track_from_title(title: str, expected: Track) -> None:
    assert track_from_title(title) is expected


def test_years_mentions_exact() -> None:
    text = (
        "5+ years of Python, 3-5 years in ML, seven years overall, 2 to 4 years of SQL, "
        "a 10-year-old company founded 12 years ago, 40 years of history"
    )
    assert [(m.years, m.text) for m in years_mentions(text)] == [
        (5, "5+ years"),
        (3, "3-5 years"),
        (7, "seven years"),
        (2, "2 to 4 years"),
    ]


@pytest.mark.parametrize(
    ("sentences", "expected"),
    [
        (["8+ years of software engineering, including 2+ years of ML"], 8),
        (["5+ years of backend work", "3+ years of ML"], 5),
        (["3-5 years of experience"], 3),
        (["Five years of experience building data pipelines"], 5),
        (["No experience needed"], None),
        (["In the last 20 years we became a leader", "4 or more years in Business Intelligence"], 4),
        (["We celebrate work anniversaries (3, 5, 8, 10 years)"], None),
        (["Over the next 30 years the world will change"], None),
        (["Over 5 years of experience with Python"], 5),
        (["2-3+ Experience working as an ML Engineer"], 2),
        (["3 yrs of SQL"], 3),
    ],
)
def test_primary_years(sentences: list[str], expected: int | None) -> None:
    found = primary_years(sentences)
    assert (found.years if found else None) == expected


@pytest.mark.parametrize(
    ("title", "skills", "expected"),
    [
        ("Research Scientist, LLM Alignment", set(), RoleFamily.AI_RESEARCHER),
        ("Research Engineer, Pretraining", set(), RoleFamily.AI_RESEARCHER),
        ("Senior Data Engineer", {"Spark"}, RoleFamily.DATA_ENGINEER),
        ("Analytics Engineer", {"dbt"}, RoleFamily.DATA_ENGINEER),
        ("Data Scientist, Growth", {"Statistics"}, RoleFamily.DATA_SCIENTIST),
        ("Senior Data Analyst", set(), RoleFamily.DATA_SCIENTIST),
        ("Machine Learning Engineer", {"LLMs"}, RoleFamily.ML_ENGINEER),
        ("MLOps Engineer", set(), RoleFamily.ML_ENGINEER),
        ("Senior AI Engineer", {"RAG"}, RoleFamily.AI_ENGINEER),
        ("GenAI Engineer", set(), RoleFamily.AI_ENGINEER),
        ("AI/ML Engineer", {"PyTorch", "Deep learning", "Computer vision", "MLflow"}, RoleFamily.ML_ENGINEER),
        ("AI/ML Engineer", {"LLMs", "RAG", "LangChain"}, RoleFamily.AI_ENGINEER),
        ("Software Engineer", {"LLMs", "RAG", "Agents", "Python"}, RoleFamily.AI_ENGINEER),
        ("Software Engineer", {"React", "Python"}, RoleFamily.OTHER),
        ("Account Executive", {"LLMs"}, RoleFamily.OTHER),
        ("Software Engineer - Machine Learning", set(), RoleFamily.ML_ENGINEER),
        ("Software Engineer - vLLM (ML)", set(), RoleFamily.ML_ENGINEER),
        ("AI DevOps/ML/ MLOps with Azure", {"LLMs"}, RoleFamily.ML_ENGINEER),
        ("Artificial Intelligence Engineer", {"LLMs"}, RoleFamily.AI_ENGINEER),
        ("AI/ML Engineer", set(), RoleFamily.ML_ENGINEER),
        ("AI/ML Tech Due Diligence", set(), RoleFamily.OTHER),
        ("Product Manager, AI", {"LLMs"}, RoleFamily.OTHER),
        ("Engineering Manager, Machine Learning", set(), RoleFamily.ML_ENGINEER),
        ("Machine Learning Engineer", {"LLMs", "Prompt engineering"}, RoleFamily.AI_ENGINEER),
        ("Machine Learning Engineer", {"LLMs", "Prompt engineering", "PyTorch"}, RoleFamily.ML_ENGINEER),
        ("platform and inference engineers", set(), RoleFamily.ML_ENGINEER),
    ],
)
def test_role_family(title: str, skills: set[str], expected: RoleFamily) -> None:
    assert role_family(title, frozenset(skills))[0] is expected


def test_role_family_counts_only_required_skills_for_a_software_title() -> None:
    asked = frozenset({"LLMs", "RAG", "Agents", "Python"})
    assert role_family("Senior Developer", asked)[0] is RoleFamily.AI_ENGINEER
    assert role_family("Senior Developer", asked, preferred=frozenset({"RAG", "Agents"}))[0] is RoleFamily.OTHER


@pytest.mark.parametrize(
    ("title", "listed", "expected"),
    [
        (
            "Senior/Staff Fullstack Engineer, DevOps Engineer, Applied Research Engineer",
            [],
            "Senior/Staff Fullstack Engineer",
        ),
        ("Machine Learning Engineer, Data Engineer", [], "Machine Learning Engineer"),
        ("Staff SWE - Infra, Machine Learning / Senior Manager, Support", [], "Staff SWE - Infra, Machine Learning"),
        ("Machine Learning Engineer, Responsible AI", [], "Machine Learning Engineer, Responsible AI"),
        ("Multiple Engineering Roles", ["ML Infra Engineer", "Systems Engineer"], "ML Infra Engineer"),
        ("AI in healthcare", ["Senior Backend Engineer"], "Senior Backend Engineer"),
        ("AI Engineer", ["Senior Backend Engineer"], "AI Engineer"),
        ("Multiple roles", [], "Multiple roles"),
    ],
)
def test_first_listed_role(title: str, listed: list[str], expected: str) -> None:
    assert first_listed_role(title, listed) == expected


def test_specialization_scores_exact() -> None:
    scores = specialization_scores(
        {"rag": {0, 40, 90}, "safety": {40}, "infrastructure": {120, 160}},
        {"safety"},
        title_weight=3.0,
        line_weights={160: 0.5},
    )
    assert scores == {"infrastructure": 1.5, "rag": 3.0, "safety": 4.0}


# -- education ----------------------------------------------------------------------------------------

REQ = "requirements"


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        # the lowest degree that satisfies the requirement (GUIDE.md)
        ([("- BS/MS in Computer Science", REQ)], ("bachelor", "required")),
        ([("- MS or PhD in Machine Learning", REQ)], ("master", "required")),
        ([("- PhD required", REQ)], ("phd", "required")),
        ([("- PhD preferred", REQ), ("- BS required", REQ)], ("bachelor", "required")),
        ([("- Bachelor's degree or equivalent experience", REQ)], ("bachelor", "required")),
        ([("- Bachelor's degree required, PhD preferred", REQ)], ("bachelor", "required")),
        ([("- Master's degree preferred, Bachelor's required", REQ)], ("bachelor", "required")),
        ([("- Bachelor's degree in CS; Master's preferred", REQ)], ("bachelor", "required")),
        ([("- Bachelor's degree in CS, preferably a Master's", REQ)], ("bachelor", "required")),
        ([("- Advanced degree (MS/PhD) in CS", REQ)], ("master", "required")),
        ([("- BSc or MSc in Mathematics", REQ)], ("bachelor", "required")),
        ([("- M.Tech or B.Tech in Computer Science", REQ)], ("bachelor", "required")),
        ([("- B.S. in Electrical Engineering", REQ)], ("bachelor", "required")),
        ([("- Ph.D. in Computer Science", REQ)], ("phd", "required")),
        ([("- Doctorate in physics or a related field", REQ)], ("phd", "required")),
        ([("- Undergraduate degree in a quantitative field", REQ)], ("bachelor", "required")),
        ([("- Degree in Computer Science or a related field", REQ)], ("bachelor", "required")),
        ([("- MS + 2 years of experience", REQ)], ("master", "required")),
        ([("- Currently pursuing a PhD in machine learning", REQ)], ("phd", "required")),
        # only preferred degrees: the lowest preferred one, marked preferred
        ([("Nice to have", "preferred"), ("- Master's degree in Statistics", "preferred")], ("master", "preferred")),
        ([("- Master's degree preferred", REQ)], ("master", "preferred")),
        ([("- MBA is a plus", REQ)], ("master", "preferred")),
        ([("- Bonus: PhD in NLP", REQ)], ("phd", "preferred")),
        ([("- Ideally a PhD in NLP", None)], ("phd", "preferred")),
        ([("- MS or PhD preferred", REQ)], ("master", "preferred")),
        # false hits that are not degrees
        ([("- Proficiency with MS Office and MS Excel", REQ)], (None, None)),
        ([("- Keep p99 latency under 50 ms", REQ)], (None, None)),
        ([("- Our engineers are masters of their craft", None)], (None, None)),
        ([("- Master Python and SQL", REQ)], (None, None)),
        ([("- Scrum Master certification", REQ)], (None, None)),
        ([("- Experience solving PhD-level problems", REQ)], (None, None)),  # difficulty, not a degree
        ([("- Work alongside PhD researchers", "responsibilities")], (None, None)),
        ([("- Partner with the BA team on reporting", REQ)], (None, None)),
        ([("We treat chronic conditions (MS, RA, IBD) across Michigan.", None)], (None, None)),
        ([("- Build a 360-degree view of the customer", REQ)], (None, None)),
        ([("- A high degree of autonomy", REQ)], (None, None)),
        # negated, below the scale, or in sections that are not asks
        ([("- No degree required", REQ)], (None, None)),
        ([("- You don't need a PhD to thrive here", None)], (None, None)),
        ([("- Bachelors or associates degree", REQ)], (None, None)),
        ([("About us", "about"), ("Our team has 20 PhDs and MS grads", "about")], (None, None)),
        ([("- Tuition support for a master's degree", "benefits")], (None, None)),
        ([], (None, None)),
    ],
)
def test_education_requirement(lines: list[tuple[str, str | None]], expected: tuple[str | None, str | None]) -> None:
    found = education_requirement(lines)
    assert (found.level, found.requirement) == expected


def test_education_requirement_evidence_is_the_deciding_line() -> None:
    lines = [("- PhD preferred", REQ), ("  - BS in Computer Science  ", REQ)]
    assert education_requirement(lines) == EducationRequirement("bachelor", "required", "- BS in Computer Science")


def test_education_evidence_of_a_long_line_is_a_window_around_the_degree() -> None:
    line = "We build things. " * 30 + "You hold a Master's degree in CS. " + "We ship. " * 40
    found = education_requirement([(line, None)])
    assert found.level == "master"
    assert found.evidence is not None and len(found.evidence) <= 240 and "Master's degree" in found.evidence


def test_degree_mentions_exact() -> None:
    line = "BS/MS in CS, MS Office, Masters of their craft, PhD-level problems, B.Tech, M.S., Ph.D. or MBA"
    assert degree_mentions(line) == [
        ("bachelor", "BS"),
        ("master", "MS"),
        ("bachelor", "B.Tech"),
        ("master", "M.S."),
        ("phd", "Ph.D."),
        ("master", "MBA"),
    ]


# -- publications -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ([("- Publications at NeurIPS, ICML, ICLR", REQ)], ("required", ["NeurIPS", "ICML", "ICLR"])),
        ([("- First-author papers at top ML conferences", REQ)], ("required", [])),
        ([("- Track record of publishing in top venues", REQ)], ("required", [])),
        ([("- Peer-reviewed publications in NLP", REQ)], ("required", [])),
        ([("- Co-authored papers in peer-reviewed journals", REQ)], ("required", [])),
        ([("- Publish research at top-tier venues", "responsibilities")], ("required", [])),
        ([("- Papers at NIPS or ICML", REQ)], ("required", ["NeurIPS", "ICML"])),
        ([("- Work published at AAAI, IJCAI, KDD or SIGIR", REQ)], ("required", ["AAAI", "IJCAI", "KDD", "SIGIR"])),
        ([("- Strong publication record at CoRL, RSS or ICRA", REQ)], ("required", ["CoRL", "RSS"])),
        ([("- Publications at Interspeech or ICASSP", REQ)], ("required", ["Interspeech", "ICASSP"])),
        ([("- Research experience (e.g. NeurIPS, ICML papers)", REQ)], ("required", ["NeurIPS", "ICML"])),
        (
            [("Nice to have", "preferred"), ("- Publications at ACL or EMNLP", "preferred")],
            ("preferred", ["ACL", "EMNLP"]),
        ),
        ([("- Publications at CVPR/ICCV/ECCV are a plus", REQ)], ("preferred", ["CVPR", "ICCV", "ECCV"])),
        ([("- Bonus: papers at NAACL", REQ)], ("preferred", ["NAACL"])),
        (
            [("- Publications are a plus", REQ), ("- First-author publications at ICLR", REQ)],
            ("required", ["ICLR"]),
        ),
        # not asks: reading papers, the company's own work, other meanings of the words
        ([("- Stay current with papers published at NeurIPS", REQ)], (None, [])),
        ([("- Read and implement research papers", "responsibilities")], (None, [])),
        ([("- Our team has published at ICML and NeurIPS", None)], (None, [])),
        ([("About us", "about"), ("Our researchers publish at NeurIPS and ICML", "about")], (None, [])),
        ([("- Build an RSS feed reader", REQ)], (None, [])),
        ([("- Manage ACL rules for S3 buckets", REQ)], (None, [])),
        ([("- Work with the publication team on release notes", REQ)], (None, [])),
        ([("- Write white papers for marketing", REQ)], (None, [])),
        ([("- Publish-subscribe messaging with Kafka", REQ)], (None, [])),
        ([("- Experience in the publishing industry", REQ)], (None, [])),
        ([("- Reviewing professional publications to keep skills current", REQ)], (None, [])),
        ([("- Publication-worthy rigour in statistics", REQ)], (None, [])),
        ([], (None, [])),
    ],
)
def test_publications_requirement(lines: list[tuple[str, str | None]], expected: tuple[str | None, list[str]]) -> None:
    found = publications_requirement(lines)
    assert (found.requirement, found.venues) == expected


def test_publications_evidence_is_the_deciding_line() -> None:
    lines = [("- Publications are a plus", REQ), ("- First-author publications at ICLR", REQ)]
    assert publications_requirement(lines) == PublicationsRequirement(
        "required", ["ICLR"], "- First-author publications at ICLR"
    )


def test_publication_venues_exact() -> None:
    line = (
        "NeurIPS, NIPS, nips, icml, ICLR, acl, ACL, EMNLP, NAACL, CVPR, ICCV, ECCV, AAAI, IJCAI, KDD, SIGIR, CoRL, RSS"
    )
    assert publication_venues(line + ", Interspeech, ICASSP") == [
        "NeurIPS", "ICML", "ICLR", "ACL", "EMNLP", "NAACL", "CVPR", "ICCV", "ECCV", "AAAI", "IJCAI", "KDD", "SIGIR",
        "CoRL", "RSS", "Interspeech", "ICASSP",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "line",
    [
        "NeurIPS, NIPS, nips, Nips, icml, ICLR, ACL, EMNLP, NAACL, CVPR, ICCV, ECCV, AAAI, IJCAI, KDD, SIGKDD, SIGIR",
        "CoRL, CORL, RSS, Interspeech, INTERSPEECH, ICASSP, iclr 2024, (CVPR/ICCV), Papers@NeurIPS",
    ],
)
def test_every_venue_match_holds_a_hint_word_of_its_venue(line: str) -> None:
    """A venue's hint lets a line skip its pattern: the hint must be in every match, or venues get lost."""
    found = 0
    for _, hint, pattern in publications.PUBLICATION_VENUES:
        for match in pattern.finditer(line):
            assert hint.in_line(match.group(0)), (pattern.pattern, match.group(0))
            found += 1
    assert found >= 8


CUE_PHRASES = (
    "publications, a publication, published papers, publishing research at, first-author, co-authored, "
    "lead authour, peer-reviewed, peer reviewed, paper at, papers in, conference papers, top-tier venues, "
    "leading ML conferences, premier journals, track record of publishing"
)


def test_every_publication_cue_match_holds_a_cue_hint_word() -> None:
    """Without a cue word a line skips the cue pattern: each cue match must hold one, or asks get lost."""
    matches = [match.group(0) for match in publications._PUBLICATION_ASK.finditer(CUE_PHRASES)]
    assert len(matches) >= 14
    for match in matches:
        assert publications._CUE_HINT.in_line(match), match
    assert publications_requirement([("- Lead authour of accepted work", "requirements")]).requirement == "required"


# -- language -----------------------------------------------------------------------------------------

GERMAN = (
    "Wir suchen eine erfahrene Person für unser Team in Berlin. Du entwickelst mit uns Modelle und bist "
    "verantwortlich für die Datenpipelines. Du hast Erfahrung mit Python und SQL und arbeitest gerne im Team."
)
FRENCH = (
    "Nous recherchons un ingénieur pour rejoindre notre équipe à Paris. Vous serez responsable des modèles et "
    "des pipelines de données. Vous avez une expérience avec Python et vous aimez travailler dans une équipe."
)
CHINESE = "我们正在寻找一位经验丰富的机器学习工程师加入我们的团队负责构建和部署大型语言模型以及相关的数据管道和评估系统"
ENGLISH = (
    "We are looking for an engineer who will build retrieval systems with our team. You have experience with "
    "Python and SQL, and you are comfortable owning features from design to production."
)
TERSE = "Acme | Senior ML Engineer | Remote (US) | $180k-$220k | https://acme.example/jobs/1 Python, PyTorch, K8s"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GERMAN, "not English: 36% German/French/Spanish/Portuguese/Italian/Dutch function words vs 0% English"),
        (FRENCH, "not English: 41% German/French/Spanish/Portuguese/Italian/Dutch function words vs 0% English"),
        (CHINESE, "not English: 100% of the letters are not in the Latin script"),
        (ENGLISH, None),
        (TERSE, None),
        ("Wir suchen eine Person für unser Team", None),  # too short to judge
        ("", None),
    ],
)
def test_non_english_reason(text: str, expected: str | None) -> None:
    assert non_english_reason(text) == expected


DEGREE_PHRASES = (
    "PhD, Ph.D., Ph. D, ph d, D.Phil, DPhil, doctorate, doctoral degree, Doctor of Philosophy",
    "Associate's degree, associates degree, Associate of Science, high school diploma, high-school education, GED",
    "Bachelor's, Bachelors, Bachelor of Science, bachelor's degree, undergraduate degree, undergrad degree",
    "4-year degree, four year college degree, B.S., B.Sc., BSc, B.A., B.Tech, BTech, B Tech, B.E., B.Eng, BEng",
    "Master's, Masters degree, Master of Science, masters in CS, graduate degree, post-graduate degree",
    "advanced degree, M.S., M.Sc., MSc, M.Tech, MTech, M Tech, M.Eng, MEng, MBA, M.B.A., BS, BA, MS, a degree in CS",
)


@pytest.mark.parametrize("phrases", DEGREE_PHRASES)
def test_every_degree_match_holds_a_hint_word_of_its_pattern(phrases: str) -> None:
    """The hints let a line skip a pattern: each must be in every match of its pattern, or degrees get lost."""
    for _, hint, pattern in education._EDUCATION_PATTERNS:
        for match in pattern.finditer(phrases):
            assert hint.in_line(match.group(0)), (pattern.pattern[:40], match.group(0))
    for hint, pattern in (
        (education._AMBIGUOUS_HINT, education._AMBIGUOUS_ABBREVIATION),
        (education._GENERIC_HINT, education._GENERIC_DEGREE),
    ):
        for match in pattern.finditer(phrases):
            assert hint.in_line(match.group(0))
    assert len(degree_mentions(phrases)) >= 6


@given(st.text(alphabet="ab #*:\t.-\u00a0Skills", max_size=90))
def test_classify_heading_skips_long_lines_only_when_nothing_is_stripped(line: str) -> None:
    assert classify_heading(line) == classify_heading(f" {line} ")  # padding takes the full path, same result
