"""Every sentence of the procedure note rests on the dictation, over every golden dictation and
whole note (fixtures/golden/*): a sentence is a gap, a reviewer's addition, or it has spans,
and each span's words say what the sentence claims from them.

The checks read the words with the lexicons and a number parser, not with the builder's code:
a muscle's span must hold one of its names or abbreviations (or, for a spelling matched
approximately, come close to one), a side's span a side word of that side, a number's span
that number (digits or words), a quote must be the span's words, shown verbatim.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from text_to_num import alpha2digit

from scribe import EncounterContext, Scribe
from scribe.evaluation.golden import SETS, GoldenCase, load_cases
from scribe.lexicons import Lexicons, load_lexicons
from scribe.nlp.normalize import NormalizedText, normalize
from scribe.nlp.spinal_levels import region_after
from scribe.procedure_note import ProcedureNote, build_procedure_note
from scribe.schemas.note import Note
from scribe.schemas.procedure_note import Fact, Sentence

GOLDEN = Path(__file__).resolve().parents[2] / "fixtures" / "golden"
CASES = [case for name in SETS for case in load_cases(GOLDEN / name)]
DOS = dt.date(2026, 3, 2)
# Every note shows each of these, as facts or as a gap.
REQUIRED = {
    "muscle",
    "diagnosis",
    "limitation",
    "finding",
    "technique",
    "injectate",
    "pain_before",
    "pain_after",
    "rom",
    "tolerance",
    "consent",
    "code",
}
# A muscle named across a list or pointed back to rests on a stretch of words; a stretch this
# long no longer shows which words name it.
MAX_SPAN = 200
GAP = re.compile(r"^[A-Z][^.]*: (not documented|none \(see the coding prompts\))\.$")


@cache
def _lexicons() -> Lexicons:
    return load_lexicons()


@cache
def _muscle_terms() -> dict[str, tuple[set[str], set[str]]]:
    """muscle name -> (phrases, lower-cased; abbreviations, as written)."""
    lex = _lexicons()
    by_id: dict[str, tuple[set[str], set[str]]] = {}
    for term in lex.terms():
        if term.label != "MUSCLE":
            continue
        phrases, abbreviations = by_id.setdefault(term.entry_id, (set(), set()))
        (abbreviations if term.case_sensitive else phrases).add(
            term.text if term.case_sensitive else term.text.lower()
        )
    return {m.name: by_id.get(m.id, (set(), set())) for m in lex.muscles.muscles}


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


_SPELT = re.compile(r"\b[A-Z](?:[\s.-]+[A-Z])+\b")


def _names_muscle(span_text: str, name: str, *, fuzzy: bool) -> bool:
    """The span holds every word of one of the muscle's names (a list may share a word: "upper
    and middle trapezius"), one of its abbreviations (or spelt letter by letter), or, for a
    spelling matched approximately, something close to one of its names."""
    phrases, abbreviations = _muscle_terms()[name]
    words = set(_words(span_text).split())
    if any(set(_words(p).split()) <= words for p in phrases):
        return True
    if set(re.findall(r"[A-Za-z]+", span_text)) & abbreviations:
        return True
    # an abbreviation spelt letter by letter ("E C R B"), alone or inside the span ("S C M, the
    # left scalenes, and then the same on the right")
    spelt = {"".join(re.findall(r"[A-Za-z]", r)).upper() for r in _SPELT.findall(span_text)}
    if "".join(re.findall(r"[A-Za-z]", span_text)).upper() in {a.upper() for a in abbreviations}:
        return True
    if spelt & {a.upper() for a in abbreviations}:
        return True
    if fuzzy:
        squashed = _words(span_text).replace(" ", "")
        return any(
            difflib.SequenceMatcher(None, squashed, _words(p).replace(" ", "")).ratio() >= 0.75
            for p in phrases
        )
    return False


def _has_side(span_text: str, side: str) -> bool:
    words = getattr(_lexicons().laterality, side)
    text = f" {_words(span_text)} "
    if any(f" {_words(p)} " in text for p in words.phrases if _words(p)):
        return True
    return bool(set(re.findall(r"[A-Za-z]+", span_text)) & set(words.abbreviations))


def _names_side(span_text: str, side: str) -> bool:
    """The span says the side (bilateral: a word for both, or one for each), or names it by
    the side said before it ("contralateral", "the opposite side")."""
    if _has_side(span_text, side) or span_text.lower() in _opposite_words():
        return True
    return side == "bilateral" and _has_side(span_text, "right") and _has_side(span_text, "left")


@cache
def _opposite_words() -> frozenset[str]:
    relative = load_lexicons().laterality.relative_sides
    return frozenset(w.lower() for w in [*relative.opposite, *relative.opposite_complaint])


def _numbers_in(span_text: str) -> set[float]:
    # a dictation wrapped mid-number ("seventy\nfive") is still one number
    spoken = " ".join(span_text.lower().split()).replace("hundred and", "hundred")
    digits = alpha2digit(spoken, "en")
    # spoken hundreds of range of motion: "one twenty" reads "1 20", meaning 120
    digits = re.sub(r"\b([1-9]) ([1-9]\d)\b", r"\1\2", digits)
    # text2num leaves a lone "one" as a word (it may be a pronoun): "one out of ten" is 1
    digits = re.sub(r"\bone\b", "1", digits)
    return {float(n) for n in re.findall(r"\d+(?:\.\d+)?", digits)}


def _named_by_level(span_text: str, name: str, source: str, end: int) -> bool:
    """A spinal level said right after the span names the muscle's part: "multifidus at L four
    L five" names the multifidus lumborum as "lumbar multifidus" does."""
    region = region_after(source, end)
    return region is not None and _names_muscle(f"{region} {span_text}", name, fuzzy=False)


@cache
def _normalized(source: str) -> NormalizedText:
    return normalize(source)


def _read_in(source: str, start: int, end: int) -> str:
    """What the pipeline read of the dictation's characters [start, end): a name broken by a
    hyphen across a printed page's footer and repeated header is read as one word."""
    read = _normalized(source)
    return "".join(c for c, at in zip(read.text, read.offsets, strict=True) if start <= at < end)


def _fact_problem(fact: Fact, sentence: Sentence, source: str, note: Note) -> str | None:
    evidence = fact.evidence
    if source[evidence.start : evidence.end] != evidence.text or not evidence.text.strip():
        return "span is not the dictation's words"
    if fact.kind == "muscle" and len(_read_in(source, evidence.start, evidence.end)) > MAX_SPAN:
        return "span too long to name one muscle"
    shown = sentence.text.lower()
    if fact.kind == "quote":
        if fact.value != evidence.text or f'"{fact.value}"' not in sentence.text:
            return "quote not shown verbatim"
    elif fact.kind == "muscle":
        # a misspelling ("upper trapezious") may be quoted where the muscle is also named
        # exactly elsewhere: close to the name is enough, when the words name no muscle exactly
        fuzzy = any(m.match == "fuzzy" for m in note.muscles if m.name == fact.value) or not any(
            _names_muscle(evidence.text, other, fuzzy=False) for other in _muscle_terms()
        )
        if fact.value not in shown:
            return "muscle not named in the sentence"
        if not _names_muscle(evidence.text, fact.value, fuzzy=fuzzy) and not _named_by_level(
            evidence.text, fact.value, source, evidence.end
        ):
            return f"span does not name {fact.value}"
    elif fact.kind == "side":
        if not _names_side(evidence.text, fact.value):
            return f"span does not say {fact.value}"
    elif fact.kind == "number" and float(fact.value) not in _numbers_in(evidence.text):
        return f"span does not state {fact.value}"
    return None


def _sentence_problems(sentence: Sentence, source: str, note: Note) -> Iterator[str]:
    if sentence.origin == "gap":
        if sentence.facts or not GAP.match(sentence.text):
            yield "a gap must say 'not documented' and rest on nothing"
        return
    if sentence.origin == "reviewer":
        yield "no reviewer corrections in golden cases"
        return
    if sentence.origin == "unquoted":
        # the extraction confirms nothing was injected from a form without keeping its words
        if sentence.facts or sentence.element != "injectate" or note.injectate.statements:
            yield "only an injectate status without statements may be unquoted"
        if not sentence.text.endswith(": recorded without dictated words to quote."):
            yield "an unquoted sentence says so"
        return
    if not sentence.facts:
        yield "no span"
    for fact in sentence.facts:
        problem = _fact_problem(fact, sentence, source, note)
        if problem:
            yield f"{fact.kind} {fact.value!r}: {problem}"
    sides = {f.value for f in sentence.facts if f.kind == "side"}
    for fact in sentence.facts:
        side = fact.laterality
        shown = f"{side} {fact.value}"
        if (
            fact.kind == "muscle"
            and side in ("right", "left", "bilateral")
            and shown in sentence.text.lower()
        ) and side not in sides:
            yield f"side of {fact.value} shown without the words that give it"


@cache
def _scribe() -> Scribe:
    return Scribe()


def procedure_note_of(case: GoldenCase) -> tuple[Note, ProcedureNote]:
    result = _scribe().extract(case.text, EncounterContext(dos=DOS))
    return result.note, build_procedure_note(result.note, result.coding, text=case.text)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_procedure_note_every_sentence_rests_on_the_dictation(case: GoldenCase) -> None:
    note, procedure_note = procedure_note_of(case)
    problems = [
        f"{s.text} -> {problem}"
        for s in procedure_note.sentences
        for problem in _sentence_problems(s, case.text, note)
    ]
    assert not problems, "\n".join(problems)
    elements = {s.element for s in procedure_note.sentences}
    assert elements >= REQUIRED, f"missing {sorted(REQUIRED - elements)}"


def test_procedure_note_golden_sets_are_all_checked() -> None:
    assert len(CASES) >= 300
    assert len({case.id for case in CASES}) == len(CASES)
