"""Schema of ``lexicons/sections.yaml``: note headings, their categories, document kinds."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from scribe.schemas.common import FileHeader, Frozen, Patterns
from scribe.schemas.note import DocumentKind

SectionCategory = Literal[
    "history",
    "family_history",
    "medications",
    "allergies",
    "exam",
    "imaging",
    "assessment",
    "plan",
    "procedure",
    "dry_needling",
    "trigger_point_injection",
    "acupuncture",
    "response",
    "billing",
    "operative",
    "imaging_report",
    "electrodiagnostic",
    "discharge",
]


class SectionRuleSpec(Frozen):
    """A heading, matched case-insensitively at the start of a line (medspaCy's format)."""

    literal: str = Field(min_length=2)
    category: SectionCategory
    # a one-line field ("Indication: active TrPs in the L infraspinatus"): with text on its own
    # line it heads that line only, and the lines after it are in no section
    single_line: bool = False


class DocumentKindRule(Frozen):
    kind: DocumentKind
    categories: list[SectionCategory] = Field(min_length=1)
    min_headings: int = Field(default=1, ge=1)


class WithinProcedure(Frozen):
    """Headings that change meaning inside a procedure: a ``fields`` heading that comes after
    a ``procedures`` heading, with no ``closed_by`` heading between them, is a field of that
    procedure (its category becomes ``procedure``)."""

    fields: list[SectionCategory] = Field(min_length=1)
    procedures: list[SectionCategory] = Field(min_length=1)
    closed_by: list[SectionCategory] = Field(default_factory=list)


class WithinPlan(Frozen):
    """Fields of a plan: a heading of ``fields`` with its text on its own line
    ("Interventions: therex, HEP, TDN to ...") inside a section opened by a ``plans`` heading
    alone on its line ("PLAN OF CARE") lists what the plan will do (its category becomes the
    plan's). The plan ends at the next heading alone on its line."""

    plans: list[SectionCategory] = Field(min_length=1)
    fields: list[str] = Field(min_length=1)


class CarriedForward(Frozen):
    """Text an EHR copied from an earlier visit ("---- copied forward from 08/28 ----", "Last
    visit (05/02) - copied forward:"): an ``opens`` line (its words before any colon, at most
    ``max_words`` of them) opens a block of the history that runs to the first blank line, or
    to a ``closes`` line ("---- end copied text ----", "Today:"), whichever comes first."""

    opens: Patterns = Field(min_length=1)
    closes: Patterns = Field(default_factory=list)
    max_words: int = Field(default=12, ge=2)


class SectionLexicon(FileHeader):
    rules: list[SectionRuleSpec] = Field(min_length=1)
    document_kinds: list[DocumentKindRule] = Field(default_factory=list)
    # a title line in capitals that names a procedure ("PROCEDURE 2 - DRY NEEDLING") heads
    # that procedure's section, unless it also names one of ``not_procedure_titles``
    procedure_titles: dict[SectionCategory, list[str]] = Field(default_factory=dict)
    not_procedure_titles: list[str] = Field(default_factory=list)
    within_procedure: WithinProcedure | None = None
    within_plan: WithinPlan | None = None
    carried_forward: CarriedForward | None = None

    @model_validator(mode="after")
    def _literals_unique(self) -> SectionLexicon:
        literals = [r.literal.lower() for r in self.rules]
        dupes = sorted({x for x in literals if literals.count(x) > 1})
        if dupes:
            raise ValueError(f"headings listed twice: {dupes}")
        unknown = sorted(set(self.within_plan.fields) - set(literals)) if self.within_plan else []
        if unknown:
            raise ValueError(f"plan fields that are no heading: {unknown}")
        return self
