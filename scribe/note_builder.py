"""From an annotated spaCy Doc to the structured :class:`~scribe.schemas.note.Note`.

The muscle entries come from ``muscle_entries.py`` (mentions merged per muscle and side);
this module adds the groups, the procedures, the injectate, the rationale, the stated counts
and the diagnoses. Evidence quotes the dictation's own characters (``quote.py``). The note is
assembled as plain data and validated once, at the end.
"""

from __future__ import annotations

import re
from collections import defaultdict

from spacy.tokens import Doc, Span

from scribe.diagnoses.lexicon import load_diagnosis_lexicon
from scribe.diagnoses.resolve import Resolver
from scribe.lexicons import Lexicons
from scribe.muscle_entries import MuscleEntries, rank
from scribe.nlp.extensions import doc_text, span_text, target_spans
from scribe.nlp.injectate import InjectateFindings
from scribe.nlp.normalize import NormalizedText, normalize
from scribe.nlp.procedure_event import ProcedureEvent
from scribe.nlp.rationale import MeasureItem, RationaleFindings
from scribe.quote import Data, Quote
from scribe.schemas.note import Note


class NoteBuilder:
    def __init__(self, lexicons: Lexicons) -> None:
        self._lexicons = lexicons
        self._entries = MuscleEntries(lexicons)
        self._substance_by_id = {s.id: s for s in lexicons.substances.substances}
        self._technique: dict[str, str | None] = {
            k.id: k.technique for k in lexicons.procedures.kinds
        }
        self._diagnoses = Resolver(load_diagnosis_lexicon(lexicons.directory))

    def build(self, doc: Doc, source: NormalizedText | None = None) -> Note:
        """The note of ``doc``; evidence quotes ``source.original`` (the dictation before
        normalization), or the doc's own text."""
        if source is None:
            source = normalize(doc_text(doc))
        if source.text != doc_text(doc):
            raise ValueError("the doc was not made from this normalized text")
        text = Quote(source)
        targets = target_spans(doc)
        rationale: RationaleFindings = doc._.rationale
        injectate: InjectateFindings = doc._.injectate
        events: list[ProcedureEvent] = doc._.procedures or []
        techniques: dict[tuple[int, int], set[str]] = defaultdict(set)
        for event in events:
            technique = self._technique.get(event.kind)
            if technique and event.done_today and event.proven:
                for span in event.muscles:
                    techniques[(span.start, span.end)].add(technique)
        muscles, others = self._entries.entries(
            text, doc, [s for s in targets if s.label_ == "MUSCLE"], rationale, techniques
        )
        return Note.model_validate(
            {
                "document_kind": doc._.document_kind,
                "procedures": [self._procedure(text, doc, e) for e in events if e.proven],
                "muscles": muscles,
                "groups": self._groups(
                    text,
                    [
                        s
                        for s in targets
                        if s.label_ == "GROUP" and not self._one_member_again(s, targets)
                    ],
                ),
                "other_mentions": others,
                "injectate": self._injectate(text, injectate),
                "rationale": self._rationale(text, rationale),
                "stated_muscle_counts": [
                    {"value": c.value, **text(*c.span)} for c in rationale.stated_counts
                ],
                "unread_names": [text(*span) for span in doc._.unread_names or []],
                "diagnoses": self._diagnoses(doc, doc._.diagnoses or [], text),
                "text_length": len(source.original),
            }
        )

    def _one_member_again(self, group: Span, targets: list[Span]) -> bool:
        """ "the left glute med ... forties in the glute": a group's name said in the
        singular, in a note that names one muscle of the group, by words that hold that name,
        and needled it, is that muscle said short (the plural, "the glutes", stays the group;
        "rotator cuff" is no word of a member's name)."""
        said = span_text(group).lower()
        if said.endswith("s"):
            return False
        members = set(self._lexicons.group_by_id[group._.entry_id].members)
        named = [s for s in targets if s.label_ == "MUSCLE" and s._.entry_id in members]
        return (
            len({s._.entry_id for s in named}) == 1
            and any(s._.status == "treated" for s in named)
            and all(re.search(rf"\b{re.escape(said)}", span_text(s).lower()) for s in named)
        )

    def _groups(self, text: Quote, spans: list[Span]) -> list[Data]:
        best: dict[tuple[str, str], Span] = {}
        for span in sorted(spans, key=lambda s: s.start):
            key = (span._.entry_id, span._.laterality)
            current = best.get(key)
            if current is None or rank(span._.status or "mentioned") < rank(
                current._.status or "mentioned"
            ):
                best[key] = span
        groups = []
        for (group_id, side), span in best.items():
            entry = self._lexicons.group_by_id[group_id]
            groups.append(
                {
                    "id": group_id,
                    "name": entry.name,
                    "kind": entry.kind,
                    "laterality": side,
                    "status": span._.status or "mentioned",
                    "members": list(entry.members),
                    **text(span.start_char, span.end_char),
                }
            )
        return sorted(groups, key=lambda g: g["start"])

    # --- procedures ----------------------------------------------------------------------
    def _procedure(self, text: Quote, doc: Doc, event: ProcedureEvent) -> Data:
        words = doc[event.start : event.end]
        cue = doc[event.time_cue[0] : event.time_cue[1]] if event.time_cue else None
        refs: dict[tuple[str, str], Data] = {}
        for span in event.muscles:
            if span.label_ == "MUSCLE":
                key = (span._.entry_id, span._.laterality)
                refs.setdefault(
                    key,
                    {
                        "id": span._.entry_id,
                        "name": self._lexicons.muscle_by_id[span._.entry_id].name,
                        "laterality": span._.laterality,
                    },
                )
        return {
            **text(words.start_char, words.end_char),
            "kind": event.kind,
            "time": event.time,
            "experiencer": event.experiencer,
            "section": event.section,
            "muscles": list(refs.values()),
            "time_cue": text(cue.start_char, cue.end_char) if cue is not None else None,
            "named_as": event.named_as,
        }

    # --- injectate -----------------------------------------------------------------------
    def _injectate(self, text: Quote, found: InjectateFindings) -> Data:
        substances = []
        for item in found.substances:
            entry = self._substance_by_id.get(item.span._.entry_id or "")
            name, category = (
                (entry.name, entry.category) if entry else ("unspecified injectate", "unspecified")
            )
            if category == "unspecified" and item.status != "injected":
                continue  # "no medication ... injected" is kept as a statement, not a substance
            substances.append(
                {
                    "name": name,
                    "category": category,
                    "status": item.status,
                    "dose": text.optional(item.dose),
                    "muscles": [
                        {
                            "id": m._.entry_id,
                            "name": self._lexicons.muscle_by_id[m._.entry_id].name,
                            "laterality": m._.laterality,
                        }
                        for m in item.muscles
                    ],
                    **text(item.span.start_char, item.span.end_char),
                }
            )
        return {
            "status": found.status,
            "statements": [text(s, e) for s, e in found.statements],
            "substances": substances,
        }

    # --- rationale -----------------------------------------------------------------------
    @staticmethod
    def _rationale(text: Quote, found: RationaleFindings) -> Data:
        def measure(item: MeasureItem | None) -> Data | None:
            if item is None:
                return None
            return {"value": item.value, "scale_max": item.scale_max, **text(*item.span)}

        return {
            "findings": [
                {
                    "kind": f.kind,
                    "negated": f.negated,
                    "muscle_ids": sorted({m._.entry_id for m in f.muscles}),
                    "referral_target": text.optional(f.referral_target),
                    **text(f.span.start_char, f.span.end_char),
                }
                for f in found.findings
            ],
            "functional_limitations": [text(s, e) for s, e in found.functional_limitations],
            "pain": {"before": measure(found.pain_before), "after": measure(found.pain_after)},
            "rom": [
                {
                    "motion": r.motion,
                    "before_degrees": r.before_degrees,
                    "after_degrees": r.after_degrees,
                    "improved": r.improved,
                    **text(*r.span),
                }
                for r in found.rom
            ],
            "tolerance": text.optional(found.tolerance),
            "consent": text.optional(found.consent),
            "needle_counts": [
                {"count": c.value, "total": c.total, **text(*c.span)} for c in found.needle_counts
            ],
        }
