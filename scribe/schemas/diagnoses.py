"""Schema of ``lexicons/diagnoses.yaml``: the words of diagnoses and the ICD-10-CM codes they
take. Codes are validated against the ICD-10-CM data package when the file is loaded
(``scribe.diagnoses.lexicon``): this schema checks the shape, that one checks the codes."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from scribe.schemas.common import Frozen
from scribe.schemas.lexicon import ContextRuleSet, FileHeader
from scribe.schemas.note import DiagnosisStatus

__all__ = ["CodeChoice", "DiagnosisConcept", "DiagnosisLexicon", "DiagnosisStatus", "Region"]

#: Where a myalgia is: the masticatory muscles, the head and neck, anywhere else.
Region = Literal["mastication", "head_neck", "other"]
CodeSide = Literal["right", "left", "bilateral", "unspecified"]
RegionChoice = Literal["mastication", "head_neck", "other", "unspecified"]

_ID = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*$")
_ICD = re.compile(r"^[A-TV-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?$")


class CodeChoice(Frozen):
    """One code of a concept, for a side or a region when the code depends on it."""

    code: str
    side: CodeSide | None = None
    region: RegionChoice | None = None

    @field_validator("code")
    @classmethod
    def _looks_like_icd(cls, value: str) -> str:
        if not _ICD.match(value):
            raise ValueError("not written as an ICD-10-CM code (letter, two characters, dot)")
        return value


class DiagnosisConcept(Frozen):
    """A condition the note may state, the words that state it and the codes it takes."""

    id: str
    name: str = Field(min_length=3)
    phrases: list[str] = Field(default_factory=list, description="Case-insensitive words.")
    abbreviations: list[str] = Field(
        default_factory=list, description="Case-sensitive tokens (LBP, HA, TMD)."
    )
    codes: list[CodeChoice] = Field(
        default_factory=list,
        description="Billable codes; none for a condition that needs detail the note's words "
        "rarely give (a fracture's site and encounter): it is still found, never coded.",
    )
    covered_by: list[str] = Field(
        default_factory=list,
        description="Concepts that, stated today, make this one part of them (a headache of a "
        "tension-type headache): it is then not coded again.",
    )
    specific_cause: bool = Field(
        default=False,
        description="A specific cause of low back pain: the Medicare chronic low back pain "
        "benefit (NCD 30.3.3) covers only pain without one.",
    )
    effective: dt.date = Field(description="First day its codes are valid (fiscal year start).")
    source: str = Field(min_length=5, description="ICD-10-CM tabular or index entry cited.")

    @field_validator("id")
    @classmethod
    def _snake(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError("concept ids are lower-case snake_case")
        return value

    @model_validator(mode="after")
    def _choices(self) -> DiagnosisConcept:
        sides = [c.side for c in self.codes if c.side is not None]
        regions = [c.region for c in self.codes if c.region is not None]
        if sides and (len(sides) != len(self.codes) or "unspecified" not in sides):
            raise ValueError(f"{self.id}: sided codes need a side on each and an unspecified one")
        if regions and (len(regions) != len(self.codes) or "unspecified" not in regions):
            raise ValueError(f"{self.id}: regional codes need a region on each and unspecified")
        if sides and regions:
            raise ValueError(f"{self.id}: a concept's codes depend on side or region, not both")
        if not sides and not regions and len(self.codes) > 1:
            raise ValueError(f"{self.id}: several codes need a side or region each")
        if len({c.side for c in self.codes} | {c.region for c in self.codes}) < len(self.codes):
            raise ValueError(f"{self.id}: two codes for the same side or region")
        if not (self.phrases or self.abbreviations) and not self.codes:
            raise ValueError(f"{self.id}: a concept needs words or codes")
        return self


class Site(Frozen):
    """A body site named before or after a pain word ("neck pain", "pain in the R hip")."""

    id: str
    words: list[str] = Field(min_length=1)
    regions: list[Region] = Field(min_length=1, description="Regions of a myalgia there.")
    pain: str | None = Field(
        default=None, description="Concept of pain at this site; none when no code exists."
    )
    follows: bool = Field(
        default=False,
        description="Written as a prepositional phrase that follows the pain word directly.",
    )


class PainGrammar(Frozen):
    """The words around a pain word that keep it one statement: sides, sites, joiners and
    modifiers before it, a preposition and sites after it."""

    nouns: list[str] = Field(min_length=1, description="pain, ache, discomfort ...")
    myofascial: list[str] = Field(min_length=1, description="Words that make it a myalgia.")
    myofascial_nouns: list[str] = Field(
        default_factory=list, description="Extra heads only after a myofascial word (syndrome)."
    )
    myalgia: str = Field(description="The concept of a myofascial pain.")
    modifiers: list[str] = Field(default_factory=list, description="chronic, mechanical ...")
    referral: list[str] = Field(
        default_factory=list, description="Words that make a pain a referral pattern."
    )
    joiners: list[str] = Field(min_length=1, description="and, /, comma ...")
    prepositions: list[str] = Field(min_length=1, description="in, of, at ...")
    determiners: list[str] = Field(default_factory=list)
    after_max: int = Field(default=6, ge=1, description="Tokens read after the pain word.")


class Combination(Frozen):
    """Two conditions stated together that one combination code covers."""

    concepts: list[str] = Field(min_length=2, max_length=2)
    into: str
    side_from: str
    source: str = Field(min_length=5)


class DiagnosisContext(Frozen):
    """ConText for diagnoses: the categories of ``context_rules.yaml`` whose rules reach a
    PROBLEM target, the status each category gives, and rules of our own for diagnoses."""

    statuses: dict[str, DiagnosisStatus] = Field(
        min_length=1, description="Modifier category -> status of the diagnosis it reaches."
    )
    terminated_by: dict[str, list[str]] = Field(default_factory=dict)
    rule_sets: list[ContextRuleSet] = Field(default_factory=list)
    other_person_sections: list[str] = Field(
        default_factory=list, description="Sections whose diagnoses are someone else's."
    )

    @model_validator(mode="after")
    def _rules_reach_problems(self) -> DiagnosisContext:
        for rule_set in self.rule_sets:
            if rule_set.allowed_types != ["PROBLEM"]:
                raise ValueError("diagnosis rule sets apply to PROBLEM targets only")
            if rule_set.regexes:
                raise ValueError("diagnosis rule sets take literals and token patterns only")
            pseudo = rule_set.direction in ("PSEUDO", "TERMINATE")
            if not pseudo and rule_set.category not in self.statuses:
                raise ValueError(f"category {rule_set.category} gives no status")
        return self


class DiagnosisLexicon(FileHeader):
    """``lexicons/diagnoses.yaml``."""

    icd10cm_release: str = Field(min_length=4, description="The release the codes are from.")
    written_code_pattern: str = Field(
        min_length=4, description="A code written in the note (validated by the package)."
    )
    specific_cause_codes: list[str] = Field(
        default_factory=list,
        description="Prefixes of written codes that name a specific cause of low back pain.",
    )
    grammar: PainGrammar
    sites: list[Site] = Field(min_length=1)
    muscle_regions: dict[str, Region] = Field(
        min_length=1, description="Region or group of the muscle lexicon -> myalgia region."
    )
    context: DiagnosisContext
    combinations: list[Combination] = Field(default_factory=list)
    concepts: list[DiagnosisConcept] = Field(min_length=1)

    @field_validator("written_code_pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError("written_code_pattern is not a regular expression") from exc
        return value

    @model_validator(mode="after")
    def _references(self) -> DiagnosisLexicon:
        ids = [c.id for c in self.concepts]
        if len(ids) != len(set(ids)):
            raise ValueError("concept ids must be unique")
        known = set(ids)
        named = [s.pain for s in self.sites if s.pain] + [self.grammar.myalgia]
        named += [i for c in self.concepts for i in c.covered_by]
        named += [i for m in self.combinations for i in [*m.concepts, m.into, m.side_from]]
        unknown = sorted(set(named) - known)
        if unknown:
            raise ValueError(f"unknown concepts named: {unknown}")
        return self
