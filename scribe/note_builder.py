"""From an annotated spaCy Doc to the structured :class:`~scribe.schemas.note.Note`.

Mentions of one muscle on one side merge into one entry. Its status is the one its mentions
agree on; when one mention says the muscle and side was treated today and another that it was
not (negated), nothing is chosen by priority: the entry keeps the other status, is
marked ``status_conflict`` and stays out of the count until a reviewer decides. Otherwise the
strongest status wins (treated > negated > planned > historical > palpated_only). Muscles only
named, with no sign of treatment, go to ``other_mentions``. Techniques (needled or injected)
come from the procedures ``scribe_events`` tied each mention to. The note is assembled as plain
data and validated once, at the end.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc, Span

from scribe.diagnoses.lexicon import load_diagnosis_lexicon
from scribe.diagnoses.resolve import Resolver
from scribe.lexicons import Lexicons
from scribe.nlp.extensions import doc_text, target_spans
from scribe.nlp.injectate import InjectateFindings
from scribe.nlp.normalize import NormalizedText, normalize
from scribe.nlp.procedure_event import ProcedureEvent
from scribe.nlp.rationale import MeasureItem, RationaleFindings
from scribe.schemas.note import Note

STATUS_PRIORITY = ("treated", "negated", "planned", "historical", "palpated_only", "mentioned")
_SIDED = ("bilateral", "right", "left")
# the status that contradicts "treated today" for one muscle and side: "not needled today". A
# plan for the muscle ("needle the R UT again next week") is about another session.
_CONFLICTING = ("negated",)
Data = dict[str, Any]


class Quote:
    """Evidence in the dictation's own characters, from offsets in the text the NLP read."""

    def __init__(self, source: NormalizedText) -> None:
        self._source = source

    def __call__(self, start: int, end: int) -> Data:
        start, end = self._source.to_original(start, end)
        return {"start": start, "end": end, "text": self._source.original[start:end]}

    def optional(self, span: tuple[int, int] | None) -> Data | None:
        return self(*span) if span else None

    def span(self, span: Span) -> Data:
        return self(span.start_char, span.end_char)

    def span_of(self, offsets: tuple[int, int]) -> str:
        """The words at offsets of the text the NLP read."""
        return str(self(*offsets)["text"])


def _rank(status: str) -> int:
    return STATUS_PRIORITY.index(status)


def _compatible_statuses(statuses: set[str]) -> bool:
    """Not treated against not done."""
    return not ("treated" in statuses and statuses & set(_CONFLICTING))


def _compatible(mention: _Mention, group: list[_Mention]) -> bool:
    """Whether a mention with no side may join a sided entry: not treated against not done."""
    return _compatible_statuses({m.record["status"] for m in group} | {mention.record["status"]})


def _outcome(group: list[_Mention]) -> tuple[str, bool]:
    """The status an entry of these mentions ends with, and whether it is a contradiction."""
    statuses = {m.record["status"] for m in group}
    if not _compatible_statuses(statuses):
        return next(s for s in _CONFLICTING if s in statuses), True
    return min(statuses, key=_rank), False


def _techniques(group: list[_Mention]) -> set[str]:
    return {t for m in group for t in m.techniques}


@dataclass
class _Mention:
    muscle_id: str
    record: Data  # a MuscleMention, as data
    findings: set[str]
    techniques: set[str]
    done_cue: Data | None = None  # a generic verb said of a mention left "mentioned"


class NoteBuilder:
    def __init__(self, lexicons: Lexicons) -> None:
        self._lexicons = lexicons
        self._substance_by_id = {s.id: s for s in lexicons.substances.substances}
        # what each written name of a muscle names, to quote a muscle by words that name it
        self._named: dict[str, str] = {
            t.text.lower(): t.entry_id for t in lexicons.terms() if t.label == "MUSCLE"
        }
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
        muscles, others = self._muscles(
            text, doc, [s for s in targets if s.label_ == "MUSCLE"], rationale, techniques
        )
        return Note.model_validate(
            {
                "document_kind": doc._.document_kind,
                "procedures": [self._procedure(text, doc, e) for e in events if e.proven],
                "muscles": muscles,
                "groups": self._groups(text, [s for s in targets if s.label_ == "GROUP"]),
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

    # --- muscles -------------------------------------------------------------------------
    @staticmethod
    def _mention(
        text: Quote, span: Span, kinds: set[str], techniques: dict[tuple[int, int], set[str]]
    ) -> _Mention:
        status = span._.status or "mentioned"
        own = techniques.get((span.start, span.end), set()) if status == "treated" else set()
        technique = span._.technique if status == "treated" else None
        record = {
            **text.span(span),
            "laterality": span._.laterality,
            "laterality_source": span._.laterality_source,
            "status": status,
            "side_cue": text.optional(span._.side_cue),
            "status_cue": text.optional(span._.status_cue),
            "match": span._.match,
            "match_score": span._.match_score,
            "technique": technique,
            "binding": span._.binding if status == "treated" else None,
            "checkbox": span._.checkbox,
        }
        done = text.optional(span._.done_cue) if status == "mentioned" else None
        return _Mention(
            span._.entry_id, record, kinds, own | ({technique} if technique else set()), done
        )

    @staticmethod
    def _treated_at(
        text: Quote, mentions: list[_Mention], offsets: list[tuple[int, int]]
    ) -> list[_Mention]:
        """The treated mentions at these offsets (of the text the NLP read)."""
        by_offsets = {(m.record["start"], m.record["end"]): m for m in mentions}
        found = (by_offsets.get((q["start"], q["end"])) for q in (text(*o) for o in offsets))
        return [m for m in found if m is not None and m.record["status"] == "treated"]

    def _mirrored(
        self, text: Quote, mentions: list[_Mention], mirrors: list[Any]
    ) -> list[_Mention]:
        """ "The same on the left": a treated mention of each mirrored muscle on that side."""
        copies = []
        for start, end, side, sources in mirrors:
            cue = text(start, end)
            for source in self._treated_at(text, mentions, sources):
                record = {
                    **source.record,
                    **cue,
                    "laterality": side,
                    "laterality_source": "explicit",
                    "side_cue": cue,
                    "status_cue": cue,
                }
                copies.append(
                    _Mention(source.muscle_id, record, source.findings, source.techniques)
                )
        return copies

    def _contradicted(
        self, text: Quote, mentions: list[_Mention], denials: list[Any]
    ) -> list[_Mention]:
        """ "DN performed to R UT with LTR. No needling was performed.": each muscle the
        denial contradicts is also said not treated, at the denial's words."""
        copies = []
        for start, end, names in denials:
            cue = text(start, end)
            for source in self._treated_at(text, mentions, names):
                record = {
                    **source.record,
                    "status": "negated",
                    "status_cue": cue,
                    "technique": None,
                    "binding": None,
                }
                copies.append(_Mention(source.muscle_id, record, source.findings, set()))
        return copies

    def _grouped(self, mentions: list[_Mention]) -> dict[tuple[str, str], list[_Mention]]:
        by_key: dict[tuple[str, str], list[_Mention]] = defaultdict(list)
        unspecified: dict[str, list[_Mention]] = defaultdict(list)
        for mention in mentions:
            side = mention.record["laterality"]
            if side == "unspecified":
                unspecified[mention.muscle_id].append(mention)
            else:
                by_key[(mention.muscle_id, side)].append(mention)
        # one side merges into a bilateral entry of the same muscle when they say the same
        # (or contradict each other, which is then shown); "soft tissue work to the left and
        # right TFL ... next visit we plan to needle the right TFL" keeps both entries
        for muscle_id in {k[0] for k in by_key if k[1] == "bilateral"}:
            both = by_key[(muscle_id, "bilateral")]
            one_side = {
                s: by_key.pop((muscle_id, s)) for s in ("left", "right") if (muscle_id, s) in by_key
            }
            if not one_side:
                continue
            left, right = both + one_side.get("left", []), both + one_side.get("right", [])
            # "TPI L UT ... R UT dry needled ... twitches in both UTs": each side keeps the
            # technique it was given
            same_technique = _techniques(left) == _techniques(right)
            if _outcome(left) == _outcome(right) and same_technique:
                by_key[(muscle_id, "bilateral")] = both + [m for g in one_side.values() for m in g]
            else:  # each side says something else: one entry per side
                del by_key[(muscle_id, "bilateral")]
                by_key[(muscle_id, "left")], by_key[(muscle_id, "right")] = left, right
        # a mention without a side joins the muscle's sided entry, if it has one and they do
        # not contradict each other ("Upper trapezius needled. Upper trapezius on the left was
        # not needled": the side needled is not said, it is not the left one); of several, one
        # that already ends with the mention's status ("L UT needled ... R UT tender, held ...
        # twitch in the upper trap" points back at the left one, not at the side named last)
        for muscle_id, group in unspecified.items():
            for mention in group:
                sided = [
                    k
                    for k in ((muscle_id, s) for s in _SIDED)
                    if k in by_key and _compatible(mention, by_key[k])
                ]
                same = [k for k in sided if _outcome(by_key[k])[0] == mention.record["status"]]
                chosen = (same or sided or [(muscle_id, "unspecified")])[0]
                by_key[chosen].append(mention)
        # "R trapezius ... upper, middle and lower trapezius", "the scalenes ... anterior and
        # middle scalene": the whole named beside its parts is not another muscle (a part named
        # on both sides covers either: "B lumbar multifidus ... LTR on R multifidus")
        for muscle_id, side in list(by_key):
            entry = self._lexicons.muscle_by_id[muscle_id]
            children = [
                k for k in by_key
                if (k[1] == side or side == "unspecified" or k[1] == "bilateral")
                and (
                    self._lexicons.muscle_by_id[k[0]].parent == muscle_id
                    or k[0] in entry.components
                )
            ]  # fmt: skip
            if children:
                by_key[children[0]] += by_key.pop((muscle_id, side))
        return by_key

    def _muscles(
        self,
        text: Quote,
        doc: Doc,
        spans: list[Span],
        rationale: RationaleFindings,
        techniques: dict[tuple[int, int], set[str]],
    ) -> tuple[list[Data], list[Data]]:
        kinds_by_span: dict[tuple[int, int], set[str]] = defaultdict(set)
        for finding in rationale.findings:
            if not finding.negated:
                for muscle in finding.muscles:
                    kinds_by_span[(muscle.start, muscle.end)].add(finding.kind)
        mentions = [
            self._mention(text, s, kinds_by_span[(s.start, s.end)], techniques) for s in spans
        ]
        mentions += self._mirrored(text, mentions, doc._.mirrors or [])
        mentions += self._contradicted(text, mentions, doc._.contradicted or [])
        muscles: list[Data] = []
        others: list[Data] = []
        for (muscle_id, side), group in self._grouped(mentions).items():
            group.sort(key=lambda m: m.record["start"])
            entry = self._lexicons.muscle_by_id[muscle_id]
            statuses = {m.record["status"] for m in group}
            conflict = "treated" in statuses and bool(statuses & set(_CONFLICTING))
            ranked = [m for m in group if not conflict or m.record["status"] != "treated"]
            # quoted by words that name it: "biceps femoris" names another muscle than the
            # long head the note names elsewhere ("biceps femoris long head")
            best = min(
                ranked,
                key=lambda m: (
                    _rank(m.record["status"]),
                    self._named.get(m.record["text"].lower(), muscle_id) != muscle_id,
                    m.record["start"],
                ),
            )
            status = best.record["status"]
            located = {k: best.record[k] for k in ("start", "end", "text")}
            if status == "mentioned":
                done = next((m.done_cue for m in group if m.done_cue is not None), None)
                others.append(
                    {
                        "id": muscle_id,
                        "name": entry.name,
                        "laterality": side,
                        "done_cue": done,
                        **located,
                    }
                )
                continue
            sources = [
                m.record["laterality_source"]
                for m in group
                if m.record["laterality"] != "unspecified"
            ]
            used: set[str] = set()
            if not conflict:
                used = set().union(*(m.techniques for m in group))
            muscles.append(
                {
                    "id": muscle_id,
                    "name": entry.name,
                    "counting_id": self._lexicons.counting_id(muscle_id),
                    "region": entry.region,
                    "group": entry.group,
                    "laterality": side,
                    "laterality_source": sources[0] if sources else "none",
                    "status": status,
                    "match": "fuzzy"
                    if all(m.record["match"] == "fuzzy" for m in group)
                    else "exact",
                    "techniques": sorted(used),
                    "mentions": [m.record for m in group],
                    "findings": sorted(set().union(*(m.findings for m in group))),
                    "status_conflict": conflict,
                    **located,
                }
            )
        muscles.sort(key=lambda m: m["start"])
        return muscles, others

    def _groups(self, text: Quote, spans: list[Span]) -> list[Data]:
        best: dict[tuple[str, str], Span] = {}
        for span in sorted(spans, key=lambda s: s.start):
            key = (span._.entry_id, span._.laterality)
            current = best.get(key)
            if current is None or _rank(span._.status or "mentioned") < _rank(
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
