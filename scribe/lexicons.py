"""Load and index the data files in ``lexicons/`` (validated on load, read once per process)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from scribe.config import get_settings
from scribe.errors import LexiconError
from scribe.schemas.lexicon import (
    ContextLexicon,
    FindingLexicon,
    LateralityLexicon,
    LexiconGroup,
    LexiconMuscle,
    MuscleLexicon,
    ProcedureLexicon,
    SectionLexicon,
    StatementLexicon,
    SubstanceLexicon,
)

Model = TypeVar("Model", bound=BaseModel)
TargetLabel = Literal["MUSCLE", "GROUP", "SUBSTANCE", "FINDING"]

# Last words that take no English plural: Latin genitives, adjectives, already-plural forms.
_NO_PLURAL = re.compile(r"(?:is|ae|um|i|s|x|al|ar|ii|ata)$")


def any_of(patterns: list[str]) -> re.Pattern[str]:
    """A lexicon's list of regular expressions as one case-insensitive alternation (one pass
    over the text); an empty list matches nothing."""
    return re.compile("|".join(f"(?:{p})" for p in patterns) or "$^", re.IGNORECASE)


def read_model(
    path: Path, model: type[Model], *, error: type[LexiconError] = LexiconError
) -> Model:
    """Read one YAML data file and validate it; errors name the file and the fields at fault."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise error(f"{path}: data file missing") from exc
    except OSError as exc:
        raise error(f"{path}: cannot read the data file ({exc.strerror})") from exc
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise error(f"{path}: not valid YAML ({exc})") from exc
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise error(f"{path}: does not match its schema: {summarise_validation(exc)}") from exc


def summarise_validation(exc: ValidationError, limit: int = 5) -> str:
    """The first few validation errors on one line: ``where: what; ...``."""
    parts = []
    for err in exc.errors()[:limit]:
        where = ".".join(str(p) for p in err["loc"]) or "file"
        parts.append(f"{where}: {err['msg']}")
    more = exc.error_count() - len(parts)
    return "; ".join(parts) + (f" (and {more} more)" if more > 0 else "")


def plural_variants(phrase: str) -> set[str]:
    """The phrase plus the plural of its last word ("upper trap" -> "upper traps")."""
    words = phrase.split(" ")
    last = words[-1]
    out = {phrase}
    if last.endswith("us") and len(last) > 4:
        out.add(" ".join([*words[:-1], last[:-2] + "i"]))
    elif not _NO_PLURAL.search(last) and last.isalpha():
        out.add(" ".join([*words[:-1], last + "s"]))
    return out


# How clinicians shorten the first word of a name: the direction word of a subdivision
# ("post. deltoid", "ant scalene") or the action of a forearm or leg muscle ("ext digitorum",
# "flex hallucis longus").
_SHORT_FIRST_WORDS = {
    "extensor": ("ext", "ext."),
    "flexor": ("flex", "flex."),
    "anterior": ("ant", "ant."),
    "posterior": ("post", "post."),
    "middle": ("mid", "mid."),
    "medial": ("med", "med."),
    "lateral": ("lat", "lat."),
    "superior": ("sup", "sup."),
    "inferior": ("inf", "inf."),
}


def spelling_variants(phrase: str) -> set[str]:
    """Hyphen, space, plural and short-first-word variants of a lower-cased phrase."""
    base = " ".join(phrase.lower().split())
    forms = {base}
    if "-" in base:
        forms.add(base.replace("-", " "))
        forms.add(base.replace("-", ""))
    first, _, rest = base.partition(" ")
    if rest and first in _SHORT_FIRST_WORDS:
        forms |= {f"{short} {rest}" for short in _SHORT_FIRST_WORDS[first]}
    out: set[str] = set()
    for form in forms:
        out |= plural_variants(form)
    return out


@dataclass(frozen=True)
class Term:
    """One string the target matcher looks for, and what it names."""

    text: str
    label: TargetLabel
    entry_id: str
    case_sensitive: bool = False


@dataclass(frozen=True)
class Lexicons:
    """Every data file the NLP pipeline needs, validated."""

    directory: Path
    muscles: MuscleLexicon
    substances: SubstanceLexicon
    findings: FindingLexicon
    laterality: LateralityLexicon
    context: ContextLexicon
    statements: StatementLexicon
    sections: SectionLexicon
    procedures: ProcedureLexicon
    muscle_by_id: dict[str, LexiconMuscle] = field(default_factory=dict)
    group_by_id: dict[str, LexiconGroup] = field(default_factory=dict)

    def counting_id(self, muscle_id: str) -> str:
        """The muscle a subdivision counts as (itself when it is not a subdivision)."""
        muscle = self.muscle_by_id[muscle_id]
        return muscle.parent if muscle.parent else muscle.id

    def bracketed_terms(self) -> Iterator[Term]:
        """Muscle and group names as templates and other languages write them: a synonym's
        word in brackets (``bracketed_forms``), a part's qualifier after its muscle
        (``postposed_forms``); for the phrase matcher only: they are not names a reviewer
        types or a fuzzy match."""
        for muscle in self.muscles.muscles:
            for form in bracketed_forms([muscle.name, *muscle.synonyms]):
                yield Term(form, "MUSCLE", muscle.id)
            parent = self.muscle_by_id.get(muscle.parent) if muscle.parent else None
            if parent is not None:
                for form in postposed_forms([muscle.name, *muscle.synonyms], parent.name):
                    yield Term(form, "MUSCLE", muscle.id)
        for group in self.muscles.groups:
            for form in bracketed_forms([group.name, *group.synonyms]):
                yield Term(form, "GROUP", group.id)

    def terms(self) -> Iterator[Term]:
        """All target strings: muscles, groups, substances and findings."""
        for muscle in self.muscles.muscles:
            yield from _entry_terms("MUSCLE", muscle.id, muscle.name, muscle.synonyms)
            yield from _abbreviation_terms("MUSCLE", muscle.id, muscle.abbreviations)
        for group in self.muscles.groups:
            yield from _entry_terms("GROUP", group.id, group.name, group.synonyms)
            yield from _abbreviation_terms("GROUP", group.id, group.abbreviations)
        for substance in self.substances.substances:
            yield from _entry_terms("SUBSTANCE", substance.id, substance.name, substance.synonyms)
        for kind, phrases in self.findings.findings.items():
            for phrase in phrases.phrases:
                yield from _entry_terms("FINDING", kind, phrase, [])
            yield from _abbreviation_terms("FINDING", kind, phrases.abbreviations)


def bracketed_forms(names: list[str]) -> list[str]:
    """Two names of one muscle that differ in one word, written as one with the other's word
    in brackets, as EHR templates do: "fibularis (peroneus) longus", "peroneus (fibularis)
    longus"."""
    split = [" ".join(n.lower().split()).split(" ") for n in names]
    forms: set[str] = set()
    for words in split:
        for other in split:
            if len(words) != len(other) or words == other:
                continue
            differ = [i for i, (a, b) in enumerate(zip(words, other, strict=True)) if a != b]
            if len(differ) == 1:
                i = differ[0]
                forms.add(" ".join([*words[: i + 1], f"({other[i]})", *words[i + 1 :]]))
    return sorted(forms)


def postposed_forms(names: list[str], parent: str) -> list[str]:
    """A part of a muscle with its qualifier after the muscle, as Spanish, Portuguese and
    Italian order them and their writers carry into English: "trapezius superior", "deltoid
    anterior" for the names "superior trapezius" and "anterior deltoid" of the parts of
    "trapezius" and "deltoid"."""
    whole = " ".join(parent.lower().split())
    forms = set()
    for name in names:
        words = " ".join(name.lower().split())
        if words.endswith(" " + whole):
            part = words[: -len(whole) - 1]
            if part and " " not in part:
                forms.add(f"{whole} {part}")
    return sorted(forms)


def _entry_terms(
    label: TargetLabel, entry_id: str, name: str, synonyms: list[str]
) -> Iterator[Term]:
    seen: set[str] = set()
    for phrase in [name, *synonyms]:
        # sorted: a set's order changes from process to process (string hashing), and matchers
        # that keep the first of two alike names would then differ between workers
        for form in sorted(spelling_variants(phrase)):
            if form not in seen:
                seen.add(form)
                yield Term(form, label, entry_id)


def _abbreviation_terms(
    label: TargetLabel, entry_id: str, abbreviations: list[str]
) -> Iterator[Term]:
    for abbreviation in abbreviations:
        yield Term(abbreviation, label, entry_id, case_sensitive=True)
        if abbreviation[-1].isupper():
            yield Term(abbreviation + "s", label, entry_id, case_sensitive=True)


@cache
def load_lexicons(directory: Path | None = None) -> Lexicons:
    """Read every NLP data file once per process (cached by folder)."""
    folder = directory or get_settings().lexicon_dir
    muscles = read_model(folder / "muscles.yaml", MuscleLexicon)
    return Lexicons(
        directory=folder,
        muscles=muscles,
        substances=read_model(folder / "substances.yaml", SubstanceLexicon),
        findings=read_model(folder / "findings.yaml", FindingLexicon),
        laterality=read_model(folder / "laterality.yaml", LateralityLexicon),
        context=read_model(folder / "context_rules.yaml", ContextLexicon),
        statements=read_model(folder / "statements.yaml", StatementLexicon),
        sections=read_model(folder / "sections.yaml", SectionLexicon),
        procedures=read_model(folder / "procedures.yaml", ProcedureLexicon),
        muscle_by_id={m.id: m for m in muscles.muscles},
        group_by_id={g.id: g for g in muscles.groups},
    )
