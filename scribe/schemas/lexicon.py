"""Schemas of the data files in ``lexicons/``: validated on load, nothing extra allowed."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from scribe.schemas.asr_lexicon import (
    AsrCheck,
    AsrDecoding,
    AsrLexicon,
    AsrVocabulary,
    LowConfidencePrompt,
)
from scribe.schemas.common import FileHeader, Frozen, Patterns
from scribe.schemas.note import DocumentKind
from scribe.schemas.sections import SectionCategory, SectionLexicon

__all__ = [
    "AsrCheck",
    "AsrDecoding",
    "AsrLexicon",
    "AsrVocabulary",
    "DocumentKind",
    "FileHeader",
    "LowConfidencePrompt",
    "SectionCategory",
    "SectionLexicon",
]

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _check_id(value: str) -> str:
    if not _ID.match(value):
        raise ValueError(f"ids are lower-case kebab-case: {value!r}")
    return value


class LexiconMuscle(Frozen):
    """One muscle or subdivision clinicians can name and needle."""

    id: str
    name: str = Field(description="Canonical English name, subdivision included.")
    region: str
    group: str
    parent: str | None = Field(
        default=None, description="Id of the muscle this is a subdivision of (counts as it)."
    )
    components: list[str] = Field(
        default_factory=list,
        description=(
            'Separate muscles this name covers as a whole ("scalenes"): named beside them on '
            "one side, the whole is not another muscle. Unlike parts, components count apiece."
        ),
    )
    source_name: str | None = Field(
        default=None, description="Name in the Human Reference Atlas table; null if ours."
    )
    ontology_id: str | None = Field(default=None, pattern=r"^(UBERON|FMA):\d+$")
    synonyms: list[str] = Field(
        default_factory=list, description="Case-insensitive phrases (plurals are generated)."
    )
    abbreviations: list[str] = Field(
        default_factory=list, description="Case-sensitive single tokens such as 'UT' or 'QL'."
    )

    @field_validator("id", "parent")
    @classmethod
    def _ids_are_kebab(cls, value: str | None) -> str | None:
        return None if value is None else _check_id(value)


class LexiconGroup(Frozen):
    """A group ("rotator cuff") or vague region ("paraspinals"): never a countable muscle."""

    id: str
    name: str
    kind: Literal["group", "vague"]
    members: list[str] = Field(default_factory=list)
    synonyms: list[str] = Field(default_factory=list)
    abbreviations: list[str] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _id_is_kebab(cls, value: str) -> str:
        return _check_id(value)


class MuscleLexicon(FileHeader):
    context_required: list[str] = Field(
        default_factory=list,
        description="Names that are also common words or other terms: a muscle only where the "
        "words around them support one (plurals included).",
    )
    listed_only: list[str] = Field(
        default_factory=list,
        description="Abbreviations that name a muscle only in a list of muscles: beside another "
        "muscle name or with a side word next to them, never before a word of the spine.",
    )
    muscles: list[LexiconMuscle] = Field(min_length=1)
    groups: list[LexiconGroup] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references_resolve(self) -> MuscleLexicon:
        ids = [m.id for m in self.muscles]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate muscle ids: {dupes}")
        known = set(ids)
        for m in self.muscles:
            if m.parent is not None and m.parent not in known:
                raise ValueError(f"{m.id}: unknown parent {m.parent!r}")
            unknown = [c for c in m.components if c not in known]
            if unknown:
                raise ValueError(f"{m.id}: unknown components {unknown}")
        group_ids = [g.id for g in self.groups]
        if len(group_ids) != len(set(group_ids)) or known & set(group_ids):
            raise ValueError("group ids must be unique and distinct from muscle ids")
        for g in self.groups:
            missing = [x for x in g.members if x not in known]
            if missing:
                raise ValueError(f"group {g.id}: unknown members {missing}")
        names = {
            n.lower()
            for entry in self.muscles
            for n in [entry.name, *entry.synonyms, *entry.abbreviations]
        } | {
            n.lower()
            for group in self.groups
            for n in [group.name, *group.synonyms, *group.abbreviations]
        }
        unknown_terms = [
            t for t in [*self.context_required, *self.listed_only] if t.lower() not in names
        ]
        if unknown_terms:
            raise ValueError(f"context_required or listed_only names no entry: {unknown_terms}")
        return self


class LexiconSubstance(Frozen):
    """A substance that can be injected into a trigger point."""

    id: str
    name: str
    category: Literal[
        "local_anesthetic",
        "corticosteroid",
        "saline",
        "botulinum_toxin",
        "dextrose",
        "homeopathic",
        "nsaid",
        "other",
        "unspecified",
    ]
    synonyms: list[str] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _id_is_kebab(cls, value: str) -> str:
        return _check_id(value)


class SubstanceLexicon(FileHeader):
    substances: list[LexiconSubstance] = Field(min_length=1)


class PhraseSet(Frozen):
    """Case-insensitive phrases plus case-sensitive single-token abbreviations."""

    phrases: list[str] = Field(default_factory=list)
    abbreviations: list[str] = Field(default_factory=list)


class FindingPhrases(PhraseSet):
    """A finding's phrases; ``needs_muscle``: those of them that name a finding only in a
    sentence that names a muscle ("a knot in the R UT", not "a nodule over the A1 pulley")."""

    needs_muscle: list[str] = Field(default_factory=list)


class FindingLexicon(FileHeader):
    """Trigger-point findings by kind, and the phrases that name them."""

    findings: dict[str, FindingPhrases]


class RelativeSides(Frozen):
    """Side words that name a side by another one said in the note (lower case, whole words)."""

    same: list[str] = Field(
        default_factory=list,
        description='The side said last before them: "on that same side", "the same leg".',
    )
    opposite: list[str] = Field(
        default_factory=list,
        description='The other side than the one said last before them: "the opposite side".',
    )
    complaint: list[str] = Field(
        default_factory=list,
        description=(
            'The side of the complaint, the first left or right the note says: "the '
            'symptomatic side", "the involved side", "ipsilateral".'
        ),
    )
    opposite_complaint: list[str] = Field(
        default_factory=list,
        description='The other side than the complaint\'s: "contralateral", "contra".',
    )
    unknown: list[str] = Field(
        default_factory=list,
        description='A side that is one of two, which one not said: "worse on one side".',
    )


class LateralityLexicon(FileHeader):
    right: PhraseSet
    left: PhraseSet
    bilateral: PhraseSet
    not_a_side: list[str] = Field(
        default_factory=list,
        description="Phrases where a side word describes a position or something else.",
    )
    motion_phrases: list[str] = Field(
        default_factory=list,
        description='Direction phrases ("to the left") that are no side after a motion word.',
    )
    motion_words: list[str] = Field(default_factory=list)
    counted_nouns: list[str] = Field(
        default_factory=list,
        description=(
            'Nouns that "both" counts when they follow the muscle name: "both multifidus '
            'levels" is two levels, not two sides.'
        ),
    )
    labelled_regions: list[str] = Field(
        default_factory=list,
        description=(
            'Body regions that a side letter labels before a colon ("L forearm: ECRL, ECRB"): '
            "the letter is the side of the list after it, as a side word would be."
        ),
    )
    relative_sides: RelativeSides = Field(default_factory=lambda: RelativeSides())


class ContextRuleSet(Frozen):
    """Rules sharing their category, direction and target types."""

    category: str
    direction: Literal["FORWARD", "BACKWARD", "BIDIRECTIONAL", "TERMINATE", "PSEUDO"]
    allowed_types: list[str] | None = None
    max_scope: int | None = Field(default=None, gt=0)
    literals: list[str] = Field(default_factory=list)
    patterns: list[list[dict[str, object]]] = Field(default_factory=list)
    regexes: Patterns = Field(
        default_factory=list,
        description=(
            "Regular expressions over the note's text, case-sensitive unless they say (?i). "
            "A match counts only where it begins and ends on token boundaries. Cheaper than "
            "token patterns whose predicates run on every word."
        ),
    )
    apart: bool = Field(
        default=False,
        description=(
            "Matched apart from the other rules: a match never displaces an overlapping "
            'modifier (an inline heading "Dry Needling:" keeps its needling words).'
        ),
    )


class ContextFusion(Frozen):
    """A head modifier ("declined", "consider") and the needling words right after it
    ("DN", "needling") merge into one modifier of the head's category."""

    category: str
    direction: Literal["FORWARD", "BACKWARD", "BIDIRECTIONAL"]
    allowed_types: list[str] = Field(min_length=1, description="Target types it modifies.")
    max_scope: int | None = Field(default=None, gt=0)
    heads: list[str] = Field(min_length=1)
    fillers: list[str] = Field(default_factory=list)
    nouns: list[str] = Field(min_length=1)
    max_gap: int = Field(default=4, ge=0, description="Filler words allowed between them.")
    free_words: int = Field(
        default=0,
        ge=0,
        description="Words of any kind (no punctuation) allowed in the gap besides the fillers, "
        "after one of ``free_word_heads``: a plan's own verb said between ('we'll think about "
        "needling', 'will probably add needling').",
    )
    free_word_heads: list[str] = Field(default_factory=list)
    predicates: list[str] = Field(
        default_factory=list,
        description="Categories of a modifier right after the needling words that says what "
        "happened to them and so belongs to the merged one: the 'was performed to' of 'no "
        "needling was performed to the L UT'.",
    )
    predicate_fillers: list[str] = Field(
        default_factory=list, description="Words allowed between the needling words and it."
    )


class RunOnReach(Frozen):
    """Unpunctuated speech: how far some modifiers reach in a long sentence with no comma, or
    in one so long that only a recogniser writes it."""

    min_words: int = Field(ge=5)
    max_sentence_words: int | None = Field(
        default=None, ge=20, description="A sentence of more words is a run-on, commas or not."
    )
    reach: dict[str, int] = Field(default_factory=dict, description="Category -> tokens.")
    spoken_backward_reach: dict[str, int] = Field(
        default_factory=dict,
        description="Category -> tokens it reaches back in such a sentence of a transcript.",
    )


class ContextLexicon(FileHeader):
    terminated_by: dict[str, list[str]] = Field(
        default_factory=dict, description="Category -> categories that end its scope."
    )
    run_on: RunOnReach | None = None
    bracket_bound: list[str] = Field(
        default_factory=list,
        description="Categories whose scope, said inside brackets, ends at the closing one.",
    )
    list_bound: list[str] = Field(
        default_factory=list,
        description="Categories whose backward scope takes in the whole list of names it reaches.",
    )
    list_onward: list[str] = Field(
        default_factory=list,
        description="Categories whose forward scope, ending inside a list of names, takes in "
        "the rest of that list.",
    )
    drug_bound: list[str] = Field(
        default_factory=list,
        description="Categories whose forward scope, first reaching a drug, ends before a finding.",
    )
    said_of_a_name: list[str] = Field(
        default_factory=list,
        description="Terminating words that, said right after the last muscle name of a "
        "sentence, restrict that name and end no scope ('R adductor pollicis only, one "
        "muscle, two needles').",
    )
    one_name_back: list[str] = Field(
        default_factory=list,
        description="Pronouns that point back at one name ('that one', 'it'): a modifier "
        "reaching back from words holding one reaches only the nearest name before it.",
    )
    fusions: list[ContextFusion] = Field(default_factory=list)
    rule_sets: list[ContextRuleSet] = Field(min_length=1)

    @model_validator(mode="after")
    def _literals_unique(self) -> ContextLexicon:
        # Overlapping matches are pruned to one, so a literal in two sets would lose one at random.
        seen: dict[str, str] = {}
        for rule_set in self.rule_sets:
            where = f"{rule_set.category}/{rule_set.direction}"
            for literal in rule_set.literals:
                key = literal.lower()
                if key in seen:
                    raise ValueError(f"literal {literal!r} is in {seen[key]} and {where}")
                seen[key] = where
        return self

    @model_validator(mode="after")
    def _bounds_name_categories(self) -> ContextLexicon:
        # a category misspelt in a scope rule would silently do nothing
        known = {rule_set.category for rule_set in self.rule_sets}
        for field in ("bracket_bound", "list_bound", "list_onward", "drug_bound"):
            unknown = sorted(set(getattr(self, field)) - known)
            if unknown:
                raise ValueError(f"{field} names no rule category: {', '.join(unknown)}")
        return self


class StatementLexicon(FileHeader):
    """Regular expressions (case-insensitive) for statements matched on sentence text."""

    statements: dict[str, list[str]]


ProcedureKindId = Literal[
    "dry_needling",
    "trigger_point_injection",
    "chemodenervation",
    "acupuncture",
    "injection",
    "needle_electrodiagnosis",
]


class ProcedureKind(Frozen):
    id: ProcedureKindId
    name: str
    service: Literal["dry_needling", "trigger_point_injection"] | None = Field(
        default=None, description="The billing service of lexicons/billing it is coded as."
    )
    technique: Literal["needling", "injection"] | None = None
    prompt: str | None = Field(
        default=None, description="Prompt raised when it was done today (it is not billed)."
    )


class ProcedureTrigger(Frozen):
    category: str
    kind: ProcedureKindId | None = Field(
        description="None: a generic verb that speaks of whatever procedure the note proved."
    )
    strength: Literal["strong", "weak"]


class ProcedureTime(Frozen):
    not_done: list[str] = Field(min_length=1)
    planned: list[str] = Field(min_length=1)
    past: list[str] = Field(min_length=1)
    current: list[str] = Field(default_factory=list)
    other_person: list[str] = Field(default_factory=list)


class ProcedureSections(Frozen):
    past: list[SectionCategory] = Field(default_factory=list)
    planned: list[SectionCategory] = Field(default_factory=list)
    other_person: list[SectionCategory] = Field(default_factory=list)
    ignored: list[SectionCategory] = Field(default_factory=list)
    binding: dict[SectionCategory, ProcedureKindId] = Field(default_factory=dict)
    generic: list[SectionCategory] = Field(default_factory=list)


class InjectionRules(Frozen):
    trigger_point_findings: list[str] = Field(default_factory=list)
    chemodenervation_substances: list[str] = Field(default_factory=list)
    not_trigger_point_routes: Patterns = Field(default_factory=list)
    not_trigger_point_sites: Patterns = Field(default_factory=list)


class ProcedureLexicon(FileHeader):
    kinds: list[ProcedureKind] = Field(min_length=1)
    triggers: list[ProcedureTrigger] = Field(min_length=1)
    time: ProcedureTime
    sections: ProcedureSections
    injections: InjectionRules
    reports_without_weak_words: list[DocumentKind] = Field(default_factory=list)
    acupuncture_takes: list[str] = Field(
        default_factory=list,
        description="ConText categories whose words are acupuncture in a note that documents "
        "acupuncture done today.",
    )

    @model_validator(mode="after")
    def _kinds_known(self) -> ProcedureLexicon:
        known = {k.id for k in self.kinds}
        used = {t.kind for t in self.triggers if t.kind} | set(self.sections.binding.values())
        missing = sorted(used - known)
        if missing:
            raise ValueError(f"procedure kinds used but not declared: {missing}")
        return self

    def kind(self, kind_id: str) -> ProcedureKind:
        return next(k for k in self.kinds if k.id == kind_id)
