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
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from scribe.lexicons import load_lexicons
from scribe.nlp.extensions import (
    by_sentence,
    register_extensions,
    sentences,
    span_text,
    target_spans,
)
from scribe.nlp.muscle_lists import CORRECTION_WORDS
from scribe.nlp.numbers import parse_number
from scribe.nlp.side_columns import mark_side_columns
from scribe.nlp.side_cues import SideCue, SideCueFinder
from scribe.nlp.side_references import (
    LIST_GAP,
    back_references,
    is_a_findings_side,
    is_level,
    restated_at_once,
    said_again_with_its_side,
)
from scribe.nlp.templates import side_boxes
from scribe.schemas.lexicon import LateralityLexicon

# the words a clause that mirrors the names before it starts after: "..., and then the same
# on the right", "did the same on the left"
_MIRROR_LEADS = frozenset({"and", "then", "did", "also"})
# what may open a sentence that mirrors the one before: "Then I did the same on the right"
_MIRROR_OPENERS = _MIRROR_LEADS | {
    "i", "we", "so", "um", "uh", "okay", "ok", "next", "after", "that", "have", "had", "was",
    "were", "performed", "repeated", "needled", "treated", "done",
}  # fmt: skip
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
_HEADER_MAX_WORDS = 5
_HEADER_MAX_CHARS = 40  # a side header of at most five words is seldom longer
_HEADER_WORDS = frozenset(
    {"side", "sided", "only", "muscles", "the", "treated", "needled"}
    # the side of the whole session said once: "All left side today."
    | {"everything", "everything's", "all", "today", "is", "was", "on"}
    # a spoken opening word: "So, all on the left today."
    | {"so", "now", "okay", "ok", "um", "uh", "and"}
)
_BRACKETED_SIDE = re.compile(
    r"\(\s*(?:r|l|rt|lt|right|left|bilat\w*|b/l|both)\.?(?:\s+sides?)?(?:\s+only)?\s*\)\s*:?$",
    re.IGNORECASE,
)


class LateralityTagger:
    def __init__(self, nlp: Language, lexicon: LateralityLexicon, mirror: list[str]) -> None:
        self._mirror = [re.compile(p, re.IGNORECASE) for p in mirror]
        self._finder = SideCueFinder(nlp, lexicon)

    def cues(self, doc: Doc) -> list[SideCue]:
        """The side words of the note, in text order (``SideCueFinder.cues``)."""
        return self._finder.cues(doc)

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
        said = match.groupdict().get("n")
        number = parse_number(said) if said else None
        if number is not None:
            # "the same two on the right": the last names of those before, as many as it says
            names = list(dict.fromkeys(s._.entry_id for s in source))[-int(number) :]
            source = [s for s in source if s._.entry_id in names]
        start, end = sent.start_char + match.start(), sent.start_char + match.end()
        doc._.mirrors.append((start, end, side, [(s.start_char, s.end_char) for s in source]))

    def _find_mirror(self, doc: Doc, sent: Span, spans: list[Span]) -> None:
        """ "The same on the left." copies the muscles of the sentence before to that side."""
        match = self._mirror_in(sent)
        if match is None:
            return
        opening = re.findall(r"[\w']+", span_text(sent)[: match.start()].lower())
        if not all(word in _MIRROR_OPENERS for word in opening):
            return  # "ROM is the same on the right" mirrors nothing
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
        end = sent.start_char + match.end()
        later = [s for s in names if s.start_char >= end]
        # (a run-on sentence may go on past a comma to other names: "... and then the same on
        # the left, three needles apiece, twitches in all and the right QL referred ...")
        goes_on = bool(later) and "," in doc.text[end : later[0].start_char]
        if word not in ("left", "right") or not source or (later and not goes_on):
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


@Language.factory("scribe_laterality", default_config={"lexicon_dir": None})
def make_laterality(nlp: Language, name: str, lexicon_dir: str | None) -> LateralityTagger:
    register_extensions()
    lexicons = load_lexicons(Path(lexicon_dir) if lexicon_dir else None)
    return LateralityTagger(
        nlp, lexicons.laterality, lexicons.statements.statements.get("mirror", [])
    )
