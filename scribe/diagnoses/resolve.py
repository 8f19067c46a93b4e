"""From the diagnoses found in a doc to the note's diagnoses: codes, merging and the claim.

Each mention takes the code its concept gives for its side or region (a bilateral pain with
no bilateral code takes the right and the left code); mentions of one code merge into one
diagnosis, which is today's when any of its mentions is. Then, by the rules of
``diagnoses.yaml``: two conditions one combination code covers become that code; a diagnosis
covered by a more specific one stated today is not coded again; when the note writes billable
codes of its own, they are the claim's diagnoses and the words add none.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc

from scribe.diagnoses import icd
from scribe.diagnoses.finder import Found
from scribe.schemas.diagnoses import DiagnosisConcept, DiagnosisLexicon

Data = dict[str, Any]
Quote = Callable[[int, int], Data]  # character offsets of the doc -> evidence in the dictation
_STATUS_RANK = ("current", "hypothetical", "historical", "negated", "other_person")


@dataclass
class _Entry:
    code: str | None
    concept: DiagnosisConcept | None
    side: str
    mentions: list[tuple[Found, Data]] = field(default_factory=list)
    covered_by: str | None = None

    @property
    def status(self) -> str:
        return min((f.status for f, _ in self.mentions), key=_STATUS_RANK.index)

    @property
    def written(self) -> bool:
        return any(f.written_code for f, _ in self.mentions)


def _region(found: Found) -> str:
    regions = found.regions
    if not regions:
        return "unspecified"
    if "other" in regions:
        return "other"
    return "head_neck" if "head_neck" in regions else "mastication"


def codes_for(concept: DiagnosisConcept, side: str, found: Found) -> list[tuple[str, str]]:
    """(code, side) pairs a mention of ``concept`` takes."""
    if not concept.codes:
        return []
    if concept.codes[0].region is not None:
        region = _region(found)
        return [(c.code, "unspecified") for c in concept.codes if c.region == region]
    if concept.codes[0].side is None:
        return [(concept.codes[0].code, side)]
    by_side = {c.side: c.code for c in concept.codes}
    if side == "bilateral" and "bilateral" not in by_side:
        return [(by_side["right"], "right"), (by_side["left"], "left")]
    return [(by_side[side], side)] if side in by_side else [(by_side["unspecified"], side)]


def _compatible(a: str, b: str) -> bool:
    return a == b or "unspecified" in (a, b) or "bilateral" in (a, b)


class Resolver:
    """Builds the note's diagnoses (as data for the Note model) from a doc's findings."""

    def __init__(self, lexicon: DiagnosisLexicon) -> None:
        self._lexicon = lexicon
        self._concepts = {c.id: c for c in lexicon.concepts}
        self._causes = tuple(lexicon.specific_cause_codes)

    def __call__(self, doc: Doc, found: list[Found], quote: Quote) -> list[Data]:
        entries: dict[tuple[str, str], _Entry] = {}
        for item in found:
            mention = self._mention(doc, item, quote)
            for key, entry in self._entries(item):
                entries.setdefault(key, entry).mentions.append((item, mention))
        entry_list = self._join_sides(list(entries.values()))
        entry_list += self._combinations(entry_list)
        self._cover(entry_list)
        written = any(e.written and e.status == "current" and e.code and icd.billable(e.code)
                      for e in entry_list)  # fmt: skip
        records = [self._record(e, written_codes=written) for e in entry_list]
        return sorted(records, key=lambda r: (r["start"], r["end"], r["code"] or ""))

    @staticmethod
    def _mention(doc: Doc, item: Found, quote: Quote) -> Data:
        def chars(span: tuple[int, int] | None) -> Data | None:
            if span is None:
                return None
            words = doc[span[0] : span[1]]
            return quote(words.start_char, words.end_char)

        words = doc[item.start : item.end]
        return {
            **quote(words.start_char, words.end_char),
            "status": item.status,
            "source": "written_code" if item.written_code else "words",
            "status_cue": chars(item.status_cue),
            "side_cue": chars(item.side_cue),
        }

    def _entries(self, item: Found) -> list[tuple[tuple[str, str], _Entry]]:
        concept = self._concepts.get(item.concept or "")
        if item.written_code:
            key = ("code", item.written_code)
            return [(key, _Entry(item.written_code, concept, "unspecified"))]
        if concept is None:
            return []
        pairs = codes_for(concept, item.side, item)
        if not pairs:
            return [(("concept", concept.id), _Entry(None, concept, item.side))]
        return [(("code", code), _Entry(code, concept, side)) for code, side in pairs]

    def _join_sides(self, entries: list[_Entry]) -> list[_Entry]:
        """ "Dx: R plantar heel pain ... Heel pain 6/10": a condition named without a side
        where the note gives it one side is that condition, not another one."""
        kept: list[_Entry] = []
        for entry in entries:
            concept = entry.concept
            if entry.side == "unspecified" and concept is not None and not entry.written:
                sided = [
                    e
                    for e in entries
                    if e.concept is concept and e.side != "unspecified" and not e.written
                ]
                if len({e.side for e in sided}) == 1:
                    sided[0].mentions += entry.mentions
                    continue
            kept.append(entry)
        return kept

    def _combinations(self, entries: list[_Entry]) -> list[_Entry]:
        """ "LBP ... sciatica on the L": one combination code (M54.42)."""
        added: list[_Entry] = []
        for rule in self._lexicon.combinations:
            parts = [
                [e for e in entries if e.concept and e.concept.id == c and e.status == "current"]
                for c in rule.concepts
            ]
            if not all(parts):
                continue
            into = self._concepts[rule.into]
            source = next(
                p for p, c in zip(parts, rule.concepts, strict=True) if c == rule.side_from
            )
            for code, side in codes_for(into, source[0].side, source[0].mentions[0][0]):
                combined = _Entry(code, into, side)
                for group in parts:
                    for entry in group:
                        combined.mentions += entry.mentions
                        entry.covered_by = code
                added.append(combined)
        return added

    def _cover(self, entries: list[_Entry]) -> None:
        """A symptom part of a more specific diagnosis stated today is not coded again."""
        today = [e for e in entries if e.status == "current" and e.concept is not None]
        for entry in today:
            concept = entry.concept
            if entry.covered_by or entry.written or concept is None or not concept.covered_by:
                continue
            wider = [
                e
                for e in today
                if e.concept is not None
                and e.concept.id in concept.covered_by
                and _compatible(e.side, entry.side)
            ]
            if wider:
                self._take_side(wider[0], entry.side)
                entry.covered_by = wider[0].code or wider[0].concept.id  # type: ignore[union-attr]

    @staticmethod
    def _take_side(wider: _Entry, side: str) -> None:
        """ "R medial elbow pain (golfer's elbow)": the diagnosis that covers a symptom
        stated with a side, and stated itself without one, is of that side."""
        concept = wider.concept
        if wider.side != "unspecified" or side in ("unspecified", "bilateral") or wider.written:
            return
        if concept is None or not concept.codes or concept.codes[0].side is None:
            return
        wider.side = side
        wider.code = next((c.code for c in concept.codes if c.side == side), wider.code)

    def _record(self, entry: _Entry, *, written_codes: bool) -> Data:
        code, concept = entry.code, entry.concept
        exists = code is not None and icd.exists(code)
        billable = code is not None and icd.billable(code)
        mentions = sorted((m for _, m in entry.mentions), key=lambda m: (m["start"], m["end"]))
        status = entry.status
        if status != "current":
            left_out = "not_today"
        elif code is None:
            left_out = "no_code"
        elif not billable:
            left_out = "not_billable"
        elif entry.covered_by:
            left_out = "covered"
        elif written_codes and not entry.written:
            left_out = "written_codes"
        else:
            left_out = None
        cause = bool(concept and concept.specific_cause) or bool(
            code and entry.written and code.startswith(self._causes)
        )
        description = icd.description(code) if code is not None and exists else None
        first = mentions[0]
        return {
            "start": first["start"],
            "end": first["end"],
            "text": first["text"],
            "code": code,
            "description": description,
            "concept": concept.id if concept else None,
            "name": concept.name if concept else (description or "diagnosis"),
            "status": status,
            "laterality": entry.side,
            "source": "written_code" if entry.written else "words",
            "billable": billable,
            "specific_cause": cause,
            "on_claim": left_out is None,
            "left_out": left_out,
            "covered_by": entry.covered_by,
            "mentions": mentions,
        }
