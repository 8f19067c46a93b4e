"""Muscle entries of the note from the muscle mentions of a Doc.

Mentions of one muscle on one side merge into one entry. Its status is the one its mentions
agree on; when one mention says the muscle and side was treated today and another that it was
not (negated), nothing is chosen by priority: the entry keeps the other status, is marked
``status_conflict`` and stays out of the count until a reviewer decides. Otherwise the strongest
status wins (treated > negated > planned > historical > palpated_only). Muscles only named, with
no sign of treatment, become other mentions. A side said once merges with mentions without one,
a bilateral entry with its sides when they say the same, and a whole muscle named beside its
parts with the part.

Reads: the muscle spans (status, side, cues, match), the findings tied to them, the techniques
of the procedures that reached them, mirrored and contradicted mentions (``doc._.mirrors``,
``doc._.contradicted``). Writes nothing: returns the entries as data.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc, Span

from scribe.lexicons import Lexicons
from scribe.nlp.rationale import RationaleFindings
from scribe.quote import Data, Quote

STATUS_PRIORITY = ("treated", "negated", "planned", "historical", "palpated_only", "mentioned")
_SIDED = ("bilateral", "right", "left")
# the status that contradicts "treated today" for one muscle and side: "not needled today". A
# plan for the muscle ("needle the R UT again next week") is about another session.
_CONFLICTING = ("negated",)


def rank(status: str) -> int:
    """Lower is stronger (treated first)."""
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
    return min(statuses, key=rank), False


def _techniques(group: list[_Mention]) -> set[str]:
    return {t for m in group for t in m.techniques}


# ties that only the note's layout made: a list under a procedure, a procedure's section
_LAID_OUT = ("list", "section")
# words that say a muscle was only palpated (a trigger point found is no such word)
_ONLY_PALPATED = re.compile(
    r"\b(?:palpated\s+only|only\s+palpated|just\s+palpated|palpation\s+only)\b", re.I
)


def _said_apart_later(group: list[_Mention]) -> list[_Mention]:
    """ "Muscles for today: R ECRB, R extensor digitorum, R brachioradialis ... Brachioradialis,
    palpated only, there is a trigger point but it's not her pain, no needle there": a muscle
    made treated only by the layout (a list the procedure took in), then said in words of its
    own, later, to have been palpated only, was palpated only. The treated mentions are kept
    as evidence but decide nothing (a denial in words of its own stays a status conflict)."""
    treated = [m for m in group if m.record["status"] == "treated"]
    if not treated or any(m.record["binding"] not in _LAID_OUT for m in treated):
        return group
    last = max(m.record["start"] for m in treated)
    said = next(
        (
            m
            for m in group
            if m.record["status"] == "palpated_only"
            and m.record["status_cue"] is not None
            and _ONLY_PALPATED.search(m.record["status_cue"]["text"])
            and m.record["start"] > last
        ),
        None,
    )
    if said is None:
        return group
    undone = {
        "status": "palpated_only",
        "status_cue": said.record["status_cue"],
        "technique": None,
        "binding": None,
    }
    return [
        m
        if m.record["status"] != "treated"
        else _Mention(m.muscle_id, {**m.record, **undone}, m.findings, set())
        for m in group
    ]


@dataclass
class _Mention:
    muscle_id: str
    record: Data  # a MuscleMention, as data
    findings: set[str]
    techniques: set[str]
    done_cue: Data | None = None  # a generic verb said of a mention left "mentioned"


class MuscleEntries:
    def __init__(self, lexicons: Lexicons) -> None:
        self._lexicons = lexicons
        # what each written name of a muscle names, to quote a muscle by words that name it
        self._named: dict[str, str] = {
            t.text.lower(): t.entry_id for t in lexicons.terms() if t.label == "MUSCLE"
        }

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

    def entries(
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
            group = _said_apart_later(group)
            entry = self._lexicons.muscle_by_id[muscle_id]
            statuses = {m.record["status"] for m in group}
            conflict = "treated" in statuses and bool(statuses & set(_CONFLICTING))
            ranked = [m for m in group if not conflict or m.record["status"] != "treated"]
            # quoted by words that name it: "biceps femoris" names another muscle than the
            # long head the note names elsewhere ("biceps femoris long head")
            best = min(
                ranked,
                key=lambda m: (
                    rank(m.record["status"]),
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
