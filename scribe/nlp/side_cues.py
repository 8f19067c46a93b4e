"""The side words of a note (DOMAIN.md section 3): "right", "L", "bilaterally", "(lt only)",
and sides said by reference ("on that same side", "contralateral"), each found once per note.

Which name a side word belongs to is decided by ``scribe.nlp.laterality``; this module only
finds the words and what they say: a motion ("rotation to the right"), a spinal level
("L four L five"), the last letter of a spelled name ("q l") or a verb ("we left the rhomboid
alone") is no side.
"""

from dataclasses import dataclass
from typing import Literal

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from scribe.nlp.extensions import SOURCE, SUBJECT_PRONOUNS, doc_lower, doc_text, target_spans
from scribe.nlp.relative_sides import RelativeSideReader
from scribe.nlp.side_references import is_number
from scribe.schemas.lexicon import LateralityLexicon

Side = Literal["right", "left", "bilateral"]
SIDES: tuple[Side, ...] = ("right", "left", "bilateral")
# a side said by reference to none ("on his worse side" in a note with no left or right)
CueSide = Literal["right", "left", "bilateral", "unspecified"]
_ADJACENT_ONLY = frozenset({"r", "l", "b", "both"})


@dataclass(frozen=True)
class SideCue:
    start: int  # token offsets
    end: int
    side: CueSide
    adjacent_only: bool
    text: str = ""
    # "on that side": the token offsets of the side word it points back to, whose words are
    # the evidence of the side
    said_at: tuple[int, int] | None = None

    def char_span(self, doc: Doc) -> tuple[int, int]:
        start, end = self.said_at or (self.start, self.end)
        return doc[start].idx, doc[end - 1].idx + len(doc[end - 1])


class SideCueFinder:
    """Finds the side words of a doc, in text order."""

    def __init__(self, nlp: Language, lexicon: LateralityLexicon) -> None:
        self._phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._abbreviations = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._exclusions = PhraseMatcher(nlp.vocab, attr="LOWER")
        for side in SIDES:
            phrase_set = getattr(lexicon, side)
            self._phrases.add(side, [nlp.make_doc(p.lower()) for p in phrase_set.phrases])
            self._abbreviations.add(side, [nlp.make_doc(a) for a in phrase_set.abbreviations])
        self._exclusions.add("not_a_side", [nlp.make_doc(p.lower()) for p in lexicon.not_a_side])
        self._key = hash(lexicon.model_dump_json())  # finders of the same words share cues
        self._motions = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._motions.add("motion", [nlp.make_doc(p.lower()) for p in lexicon.motion_phrases])
        self._motion_words = frozenset(w.lower() for w in lexicon.motion_words)
        self._regions = frozenset(r.lower() for r in lexicon.labelled_regions)
        self._counted = frozenset(tuple(n.lower().split()) for n in lexicon.counted_nouns)
        self._relative = RelativeSideReader(nlp, lexicon.relative_sides, self._motion_words)

    def cues(self, doc: Doc) -> list[SideCue]:
        """The side words of the note, in text order (computed once per note and set of
        targets: the diagnoses read them too)."""
        every = target_spans(doc)
        key = (self._key, tuple((s.start, s.end) for s in every))
        cached: tuple[object, list[SideCue]] | None = doc.user_data.get("scribe_side_cues")
        if cached is not None and cached[0] == key:
            return list(cached[1])
        cues = self._cues(doc, every)
        doc.user_data["scribe_side_cues"] = (key, cues)
        return list(cues)

    def _cues(self, doc: Doc, every: list[Span]) -> list[SideCue]:
        targets = {i for span in every for i in range(span.start, span.end)}
        starts = {span.start for span in every}
        # "to the right" is a motion, unless a muscle follows: "performed to the right upper trap";
        # after its subject "left" is a verb whatever follows ("we left the rhomboid minor alone")
        excluded = {
            i
            for _, s, e in self._exclusions(doc)
            if not ({e, e + 1} & starts) or doc[s].lower_ in SUBJECT_PRONOUNS
            for i in range(s, e)
        }
        for _, s, e in self._motions(doc):
            before = {t.lower_ for t in doc[max(0, s - 3) : s]}
            if before & self._motion_words and not ({e, e + 1} & starts):
                excluded.update(range(s, e))
        raw = [*self._phrases(doc), *self._abbreviations(doc)]
        # longest match wins where cues overlap ("left and right" over "left")
        raw.sort(key=lambda m: (m[1], -(m[2] - m[1])))
        cues: list[SideCue] = []
        last_end = -1
        target_end = {span.start: span.end for span in every}
        for match_id, start, end in raw:
            if start < last_end or any(i in excluded or i in targets for i in range(start, end)):
                continue
            text = doc[start:end].text.lower()
            if text == "both" and self._counts_a_noun(doc, target_end.get(end)):
                continue  # "both multifidus levels": two levels of one muscle
            if (
                len(text) == 1
                and end < len(doc)
                and is_number(doc[end])
                and not _columns_apart(doc, end)
            ):
                continue  # "L four L five", "L 4": a spinal level, not a side
            if text in ("l", "r") and doc[start].text.islower() and _spelled_before(doc, start):
                continue  # "the q l the lumbar multifidus": the last letter of a spelled name
            side: Side = doc.vocab.strings[match_id]  # type: ignore[assignment]
            # "Muscles treated today (L): ...": a letter in brackets is a side wherever it stands
            bracketed = (
                start > 0
                and end < len(doc)
                and doc[start - 1].text == "("
                and doc[end].text.startswith(")")
            )
            adjacent_only = (
                text in _ADJACENT_ONLY and not bracketed and not self._labels_a_region(doc, end)
            )
            cues.append(SideCue(start, end, side, adjacent_only=adjacent_only, text=text))
            last_end = end
        taken = {i for c in cues for i in range(c.start, c.end)} | targets
        return self._relative(doc, cues, taken, _pointed_cue)

    def _counts_a_noun(self, doc: Doc, name_end: int | None) -> bool:
        """Whether a noun that "both" counts follows the muscle name ending at ``name_end``."""
        if name_end is None:
            return False
        words = doc_lower(doc)
        return any(tuple(words[name_end : name_end + len(noun)]) == noun for noun in self._counted)

    def _labels_a_region(self, doc: Doc, end: int) -> bool:
        """ "L forearm:": a side letter right before a body region and a colon."""
        return end + 1 < len(doc) and doc[end].lower_ in self._regions and doc[end + 1].text == ":"


def _spelled_before(doc: Doc, i: int) -> bool:
    """Whether a single letter stands right before token ``i`` ("t f l", "q l")."""
    return i > 0 and len(doc[i - 1].text) == 1 and doc[i - 1].text.isalpha()


def _columns_apart(doc: Doc, i: int) -> bool:
    """Whether the token ``i`` and the one before it stand in two columns of the note as
    written ("Infraspinatus<TAB>L<TAB>3": the side column, then the needles), which the
    reader's copy squeezes to one space."""
    source = doc.user_data.get(SOURCE)
    if source is None or source.text != doc_text(doc) or i == 0:
        return False
    # (from the character after the one word to the other: the padding squeezed to one space
    # keeps only its first character's place)
    start = source.offsets[doc[i - 1].idx + len(doc[i - 1]) - 1] + 1
    gap = source.original[start : source.offsets[doc[i].idx]]
    return "\t" in gap or "  " in gap


def _pointed_cue(start: int, end: int, side: str, text: str, said_at: tuple[int, int]) -> SideCue:
    return SideCue(start, end, side, adjacent_only=False, text=text, said_at=said_at)  # type: ignore[arg-type]
