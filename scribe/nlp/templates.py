"""EHR template structure read from the text: checkboxes, table rows, list blocks.

Pure functions over the doc's text: which box stands in front of a word (checked or not), which
lines are rows of a ``|`` table (read in ``tables.py``), and which lines a header line
("Muscles needled:", "TDN today:") heads. ``binding.py`` uses them to tie the muscles of a
template to the procedure its heading names, and never an unchecked box.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from typing import Any, Literal

from spacy.tokens import Doc, Span

from scribe.nlp.aligned_tables import aligned_flowsheets
from scribe.nlp.extensions import SOURCE, doc_text, sentences
from scribe.nlp.normalize import NormalizedText
from scribe.nlp.tables import TableRow, leading_cell, row_injected, row_verdict, table_rows

BoxState = Literal["checked", "unchecked"]

# "[x]", "[X]", "[✓]", "(x)", "☒", "☑", "✓", "✔", "✅" / "[ ]", "( )", "☐", "□", "✗", "✘", "❌"
_BOX = re.compile(
    r"\[\s*[xX✓✔✗✘*]\s*\]|\(\s*[xX✓✔]\s*\)|[☒☑✓✔✅]"
    r"|(?P<empty>\[\s*\]|\(\s{0,2}\)|[☐□✗✘❌])"
)
SIDE_WORDS = {
    "r": "right",
    "rt": "right",
    "right": "right",
    "l": "left",
    "lt": "left",
    "left": "left",
    "b": "bilateral",
    "bil": "bilateral",
    "bilat": "bilateral",
    "bilateral": "bilateral",
    "both": "bilateral",
}
# what a side-column header line may hold besides its side letters: "Muscle   R   L",
# "Muscle treated   R   L   Bilat   # needles"
_SIDE_HEADER_REST = re.compile(
    r"\b(?:muscles?|name|side|needled|treated|today|needles?|count)\b|[|:()/#-]", re.I
)


# what may stand between a box and the name it is written on: "[ ] R levator"
_SIDE_BEFORE_NAME = re.compile(r"\s*(?:(?:r|l|rt|lt|b|right|left|bilat\w*|b/l)\.?\s+)?", re.I)
# a needle count closing a row of boxes: "4", "x2", "3 needles"
_NEEDLE_COUNT_CELL = re.compile(r"(?:x\s*)?\d{1,2}(?:\s*needles?)?", re.IGNORECASE)
_SIDE_WORD = re.compile(r"\b(?:r|l|rt|lt|right|left|b|bil|bilat|bilateral|both)\b", re.IGNORECASE)


def side_header(line: str) -> list[tuple[int, str]]:
    """The side columns of a header line of nothing but side letters and a few header words
    ("Muscle   R   L"): (offset in the line, side) of each; empty for any other line."""
    columns = [(m.start(), SIDE_WORDS[m.group(0).lower()]) for m in _SIDE_WORD.finditer(line)]
    if columns and not _SIDE_HEADER_REST.sub("", _SIDE_WORD.sub("", line)).strip():
        return columns
    return []


def lines(text: str) -> list[tuple[int, int]]:
    """[start, end) of each line."""
    out: list[tuple[int, int]] = []
    start = 0
    for match in re.finditer(r"\n", text):
        out.append((start, match.start()))
        start = match.end()
    out.append((start, len(text)))
    return out


class Template:
    """The template structure of one doc, computed once."""

    def __init__(self, doc: Doc) -> None:
        self.text = doc_text(doc)
        source = doc.user_data.get(SOURCE)
        # the dictation as written, when the doc carries it: its padding places the columns
        self._source: NormalizedText | None = (
            source if source is not None and (source.text == self.text) else None
        )
        self.lines = lines(self.text)
        self._line_starts = [s for s, _ in self.lines]
        self._boxes = [
            (m.start(), m.end(), m.group("empty") is None) for m in _BOX.finditer(self.text)
        ]
        self._box_starts = [b[0] for b in self._boxes]
        self.rows = table_rows(self.text, self.lines)
        for line, row in aligned_flowsheets(
            self.text, self.lines, self.column, self._padding
        ).items():
            self.rows.setdefault(line, row)

    def line_of(self, char: int) -> int:
        return bisect_right(self._line_starts, char) - 1

    def box_before(self, span: Span, previous_end: int) -> BoxState | None:
        """The box in front of a name on its line, after the previous name ("[x] R UT")."""
        box = self.box_in_front(span, previous_end)
        if box is None:
            return None
        return "checked" if box[2] else "unchecked"

    def box_in_front(self, span: Span, previous_end: int) -> tuple[int, int, bool] | None:
        """``box_before``'s box: its [start, end) characters and whether it is checked."""
        line_start = self.lines[self.line_of(span.start_char)][0]
        floor = max(line_start, previous_end)
        k = bisect_right(self._box_starts, span.start_char) - 1
        if k < 0 or self._boxes[k][0] < floor:
            return None
        return self._boxes[k]

    def box_on_name(self, span: Span, next_start: int, first_name: int) -> BoxState | None:
        """The box written on a name itself, in a row of boxed names: "DN performed: [x] R UT
        [ ] R levator" (the box right before the name, at most a side between), or "R UT [x]
        R levator [ ]" (the line's first box stands after its first name: each name's box is
        the one right after it, before the next name)."""
        line_start, line_end = self.lines[self.line_of(span.start_char)]
        k = bisect_right(self._box_starts, line_start - 1)
        if k >= len(self._boxes) or self._boxes[k][0] >= line_end:
            return None
        if self._boxes[k][0] > first_name:  # boxes follow their names
            j = bisect_right(self._box_starts, span.end_char - 1)
            if j >= len(self._boxes):
                return None
            box_start, _, checked = self._boxes[j]
            between = self.text[span.end_char : box_start]
            if box_start >= min(next_start, line_end) or between.strip(" :-"):
                return None
            if len(self.boxes_after(span)) > 1:
                # "Upper trapezius  [ ]  [ ]  [X]" under "R  L  Bilat": a row of column boxes,
                # read by ``box_after`` and ``column_sides``
                return None
            return "checked" if checked else "unchecked"
        j = bisect_right(self._box_starts, span.start_char) - 1
        if j < 0 or self._boxes[j][0] < line_start:
            return None
        _, box_end, checked = self._boxes[j]
        if not _SIDE_BEFORE_NAME.fullmatch(self.text[box_end : span.start_char]):
            return None
        return "checked" if checked else "unchecked"

    def box_state_at(self, start: int, end: int) -> BoxState | None:
        """The box right before [start, end) on its line ("[x] R   [ ] L")."""
        k = bisect_right(self._box_starts, start) - 1
        if k < 0:
            return None
        box_start, box_end, checked = self._boxes[k]
        if self.line_of(box_start) != self.line_of(start):
            return None
        if self.text[box_end:start].strip():
            return None
        return "checked" if checked else "unchecked"

    @property
    def has_any_boxes(self) -> bool:
        return bool(self._boxes)

    def boxes_after(self, span: Span) -> list[tuple[int, bool]]:
        """The boxes after a name when only boxes follow it on its line ("Upper trapezius
        [x]  [ ]"), with at most a needle count after them ("[ ]  [x]  4"): (column in the
        line, checked) of each."""
        line_start, line_end = self.lines[self.line_of(span.start_char)]
        rest = self.text[span.end_char : line_end]
        boxes = [m for m in _BOX.finditer(rest)]
        after_boxes = rest[boxes[-1].end() :] if boxes else ""
        if not boxes or _BOX.sub("", rest[: boxes[-1].end()]).strip():
            return []
        if after_boxes.strip() and not _NEEDLE_COUNT_CELL.fullmatch(after_boxes.strip()):
            return []
        offset = span.end_char - line_start
        return [(offset + m.start(), m.group("empty") is None) for m in boxes]

    def box_after(self, span: Span) -> BoxState | None:
        """ "Levator scapulae  [ ]  [ ]": unchecked when every box after the name is."""
        boxes = self.boxes_after(span) if self._boxes else []
        if not boxes:
            return None
        return "checked" if any(checked for _, checked in boxes) else "unchecked"

    def column_sides(self, span: Span) -> set[str]:
        """The sides of the checked boxes after a name, read from a header line of side
        columns above its rows ("Muscle   R   L"), in the same block of lines."""
        boxes = self.boxes_after(span)
        line = self.line_of(span.start_char)
        for above in range(line - 1, max(-1, line - 13), -1):
            start, end = self.lines[above]
            words = self.text[start:end]
            if not words.strip():
                return set()
            columns = side_header(words)
            if columns:
                if len(columns) == len(boxes):
                    # one box per column, in order: the reader's copy may shrink the padding
                    return {side for (_, side), (_, on) in zip(columns, boxes, strict=True) if on}
                return {
                    min(columns, key=lambda c: abs(c[0] - col))[1]
                    for col, checked in boxes
                    if checked
                }
        return set()

    def column(self, char: int) -> int:
        """The column of character ``char`` on its line, as the clinician's padding placed it
        (the reader's copy squeezes padding; the original text keeps it)."""
        if self._source is None:
            return char - self.lines[self.line_of(char)][0]
        original = self._source.original
        at = self._source.offsets[char]
        return at - (original.rfind("\n", 0, at) + 1)

    def _padding(self, start: int, end: int) -> str:
        """What the note as written held between the characters ``start`` and ``end``."""
        if self._source is None:
            return self.text[start:end]
        offsets = self._source.offsets
        return self._source.original[offsets[start] : offsets[end]]

    def has_boxes(self, line: int) -> bool:
        start, end = self.lines[line]
        k = bisect_right(self._box_starts, start)
        return k < len(self._boxes) and self._boxes[k][0] < end

    def row_of(self, span: Span) -> TableRow | None:
        return self.rows.get(self.line_of(span.start_char))

    def leading_cell(self, span: Span) -> tuple[int, int] | None:
        """The first cell of the row above that a continuation row holding ``span`` goes on
        from (``tables.leading_cell``)."""
        return leading_cell(self.text, self.lines, self.rows, self.line_of(span.start_char))

    def row_verdict(self, row: TableRow) -> str | None:
        return row_verdict(self.text, row)

    def row_injected(self, row: TableRow) -> bool:
        return row_injected(self.text, row)


def side_boxes(doc: Doc, spans: list[Span], cues: Sequence[Any]) -> None:
    """A template row "☒ Upper trapezius ... ☒ R ☐ L": the sides are the checked side
    boxes after the name on its line (both checked: bilateral; none: not said)."""
    template = template_of(doc)
    if not template.has_any_boxes:
        return
    for span in spans:
        # a row under a side-column header ("Muscle  R  L" / "Upper trapezius  [x]  [ ]")
        checked = template.column_sides(span)
        if checked:
            span._.laterality = "bilateral" if checked == {"right", "left"} else checked.pop()
            span._.laterality_source = "explicit"
    by_line: dict[int, list[Any]] = {}
    for cue in cues:
        start, end = cue.char_span(doc)
        if cue.side != "bilateral" and template.box_state_at(start, end) is not None:
            by_line.setdefault(template.line_of(start), []).append(cue)
    if not by_line:
        return
    for span in spans:
        line = template.line_of(span.start_char)
        # up to the next name on the line, less a side right before it, which is that name's
        # own ("[x] R upper trapezius [ ] L upper trapezius [x] R levator scapulae")
        after = (
            s.start for s in spans if s.start >= span.end and template.line_of(s.start_char) == line
        )
        following = next(after, None)
        boxed = [
            c
            for c in by_line.get(line, [])
            if c.start >= span.end and (following is None or c.end < following)
        ]
        if not boxed:
            continue
        checked = {c.side for c in boxed if template.box_state_at(*c.char_span(doc)) == "checked"}
        side = "bilateral" if checked == {"right", "left"} else next(iter(checked), None)
        span._.laterality = side or "unspecified"
        span._.laterality_source = "explicit" if side else "none"
        picked = [c for c in boxed if c.side in checked]
        span._.side_cue = (
            (picked[0].char_span(doc)[0], picked[-1].char_span(doc)[1]) if picked else None
        )


def template_of(doc: Doc) -> Template:
    """The template structure of a doc, computed once."""
    cached: Template | None = doc.user_data.get("scribe_template")
    if cached is None:
        cached = doc.user_data["scribe_template"] = Template(doc)
    return cached


_LIST_ITEM = re.compile(
    r"^\s*(?:[-*•·–—>+]|\d{1,2}[.)]\s|[a-z][.)]\s|\[[^\]]{0,2}\]|\(\s?[xX]?\s?\)|[☐☒☑✓✔✗✘□])"
)


def is_list_item(text: str) -> bool:
    """A line that starts like an item of a list: a bullet, a number, a box."""
    return bool(_LIST_ITEM.match(text))


def lead_ins(doc: Doc, sections: list[str | None]) -> list[list[int]]:
    """For each sentence on a list line ("- upper trapezius"), the sentences before its list
    in the same paragraph and section, nearest first: "Dry needling today." heads the list that
    follows it as a header line would. Short side lines ("Right:") inside the list are part of
    it."""
    sents = sentences(doc)
    text = doc_text(doc)
    out: list[list[int]] = []
    for i, sent in enumerate(sents):
        chain: list[int] = []
        line = text[text.rfind("\n", 0, sent.start_char) + 1 : sent.end_char]
        if is_list_item(line):
            j = i - 1
            while j >= 0 and sections[j] == sections[i]:
                between = text[sents[j].end_char : sents[j + 1].start_char]
                if between.count("\n") >= 2:
                    break
                words = text[sents[j].start_char : sents[j].end_char].strip()
                start = text.rfind("\n", 0, sents[j].start_char) + 1
                if is_list_item(text[start : sents[j].end_char]) or (
                    words.endswith(":") and len(words.split()) <= 3
                ):
                    j -= 1
                    continue
                chain.append(j)
                break
        out.append(chain)
    return out


def header_chains(doc: Doc, sections: list[str | None]) -> list[list[int]]:
    """For each sentence, the header sentences whose list it is in, nearest first: a sentence
    ending with ":" heads the lines after it until a blank line or a new section. A short
    header inside such a list ("Left:", "Right side:") heads a sub-list and keeps its parent."""
    sents = sentences(doc)
    text = doc_text(doc)
    chains: list[list[int]] = []
    current: list[int] = []
    previous_end = 0
    for i, sent in enumerate(sents):
        gap = text[previous_end : sent.start_char]
        if gap.count("\n") >= 2 or (i > 0 and sections[i] != sections[i - 1]):
            current = []
        chains.append(list(current))
        words = text[sent.start_char : sent.end_char].strip()
        if words.endswith(":"):
            short = len(words.split()) <= 3
            current = [i, *current] if short and current else [i]
        previous_end = sent.end_char
    return chains
