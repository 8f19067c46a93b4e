"""Sides marked in the columns of a ``|`` table: a header row with a column per side
("muscle | L | R | needles") and, on each muscle's row, a mark under the sides treated
("levator scapulae |   | x | - / 3" is the right levator only; "x" under both is bilateral).

Reads: the note as written (the reader's copy joins a table's lines that do not end with a bar),
and the muscle spans. Writes: ``laterality`` of a span named in the first
cell of such a row (``explicit``: the table says it of that name alone). A row with no mark
under either side, or a table with no side columns, is left to the other side readers.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from spacy.tokens import Doc, Span

from scribe.nlp.extensions import SOURCE, doc_text
from scribe.nlp.tables import pipe_cells
from scribe.nlp.templates import lines as line_spans

_SIDE_TITLES = {
    "l": "left", "lt": "left", "left": "left", "l side": "left",
    "r": "right", "rt": "right", "right": "right", "r side": "right",
}  # fmt: skip
_MARK = re.compile(r"^(?:x|✓|✔|☑|☒|■|\*|\+|y|yes)$", re.IGNORECASE)
# how far above its row a table's header may stand
_MAX_ROWS_ABOVE = 30


def _side_columns(text: str, cells: list[tuple[int, int]]) -> dict[int, str]:
    """The side of each column of a header row, by its index; {} when it has none."""
    titles = [" ".join(text[a:b].split()).lower().rstrip(".") for a, b in cells]
    return {i: _SIDE_TITLES[t] for i, t in enumerate(titles) if t in _SIDE_TITLES}


def mark_side_columns(doc: Doc, spans: list[Span]) -> None:
    """Set the side of each name in the first cell of a ``|`` table's row from the marks under
    the header's side columns."""
    if "|" not in doc_text(doc):
        return
    source = doc.user_data.get(SOURCE)
    if source is not None and source.text == doc_text(doc):
        text = source.original
        place = source.offsets
    else:
        text, place = doc_text(doc), None
    lines = line_spans(text)
    starts = [start for start, _ in lines]
    for span in spans:
        first = place[span.start_char] if place else span.start_char
        last = place[span.end_char - 1] + 1 if place else span.end_char
        number = max(i for i, start in enumerate(starts) if start <= first)
        cells = pipe_cells(text, *lines[number])
        if len(cells) < 3 or not (cells[0][0] <= first and last <= cells[0][1]):
            continue
        columns: dict[int, str] = {}
        header: list[tuple[int, int]] = []
        for above in range(number - 1, max(-1, number - _MAX_ROWS_ABOVE), -1):
            header = pipe_cells(text, *lines[above])
            if not header:
                break
            columns = _side_columns(text, header)
            if columns:
                break
        if not columns or max(columns) >= len(cells):
            continue
        ticked = [i for i in columns if _MARK.match(text[cells[i][0] : cells[i][1]].strip())]
        if not ticked:
            continue
        marked = {columns[i] for i in ticked}
        span._.laterality = "bilateral" if marked == {"left", "right"} else marked.pop()
        span._.laterality_source = "explicit"
        # the side is written in the header: its cells over the marks ("L | R" for both)
        start, end = header[ticked[0]][0], header[ticked[-1]][1]
        if place is not None:  # back to the reader's copy (its offsets rise with the note's)
            start, end = bisect_left(place, start), bisect_left(place, end)
        span._.side_cue = (start, end)
