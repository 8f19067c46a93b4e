"""Flowsheets of visits laid out with spaces, not ``|`` bars: an EHR's treatment log printed as
text, one column per visit, today's marked.

```
                               04/08      04/15      04/22 (today)
  L medial gastrocnemius         x          x          x
  L soleus                       x          x          -
```

A header line whose cells (runs of words parted by two or more spaces, or a tab, in the note as
written) name two or more visits by date or number, one of them today's, heads the lines under
it down to a blank line. So does the header of a table of today's treatment, one muscle a row,
laid out the same way ("Row  Muscle  Side  Needles  LTR  Done" over "1  Supraspinatus  R  2  Y
Y"): its rows are read as a ``|`` table's are. Each cell of a row stands under the header
cell nearest its place on the line; the row is then read as a ``|`` table's row is
(``tables.row_verdict``): a mark only under another visit's column is that visit's. Pure
functions over the note's text and the column each character had as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from scribe.nlp.tables import TableRow, is_flowsheet_header, is_treatment_header, is_visit_title

_WORD = re.compile(r"\S+")
_GAP = 2  # columns of padding that part two cells


def aligned_flowsheets(
    text: str,
    lines: list[tuple[int, int]],
    column: Callable[[int], int],
    padding: Callable[[int, int], str],
) -> dict[int, TableRow]:
    """The rows of the space-aligned flowsheets of a note, by line number. ``column(char)`` is
    where a character stood on its line as written; ``padding(a, b)`` is what the note as
    written held between the characters ``a`` and ``b`` (a tab parts cells too)."""
    rows: dict[int, TableRow] = {}
    number = 0
    while number < len(lines):
        start, end = lines[number]
        cells = _cells(text, start, end, column, padding)
        titles = [text[a:b].strip().lower() for a, b in cells]
        if len(cells) < 2 or not (is_flowsheet_header(titles) or is_treatment_header(titles)):
            number += 1
            continue
        places = [(column(a), column(b - 1) + 1) for a, b in cells]
        # the names' column has no title when the first title is a visit's
        named = not is_visit_title(titles[0])
        header = tuple(titles) if named else ("", *titles)
        rows[number] = TableRow(tuple(cells), header, is_header=True)
        below = number + 1
        while below < len(lines) and lines[below][1] > lines[below][0]:
            row = _cells(text, *lines[below], column, padding)
            if len(row) < 2:
                break
            placed = _placed(row, places, named, column)
            rows[below] = TableRow(placed, header, is_header=False)
            below += 1
        number = below
    return rows


def _cells(
    text: str,
    start: int,
    end: int,
    column: Callable[[int], int],
    padding: Callable[[int, int], str],
) -> list[tuple[int, int]]:
    """The cells of a line: runs of words parted by two or more columns of padding."""
    cells: list[tuple[int, int]] = []
    for word in _WORD.finditer(text, start, end):
        a, b = word.span()
        if cells:
            last = cells[-1][1]
            gap = column(a) - column(last - 1) - 1
            if gap < _GAP and "\t" not in padding(last, a):
                cells[-1] = (cells[-1][0], b)
                continue
        cells.append((a, b))
    return cells


def _placed(
    row: list[tuple[int, int]],
    places: list[tuple[int, int]],
    named: bool,
    column: Callable[[int], int],
) -> tuple[tuple[int, int], ...]:
    """The row's cells by the header's columns (an empty range where a column has none): a
    cell under a title's columns is that title's, as a left-aligned "x" under a wide "Twitch
    response"; a cell under none is the title's whose middle is nearest."""
    offset = 0 if named else 1
    found: dict[int, tuple[int, int]] = {}
    for a, b in row:
        low, high = column(a), column(b - 1) + 1
        if not named and high <= places[0][0]:
            k = 0  # the name, before the first visit's column
        else:
            k = offset + min(
                range(len(places)),
                key=lambda i: (
                    -_overlap((low, high), places[i]),
                    abs((low + high) / 2 - (places[i][0] + places[i][1]) / 2),
                ),
            )
        found[k] = (found[k][0], b) if k in found else (a, b)
    end = row[-1][1]
    count = len(places) + offset
    return tuple(found.get(k, (end, end)) for k in range(count))


def _overlap(cell: tuple[int, int], title: tuple[int, int]) -> int:
    """How many columns a cell and a header title share."""
    return max(0, min(cell[1], title[1]) - max(cell[0], title[0]))
