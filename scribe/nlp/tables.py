"""Rows of ``|`` tables in a note: their cells, the column each cell stands under, and what a
row says of its muscle's treatment.

A block of two or more ``|`` lines is a table whose first line is its header; a row whose cells
name their own columns ("Row 1 | Muscle: soleus | Method: TPI | Needles: 1") is its own header
wherever it stands. Pure functions over the note's text; ``templates.py`` keeps the rows of a
doc, ``structure.py`` ties the muscles of a treatment table to its procedure, ``counts.py``
reads a needle column.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# a cell that says no: "no", "n", "-", "0", "none", "not done", "deferred", "held", "✗"
_NO_CELL = re.compile(
    r"^\s*(?:no|n|-+|–|—|0|none|not\s+(?:done|needled|performed|today)|deferred|held|"
    r"skipped|declined|✗|✘|❌)\s*\.?\s*$",
    re.IGNORECASE,
)
_PALPATED_CELL = re.compile(
    r"\b(?:palpated|assessed|examined)\s+only\b|\bonly\s+(?:palpated|assessed)\b", re.I
)
_NOT_DONE_CELL = re.compile(
    r"\b(?:deferred|held|skipped|declined|refused|omitted|not\s+(?:needled|done|performed|"
    r"treated|today))\b",
    re.IGNORECASE,
)
# a cell that names its own column: "Muscle: soleus", "Needles: 1", "# needles: 2"
_CELL_LABEL = re.compile(r"\s*([A-Za-z#][\w #/?.()-]{0,24}?)\s*:\s*(?=\S)")
# what a row that names its own columns says of its procedure: "Method: TPI", "Agent:
# lidocaine 1% 1 mL" / "Method: DN"
_INJECTION_CELL = re.compile(
    r"\b(?:tpis?|inject(?:ion|ed)s?|trigger\s+point\s+injections?)\b|\b\d+(?:\.\d+)?\s*(?:ml|cc)\b",
    re.I,
)
_NEEDLING_CELL = re.compile(r"\b(?:t?dn|dry\s+needl\w*|needled)\b", re.I)
_DONE_COLUMN = re.compile(
    r"\b(?:needled|treated|done|performed|dn|tdn|tpi|injected|today|action|status)\b", re.I
)
_COUNT_COLUMN = re.compile(r"\b(?:needles?|#|count|insertions?|n)\b", re.I)
_TREATMENT_HEADER = re.compile(
    r"\b(?:needl\w*|dn|tdn|tpi|inject\w*|treated|treatment|performed|done|action|sites?|"
    r"volume|dose|units)\b",
    re.I,
)
_INJECTION_HEADER = re.compile(
    r"\b(?:tpi|inject\w*|injectate|mL|ml|cc|drug|medication|volume|dose|units)\b", re.I
)


# a flowsheet of visits, one column each: "03/02 | 03/09 | 03/16 (today)", "Visit 3 | Visit 4
# (today)"; the column of today says what was done today, the others what was done before
_VISIT_COLUMN = re.compile(
    r"\b\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?\b|\b(?:visit|session|tx|dos)\s*#?\s*\d{1,3}\b", re.I
)
_TODAY_COLUMN = re.compile(r"\btoday\b|\bthis\s+(?:visit|session)\b|\bcurrent\b", re.I)


@dataclass(frozen=True)
class TableRow:
    """One row of a ``|`` table: its cells (character ranges) and the header row's cells."""

    cells: tuple[tuple[int, int], ...]
    header: tuple[str, ...]
    is_header: bool
    # a row that names its own columns says its procedure in its cells ("Method: TPI")
    injected: bool | None = None

    @property
    def is_treatment(self) -> bool:
        """A row of a table whose columns speak of the procedure."""
        if self.injected is not None:
            return True
        return self.today_column is not None or any(
            _TREATMENT_HEADER.search(cell) for cell in self.header
        )

    @property
    def today_column(self) -> int | None:
        """In a flowsheet of visits (two or more columns named by a visit's date or number),
        the column of today's ("03/16 (today)")."""
        return _today_column(self.header)

    @property
    def is_injection(self) -> bool:
        """A row of a table whose columns speak of an injection."""
        if self.injected is not None:
            return self.injected
        return any(_INJECTION_HEADER.search(cell) for cell in self.header)


def _today_column(titles: Sequence[str]) -> int | None:
    visits = [k for k, cell in enumerate(titles) if _VISIT_COLUMN.search(cell)]
    today = [k for k in visits if _TODAY_COLUMN.search(titles[k])]
    return today[0] if len(visits) >= 2 and len(today) == 1 else None


def is_visit_title(title: str) -> bool:
    """A column title that names a visit by its date or number ("04/22 (today)", "Visit 3")."""
    return bool(_VISIT_COLUMN.search(title))


def is_flowsheet_header(titles: Sequence[str]) -> bool:
    """Column titles that name two or more visits, one of them today's."""
    return _today_column(titles) is not None


# the title of a table's column of names: "Muscle", "Site", "Target muscle"
_NAME_COLUMN = re.compile(r"^(?:(?:target\s+)?muscles?(?:\s+name)?|sites?|targets?|name)$", re.I)


def is_treatment_header(titles: Sequence[str]) -> bool:
    """Column titles of a table of today's treatment, one muscle a row: a column of names and
    one that says whether each was done ("Muscle  Side  Needles  LTR  Done")."""
    return (
        len(titles) >= 3
        and any(_NAME_COLUMN.match(t) for t in titles)
        and any(_DONE_COLUMN.search(t) for t in titles if not _NAME_COLUMN.match(t))
    )


def table_rows(text: str, lines: list[tuple[int, int]]) -> dict[int, TableRow]:
    """The table rows of a note, by line number (``lines``: [start, end) of each line)."""
    rows: dict[int, TableRow] = {}
    block: list[int] = []
    for number, (start, end) in enumerate([*lines, (0, 0)]):
        if end > start and text.count("|", start, end) >= 1 and pipe_cells(text, start, end):
            block.append(number)
            continue
        labelled = {line: _labelled_row(text, *lines[line]) for line in block}
        if len(block) >= 2 and labelled[block[0]] is None:
            header = tuple(text[a:b].strip().lower() for a, b in pipe_cells(text, *lines[block[0]]))
            for k, line in enumerate(block):
                cells = tuple(pipe_cells(text, *lines[line]))
                rows[line] = TableRow(cells, header, is_header=k == 0)
        else:
            rows.update((line, row) for line, row in labelled.items() if row is not None)
        block = []
    return rows


def _labelled_row(text: str, start: int, end: int) -> TableRow | None:
    """ "Row 1 | Muscle: soleus | Side: R | Method: TPI | Needles: 1": a row whose cells carry
    their own column names is its own header (the first such row is no header of the rows
    under it): each named cell's title is its name, its content what follows."""
    cells = pipe_cells(text, start, end)
    titles: list[str] = []
    values: list[tuple[int, int]] = []
    named = 0
    for a, b in cells:
        label = _CELL_LABEL.match(text, a, b)
        if label is None:
            titles.append(text[a:b].strip().lower())
            values.append((a, b))
        else:
            named += 1
            titles.append(label.group(1).strip().lower())
            values.append((label.end(), b))
    if named < 2 or 2 * named < len(cells):
        return None
    said = " | ".join(text[a:b] for a, b in values)
    injected = None
    if _INJECTION_CELL.search(said):
        injected = True
    elif _NEEDLING_CELL.search(said):
        injected = False
    return TableRow(tuple(values), tuple(titles), is_header=False, injected=injected)


_SUBSTANCE_COLUMN = re.compile(r"\b(?:injectate|drug|medication|agent|substance)\b", re.I)


def row_injected(text: str, row: TableRow) -> bool:
    """A row of a table of injections, unless its own substance cell says nothing went in
    ("| 03/03 today | R QL; L QL | none |" in a log whose "Injectate" column is "none")."""
    if not row.is_injection:
        return False
    cells = [
        text[slice(*row.cells[k])]
        for k, title in enumerate(row.header)
        if k < len(row.cells) and _SUBSTANCE_COLUMN.search(title)
    ]
    return not cells or not all(_NO_CELL.match(c) for c in cells)


def row_verdict(text: str, row: TableRow) -> str | None:
    """What a row says against treatment: "negated" when a cell says it was not done
    ("deferred today", "No" under "Needled?"), "mentioned" when its needle count is zero or
    blank or nothing stands under any column that says it was done; in a flowsheet of visits,
    "historical" when only another visit's column is marked; None otherwise."""
    today = row.today_column
    if today is not None:
        # (a row that ends before today's column left it blank)
        cell = text[slice(*row.cells[today])] if today < len(row.cells) else ""
        if cell.strip() and not _NO_CELL.match(cell):
            return None
        # nothing marked today: a mark in another visit's column is that visit's
        others = [
            text[slice(*row.cells[k])]
            for k, title in enumerate(row.header)
            if k != today and k < len(row.cells) and _VISIT_COLUMN.search(title)
        ]
        if any(c.strip() and not _NO_CELL.match(c) for c in others):
            return "historical"
        return "mentioned"
    verdict = None
    done = [k for k, title in enumerate(row.header) if _DONE_COLUMN.search(title)]
    if (
        done
        and not row.is_header
        and all(k >= len(row.cells) or not text[slice(*row.cells[k])].strip() for k in done)
    ):
        # nothing under any column that says it was done ("Muscle  Side  TTP  DN" over
        # "Piriformis  R  ✓": the mark stands under TTP)
        verdict = "mentioned"
    for k, (a, b) in enumerate(row.cells):
        cell = text[a:b]
        if _PALPATED_CELL.search(cell):
            return "palpated_only"
        if _NOT_DONE_CELL.search(cell):
            return "negated"
        if k >= len(row.header):
            continue
        title = row.header[k]
        if _DONE_COLUMN.search(title) and _NO_CELL.match(cell):
            return "negated"
        if _COUNT_COLUMN.search(title) and _NO_CELL.match(cell):
            verdict = "mentioned"
    return verdict


def pipe_cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The cells of a ``|`` row, leading and trailing bars ignored; [] when not a row."""
    line = text[start:end]
    if line.strip().startswith("|") is False and line.count("|") < 1:
        return []
    cells: list[tuple[int, int]] = []
    position = start
    for piece in line.split("|"):
        cells.append((position, position + len(piece)))
        position += len(piece) + 1
    if line.strip().startswith("|"):
        cells = cells[1:]
    if line.strip().endswith("|"):
        cells = cells[:-1]
    if len(cells) < 2 or all(not text[a:b].strip() for a, b in cells):
        return []
    if all(set(text[a:b].strip()) <= set("-:= ") for a, b in cells):
        return [(a, a) for a, _ in cells]  # a "|---|---|" rule line: part of the table
    return cells


def leading_cell(
    text: str, lines: list[tuple[int, int]], rows: dict[int, TableRow], line: int
) -> tuple[int, int] | None:
    """The first cell of the row a continuation row goes on from: a line that opens with a bar
    after blanks, under a table's row, leaves its first column empty ("Dry needling | R UT -
    TrP | 20561\n             | R levator scapulae - TrP |"), so the row above that fills it
    speaks for it too."""
    if not _continues(text, lines, line):
        return None
    k = line - 1
    while k >= 0 and _continues(text, lines, k):
        k -= 1
    row = rows.get(k)
    if row is None or row.is_header or not row.cells:
        return None
    first = row.cells[0]
    return first if text[slice(*first)].strip() else None


def _continues(text: str, lines: list[tuple[int, int]], k: int) -> bool:
    if not 0 <= k < len(lines):
        return False
    start, end = lines[k]
    opening = text[start:end]
    stripped = opening.lstrip(" \t")
    return stripped.startswith("|") and len(opening) > len(stripped)
