"""Sides named by another side said in the note: "the levator on that same side", "the
contralateral glute med", "TDN to the symptomatic side".

- ``same`` words ("that same side", "the same leg") take the left or right said last before
  them, and ``opposite`` words ("the opposite side", "the other leg") the other one;
- ``complaint`` words ("the involved side", "the symptomatic side", "ipsilateral") take the
  first left or right the note says, which is where its complaint is written, and
  ``opposite_complaint`` words ("contralateral", "his good side") the other one;
- ``unknown`` words ("worse on one side") say a side without saying which.

Each becomes a side cue whose evidence is the side word it points to ("right" for "on that same
side"), or for an opposite side its own words ("contralateral"). Words after a motion
("rotation to the other side") give no cue, and a bilateral side is never pointed at. Words
with no left or right to point at still say a side, one not known: the side said before them
does not carry past them to the names they follow or lead. Pure function over a doc and its
side cues, for ``laterality.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from scribe.schemas.lexicon import RelativeSides

if TYPE_CHECKING:
    from scribe.nlp.side_cues import SideCue

_KINDS = ("same", "opposite", "complaint", "opposite_complaint", "unknown")
_OTHER = {"left": "right", "right": "left"}
_MOTION_REACH = 3  # words before a phrase in which a motion word makes it a direction


class RelativeSideReader:
    """Finds the relative side words of a doc and the side each points to."""

    def __init__(self, nlp: Language, words: RelativeSides, motion_words: frozenset[str]):
        self._matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for kind in _KINDS:
            phrases = getattr(words, kind)
            if phrases:
                self._matcher.add(kind, [nlp.make_doc(p.lower()) for p in phrases])
        self._motion_words = motion_words

    def __call__(
        self,
        doc: Doc,
        cues: list[SideCue],
        taken: set[int],
        make: Callable[[int, int, str, str, tuple[int, int]], SideCue],
    ) -> list[SideCue]:
        """``cues`` with a cue added for each relative side word that points to a side.

        ``taken``: tokens no cue may start on (names, side words); ``make`` builds a cue from
        (start, end, side, text, the offsets of the side word pointed to)."""
        found = sorted(self._matcher(doc), key=lambda m: (m[1], -(m[2] - m[1])))
        if not found:
            return cues
        words = [t.lower_ for t in doc]
        every = sorted(cues, key=lambda c: c.start)
        sides = [c for c in every if c.side in _OTHER]
        first = sides[0] if sides else None
        last_end = -1
        for match_id, start, end in found:
            if start < last_end or any(i in taken for i in range(start, end)):
                continue
            if self._after_motion(words, start) or (end < len(doc) and doc[end].text == "-"):
                continue  # "rotation to the other side", "contra-indications"
            kind: str = doc.vocab.strings[match_id]
            if kind == "unknown":
                pointed = None
            elif kind.endswith("complaint"):
                pointed = first if first is not None and first.end <= start else None
            else:
                before = [c for c in sides if c.end <= start]
                pointed = before[-1] if before else None
            if pointed is None:
                # a side that is one of two, and no left or right to say which ("bilateral low
                # back pain, worse on one side ... needled the QL on his worse side"): the
                # muscle's side is not known, whatever side was said before it
                cue = make(
                    start,
                    end,
                    "unspecified",
                    f"unknown ({kind.replace('_', ' ')} side)",
                    (start, end),
                )
                every = sorted([*every, cue], key=lambda c: c.start)
                last_end = end
                continue
            side: str = pointed.side
            said_at = pointed.said_at or (pointed.start, pointed.end)
            if kind.startswith("opposite"):
                # the words that say it are its own ("contralateral"): the side pointed at
                # says the other one
                side, said_at = _OTHER[pointed.side], (start, end)
            cue = make(start, end, side, f"{side} ({kind.replace('_', ' ')} side)", said_at)
            every = sorted([*every, cue], key=lambda c: c.start)
            sides = sorted([*sides, cue], key=lambda c: c.start)
            last_end = end
        return every

    def _after_motion(self, words: list[str], start: int) -> bool:
        return any(w in self._motion_words for w in words[max(0, start - _MOTION_REACH) : start])
