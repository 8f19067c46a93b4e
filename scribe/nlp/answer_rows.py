"""Rows of a yes/no list under a question header: "DN today (needled yes/no):" over
"Peroneus longus L ...... yes (2 needles)", or a flowsheet "Muscle  Side  Needled today (Y/N)
Needles" over "Soleus  R  Y  2". The answer at the end of a muscle's row says whether it was
done; a row's side letter, leaders (dots, dashes) and needle count may stand around it.

A grid whose legend says what its mark means ("(X = needled)", "key: ✓ = needled") is read the
same way: a muscle's row of marks is a yes, and under a side-column header ("Muscle   R   L")
each mark's column gives its side, read where the clinician's padding put it. So is a chart
whose mark stands under a column headed by the procedure ("Muscle   Side   DN"), and a grid of
boxes under a side-column header that says what its marks mean ("Muscle treated   R   L").

Reads: the template's lines (``templates.py``), the mentions and the procedures done today.
Writes: the status (and, from a grid's columns, the side) of the mentions on such rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal

from spacy.tokens import Span

from scribe.nlp.mentions import FIRM, Mention, decide, tie
from scribe.nlp.templates import Template, side_header, template_of

if TYPE_CHECKING:
    from scribe.nlp.procedure_event import ProcedureEvent

Answer = Literal["yes", "no"]

# after the name: a side, leaders, the answer, then at most a needle count
_ROW_REST = re.compile(
    r"^\s*(?:\(?(?:r|l|b|rt|lt|right|left|bilat\w*|b/l)\)?\s*)?[\s.:\-–—_]*"
    r"(?P<answer>yes|no|y|n)\b\.?"
    r"\s*(?:\(?\s*(?:x\s*)?\d{1,2}(?:\s*needles?)?\s*\)?)?\s*$",
    re.IGNORECASE,
)
# the question header: a procedure word and "yes/no" or "Y/N"
_QUESTION = re.compile(r"\b(?:yes\s*/\s*no|y\s*/\s*n)\b", re.IGNORECASE)
_DONE_WORD = re.compile(r"\b(?:needl\w*|dn|tdn|tpi|inject\w*|treated|done|performed)\b", re.I)
_HEADER_REACH = 12  # lines looked at above a row for its header
# after the name: only marks (and at most a needle count)
_MARKS = re.compile(r"(?<![^\s])(?:x|✓|✔|√)(?![^\s])", re.IGNORECASE)
_MARKS_ROW = re.compile(r"^(?:\s*(?:x|✓|✔|√))+\s*(?:\d{1,2})?\s*$", re.IGNORECASE)
_LEGEND = re.compile(
    r"(?:\b(?:x|check(?:ed)?|tick(?:ed)?)\b|[✓✔√])\s*\)?\s*=\s*"
    r"(?:needled|treated|done|dn|tdn|injected)\b",
    re.IGNORECASE,
)


def _row(span: Span) -> tuple[Template, int, str]:
    """The template, the line of a muscle name, and the rest of its line after the name."""
    template = template_of(span.doc)
    line = template.line_of(span.start_char)
    return template, line, template.text[span.end_char : template.lines[line][1]]


def _block_above(template: Template, line: int) -> Iterator[tuple[int, str]]:
    """The lines above ``line`` in its block (up to a blank line), nearest first: (where the
    line starts, its text)."""
    for above in range(line - 1, max(-1, line - _HEADER_REACH), -1):
        first, stop = template.lines[above]
        words = template.text[first:stop]
        if not words.strip():
            return
        yield first, words


def row_answer(span: Span) -> Answer | None:
    """The yes/no answer ending the row of a muscle name, when a question header about the
    procedure stands above the row in the same block of lines."""
    template, line, rest = _row(span)
    match = _ROW_REST.match(rest)
    if match is None:
        return None
    for _, words in _block_above(template, line):
        if _QUESTION.search(words) and _DONE_WORD.search(words):
            return "no" if match.group("answer").lower().startswith("n") else "yes"
    return None


def marked_sides(span: Span) -> set[str] | None:
    """The sides marked on a muscle's row of a legend grid ("Infraspinatus   X   X" under
    "Muscle   R   L" and "(X = needled)"): None when the row is no such row; an empty set
    when it is but no side column stands above."""
    template, line, rest = _row(span)
    if not _MARKS_ROW.match(rest):
        return None
    columns: list[tuple[int, str]] = []
    for first, words in _block_above(template, line):
        header = [] if columns else side_header(words)
        if header:
            columns = [(template.column(first + offset), side) for offset, side in header]
            continue
        if _LEGEND.search(words):
            marks = [template.column(span.end_char + m.start()) for m in _MARKS.finditer(rest)]
            if not columns:
                return set()
            return {min(columns, key=lambda c: abs(c[0] - mark))[1] for mark in marks}
    return None


# after the name: at most a side, then one mark ("Gluteus medius   R   ✓")
_SIDE_AND_MARK = re.compile(
    r"^\s*(?:(?:r|l|b|rt|lt|right|left|bilat\w*|b/l)\s+)?(?P<mark>x|✓|✔|√)\s*$", re.IGNORECASE
)
_HEADER_WORD = re.compile(r"\S+")


def ticked_column(span: Span) -> bool:
    """A muscle's row of a chart whose mark stands under a column headed by the procedure
    ("Muscle   Side   DN" over "Piriformis   R   ✓"): the header word nearest the mark's column,
    in the same block of lines, is a procedure word."""
    template, line, rest = _row(span)
    match = _SIDE_AND_MARK.match(rest)
    if match is None:
        return False
    mark = template.column(span.end_char + match.start("mark"))
    for first, words in _block_above(template, line):
        if _MARKS.search(words) or _SIDE_AND_MARK.search(words):
            continue  # another row of the chart
        found = [
            (template.column(first + w.start()), w.group(0)) for w in _HEADER_WORD.finditer(words)
        ]
        _, nearest = min(found, key=lambda c: abs(c[0] - mark))
        return bool(_DONE_WORD.fullmatch(nearest.strip(":()")))
    return False


def checked_under_a_done_header(span: Span) -> bool:
    """A muscle's row of boxes with one checked, under a side-column header that says what a
    mark means ("Muscle treated   R   L   Bilat   # needles" over "Upper trapezius  [ ]  [ ]
    [x]  4"): the header is the row's legend."""
    template, line, _ = _row(span)
    boxes = template.boxes_after(span)
    if not any(checked for _, checked in boxes):
        return False
    for _, words in _block_above(template, line):
        if side_header(words):
            return bool(_DONE_WORD.search(words))
    return False


def answered_rows(
    mentions: list[Mention], effective: list[ProcedureEvent], technique: dict[str, str | None]
) -> None:
    """ "DN today (needled yes/no):" over "Extensor digitorum longus L .. no": the row's
    answer decides, over a heading's list; a "yes" (or a legend grid's mark) speaks of the
    note's procedure done today, its strong words first."""
    today = [e for e in effective if e.billable_today]
    event = next((e for e in today if e.strength == "strong"), None) or next(iter(today), None)
    for mention in mentions:
        span = mention.span
        answer = row_answer(span)
        sides = marked_sides(span) if answer is None else None
        if answer is None and sides is None and ticked_column(span):
            answer = "yes"
        if answer is None and sides is None and checked_under_a_done_header(span):
            answer = "yes"  # its sides were read from the box columns (laterality.py)
        if sides is not None:
            answer = "yes"
            if sides:
                span._.laterality = "bilateral" if len(sides) == 2 else next(iter(sides))
                span._.laterality_source = "explicit"
        if answer == "no":
            decide(mention, "negated", FIRM, None)
        elif answer == "yes" and span._.status != "treated" and event is not None:
            tie(mention, event, "list", None, technique.get(event.kind))
