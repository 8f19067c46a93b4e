"""Laterality of muscle and group mentions (DOMAIN.md section 3).

A side word attaches to the name right after it ("right upper trap") or right before it
("QL on the left", "upper traps bilaterally"); otherwise the side carries forward through the
sentence until a new side word appears ("right upper trapezius, levator scapulae and rhomboid
major" = three right-side muscles). A short header line ("Left side:") carries into the
lines that follow. When nothing in the sentence gives a side and every side word in the
note names the same side, that side is used and marked ``context``.
"""

import re
from bisect import bisect_left
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from scribe.lexicons import load_lexicons
from scribe.nlp.extensions import (
    SOURCE,
    by_sentence,
    doc_lower,
    doc_text,
    register_extensions,
    sentences,
    span_text,
    target_spans,
)
from scribe.nlp.muscle_lists import CORRECTION_WORDS
from scribe.nlp.relative_sides import RelativeSideReader
from scribe.nlp.side_columns import mark_side_columns
from scribe.nlp.side_references import (
    LIST_GAP,
    back_references,
    is_a_findings_side,
    is_level,
    is_number,
    restated_at_once,
    said_again_with_its_side,
)
from scribe.nlp.templates import side_boxes
from scribe.schemas.lexicon import LateralityLexicon

Side = Literal["right", "left", "bilateral"]
_SIDES: tuple[Side, ...] = ("right", "left", "bilateral")
# a side said by reference to none ("on his worse side" in a note with no left or right)
CueSide = Literal["right", "left", "bilateral", "unspecified"]
# the words a clause that mirrors the names before it starts after: "..., and then the same
# on the right", "did the same on the left"
_MIRROR_LEADS = frozenset({"and", "then", "did", "also"})
_PREFIX_GAP = frozenset(
    {"-", "sided", "side", "the", "of", "'s", "(", ")", "m.", "mm."}
    | {"first", "1st", "second", "2nd", "third", "3rd"}
)
_POSTFIX_GAP = frozenset(
    # "'s": a recogniser's possessive on a plural ("the upper trap's bilaterally")
    {"on", "the", "side", ",", "(", ")", "-", "of", "at", "|", ":", "all", "'s"}
    # "the glute med on his worse side", "the QL on her left"
    | {"his", "her", "their"}
    # "upper traps needled bilaterally", "glute med was treated on both sides"
    | {"needled", "treated", "injected", "was", "were", "dry", "performed"}
)
# "all of those", "each of them": said after a list, before the side that covers it
_POINTING_BACK = frozenset({"all", "each", "of", "those", "these", "them", "three", "four"})
_ADJACENT_ONLY = frozenset({"r", "l", "b", "both"})
_SUBJECTS = frozenset({"i", "we", "she", "he", "they"})
_HEADER_MAX_WORDS = 4
_HEADER_MAX_CHARS = 40  # a side header of at most four words is never longer
_HEADER_WORDS = frozenset({"side", "sided", "only", "muscles", "the", "treated", "needled"})
_BRACKETED_SIDE = re.compile(
    r"\(\s*(?:r|l|rt|lt|right|left|bilat\w*|b/l|both)\.?(?:\s+sides?)?(?:\s+only)?\s*\)\s*:?$",
    re.IGNORECASE,
)


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


class LateralityTagger:
    def __init__(self, nlp: Language, lexicon: LateralityLexicon, mirror: list[str]) -> None:
        self._mirror = [re.compile(p, re.IGNORECASE) for p in mirror]
        self._phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._abbreviations = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._exclusions = PhraseMatcher(nlp.vocab, attr="LOWER")
        for side in _SIDES:
            phrase_set = getattr(lexicon, side)
            self._phrases.add(side, [nlp.make_doc(p.lower()) for p in phrase_set.phrases])
            self._abbreviations.add(side, [nlp.make_doc(a) for a in phrase_set.abbreviations])
        self._exclusions.add("not_a_side", [nlp.make_doc(p.lower()) for p in lexicon.not_a_side])
        self._key = hash(lexicon.model_dump_json())  # taggers of the same words share cues
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
            if not ({e, e + 1} & starts) or doc[s].lower_ in _SUBJECTS
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

    def __call__(self, doc: Doc) -> Doc:
        spans = [s for s in target_spans(doc) if s.label_ in ("MUSCLE", "GROUP")]
        doc._.mirrors = []
        if not spans:
            return doc
        cues = self.cues(doc)  # in text order
        cue_starts = [c.start for c in cues]
        first_named: dict[str, int] = {}
        for span in spans:
            first_named.setdefault(span._.entry_id, span.start)
        findings = [s for s in target_spans(doc) if s.label_ == "FINDING"]
        attached: set[SideCue] = set()
        header_side: SideCue | None = None
        for sent, sent_spans in zip(sentences(doc), by_sentence(doc, spans), strict=True):
            sent_cues = cues[
                bisect_left(cue_starts, sent.start) : bisect_left(cue_starts, sent.end)
            ]
            if not sent_spans:
                header_side = self._header_cue(sent, sent_cues, header_side)
                self._find_mirror(doc, sent, spans)
                continue
            back = back_references(doc, sent_spans, first_named, findings, spans)
            # a finding's own side, before a name said again ("twitch responses at L5 on the
            # left, and the psoas reproduced his ache"), is no side for that name
            finding_sides = {
                c
                for c in sent_cues
                if is_a_findings_side(doc, c.start, c.end, findings)
                and (after := next((s for s in sent_spans if s.start >= c.end), None)) is not None
                and first_named[after._.entry_id] < after.start
            }
            attached |= self._tag_sentence(
                doc, sent_spans, sent_cues, header_side, back, finding_sides
            )
            self._mirror_at_end(doc, sent, sent_spans)
        said_again_with_its_side(doc, spans)
        self._fill_from_note(doc, spans, cues, attached)
        side_boxes(doc, spans, cues)
        mark_side_columns(doc, spans)
        restated_at_once(doc, spans)
        return doc

    def _mirror_in(self, sent: Span) -> re.Match[str] | None:
        """The first words of the sentence that say the same was done on a side."""
        text = span_text(sent)
        return next((m for p in self._mirror if (m := p.search(text)) is not None), None)

    @staticmethod
    def _record_mirror(
        doc: Doc, sent: Span, match: re.Match[str], side: str, source: list[Span]
    ) -> None:
        start, end = sent.start_char + match.start(), sent.start_char + match.end()
        doc._.mirrors.append((start, end, side, [(s.start_char, s.end_char) for s in source]))

    def _find_mirror(self, doc: Doc, sent: Span, spans: list[Span]) -> None:
        """ "The same on the left." copies the muscles of the sentence before to that side."""
        match = self._mirror_in(sent)
        if match is None:
            return
        earlier = [s for s in spans if s.start < sent.start and s.label_ == "MUSCLE"]
        if not earlier:
            return
        previous = next(s for s in reversed(sentences(doc)) if s.start <= earlier[-1].start)
        source = [s for s in earlier if previous.start <= s.start < previous.end]
        word = match.group("side").lower()
        sides = {s._.laterality for s in source}
        if word in ("left", "right"):
            side = word
        elif sides in ({"left"}, {"right"}):
            side = "right" if sides == {"left"} else "left"
        else:
            return
        self._record_mirror(doc, sent, match, side, source)

    def _mirror_at_end(self, doc: Doc, sent: Span, sent_spans: list[Span]) -> None:
        """ "Needled the left SCM and the left scalenes, and then the same on the right": the
        muscles of the sentence before the words, copied to the side they name."""
        names = [s for s in sent_spans if s.label_ == "MUSCLE"]
        match = self._mirror_in(sent) if names else None
        if match is None:
            return
        start = sent.start_char + match.start()
        word = match.group("side").lower()
        source = [s for s in names if s.end_char <= start]
        if word not in ("left", "right") or len(source) < len(names):
            return  # a side said by name, after every name of the sentence
        before = doc.text[sent.start_char : start].split()
        if not before or not (
            before[-1].endswith((",", ";")) or before[-1].lower() in _MIRROR_LEADS
        ):
            return  # "pain was about the same on the right" mirrors nothing
        self._record_mirror(doc, sent, match, word, source)

    @staticmethod
    def _header_cue(sent: Span, cues: list[SideCue], previous: SideCue | None) -> SideCue | None:
        """A short side-only line ("Left side:", "RIGHT") sets the side of the lines below it;
        a short sentence that says something else ("SLR negative bilaterally.") does not."""
        text = span_text(sent).rstrip()
        heading = text.endswith(":")
        usable = [c for c in cues if not c.adjacent_only]
        if len(usable) != 1 or not (heading or len(text) <= _HEADER_MAX_CHARS):
            # not a side header: a blank line or another header ends the one above
            if "\n\n" in sent.text_with_ws or heading:
                return None
            return previous
        # ("Sorry, I mean the left side.": a side said in place of the one before it)
        words = [t for t in sent if not (t.is_punct or t.is_space or t.lower_ in CORRECTION_WORDS)]
        side_only = all(
            any(c.start <= t.i < c.end for c in usable) or t.lower_ in _HEADER_WORDS for t in words
        )
        if len(usable) == 1 and (heading or (len(words) <= _HEADER_MAX_WORDS and side_only)):
            return usable[0]
        # a heading line closed by its side in brackets: "Intervention - Dry needling (lt only)"
        closing = _BRACKETED_SIDE.search(text)
        if (
            len(usable) == 1
            and closing
            and "\n" in sent.text_with_ws
            and sent.start_char + closing.start() <= usable[0].char_span(sent.doc)[0]
        ):
            return usable[0]
        if "\n\n" in sent.text_with_ws or (words and span_text(sent).rstrip().endswith(":")):
            return None
        return previous

    def _tag_sentence(
        self,
        doc: Doc,
        spans: list[Span],
        cues: list[SideCue],
        header: SideCue | None,
        back_references: set[int],
        finding_sides: set[SideCue],
    ) -> set[SideCue]:
        """Set the side of each mention in one sentence; return the cues attached to names."""
        own: dict[int, SideCue] = {}
        used: set[SideCue] = set()
        # prefixes first: a side word right before a name belongs to that name
        for i, span in enumerate(spans):
            cue = self._prefix(doc, span, cues)
            if cue is not None:
                own[i] = cue
                used.add(cue)
        # "the upper trap's bilaterally levator scapula on both sides": a side word between two
        # names, when the second has its own side after it, ends the first name
        for i in [i for i in own if i > 0 and i - 1 not in own]:
            cue = own[i]
            rest = [c for c in cues if c not in used and c.text != "both"]
            if self._postfix(doc, spans[i - 1], [cue]) and self._postfix(doc, spans[i], rest):
                own[i - 1] = own.pop(i)
        postfix_of: dict[int, SideCue] = {}
        for i, span in enumerate(spans):
            if i in own:
                continue
            cue = self._postfix(doc, span, [c for c in cues if c not in used and c.text != "both"])
            if cue is not None:
                own[i] = postfix_of[i] = cue
                used.add(cue)
        free = [c for c in cues if c not in used and not c.adjacent_only and c not in finding_sides]
        current: SideCue | None = header
        current_source = "list"
        for i, span in enumerate(spans):
            for cue in free:
                previous_end = spans[i - 1].end if i > 0 else -1
                if previous_end <= cue.start < span.start:
                    current, current_source = cue, "list"
            if i in own:
                self._set(doc, span, own[i], "explicit")
                current, current_source = own[i], "list"
            elif i in back_references:
                continue  # "LTRs in the QL": the side is the one named before
            elif current is not None:
                # "bilateral low back pain ... the QL and the glute med on his worse side": a
                # side not known, said after the list, is the list's, whatever was said before
                trailing = self._trailing(doc, spans, i, postfix_of)
                if trailing is None or trailing.side != "unspecified":
                    trailing = current
                self._set(doc, span, trailing, current_source)
            else:
                trailing = self._trailing(doc, spans, i, postfix_of)
                if trailing is not None:
                    self._set(doc, span, trailing, "list")
        return used

    def _labels_a_region(self, doc: Doc, end: int) -> bool:
        """ "L forearm:": a side letter right before a body region and a colon."""
        return end + 1 < len(doc) and doc[end].lower_ in self._regions and doc[end + 1].text == ":"

    @staticmethod
    def _set(doc: Doc, span: Span, cue: SideCue, source: str) -> None:
        span._.laterality = cue.side
        span._.laterality_source = source
        span._.side_cue = cue.char_span(doc)

    @staticmethod
    def _prefix(doc: Doc, span: Span, cues: list[SideCue]) -> SideCue | None:
        for cue in cues:
            gap = doc[cue.end : span.start]
            if cue.end <= span.start <= cue.end + 2 and all(t.lower_ in _PREFIX_GAP for t in gap):
                return cue
            # "R ITB/TFL": a word the name is joined to by a slash shares its side
            if span.start == cue.end + 2 and gap[0].is_alpha and gap[1].text == "/":
                return cue
        return None

    @staticmethod
    def _postfix(doc: Doc, span: Span, cues: list[SideCue]) -> SideCue | None:
        for cue in cues:
            if cue.start < span.end:
                continue
            gap = [t for t in doc[span.end : cue.start] if not is_level(t)]
            # "..., the quadratus plantae and the FDB, all of those on the left": words that
            # point back at the list stand aside
            pointing = [t for t in gap if t.lower_ in _POINTING_BACK]
            if not any(t.lower_ in ("all", "each") for t in pointing):
                pointing = []
            gap = [t for t in gap if t not in pointing]
            reach = 12 + sum(len(t.text_with_ws) for t in pointing)
            near = len(gap) <= 3 and cue.start - span.end <= reach
            if near and all(t.lower_ in _POSTFIX_GAP for t in gap):
                return cue
        return None

    @staticmethod
    def _trailing(
        doc: Doc, spans: list[Span], i: int, postfix_of: dict[int, SideCue]
    ) -> SideCue | None:
        """ "upper traps and levators bilaterally": a side after a list covers the list, even
        over an item's spinal levels ("the multifidus at L four L five and the glute med, each
        of those on both sides")."""
        for j in range(i + 1, len(spans)):
            gap = doc[spans[j - 1].end : spans[j].start]
            if not all(t.lower_ in LIST_GAP or is_level(t) for t in gap):
                return None
            if j in postfix_of:
                return postfix_of[j]
        return None

    @staticmethod
    def _fill_from_note(
        doc: Doc, spans: list[Span], cues: list[SideCue], attached: set[SideCue]
    ) -> None:
        """When no muscle in the note has a side of its own, mentions take the note's only side
        from a side word standing on its own ("right shoulder pain ... needled the infraspinatus").
        A note that names sides for some muscles and not for others leaves those unspecified,
        unless every side word it says is that one side ("right shoulder ... the right
        infraspinatus was not needled today. then side lying, ... the teres minor")."""
        free = [c for c in cues if c not in attached and not c.adjacent_only]
        sides = {c.side for c in cues if not c.adjacent_only} | {
            s._.laterality for s in spans if s._.laterality != "unspecified"
        }
        if any(s._.laterality_source == "explicit" for s in spans) and (
            {c.side for c in cues} != sides
        ):
            return
        if not free or len(sides) != 1 or "bilateral" in sides:
            return
        for span in spans:
            if span._.laterality == "unspecified":
                span._.laterality = free[0].side
                span._.laterality_source = "context"
                span._.side_cue = free[0].char_span(doc)


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
    start, end = source.to_original(doc[i - 1].idx + len(doc[i - 1]), doc[i].idx)
    gap = source.original[start:end]
    return "\t" in gap or "  " in gap


@Language.factory("scribe_laterality", default_config={"lexicon_dir": None})
def make_laterality(nlp: Language, name: str, lexicon_dir: str | None) -> LateralityTagger:
    register_extensions()
    lexicons = load_lexicons(Path(lexicon_dir) if lexicon_dir else None)
    return LateralityTagger(
        nlp, lexicons.laterality, lexicons.statements.statements.get("mirror", [])
    )


def _pointed_cue(start: int, end: int, side: str, text: str, said_at: tuple[int, int]) -> SideCue:
    return SideCue(start, end, side, adjacent_only=False, text=text, said_at=said_at)  # type: ignore[arg-type]
