"""Counts a note states: needles used and muscles treated (DOMAIN.md section 8).

"24 needles in 3 muscles", "QL x5 needles, glute med x2", "two needles in each": each count keeps
its character offsets. Needle sizes ("0.25 x 40 mm") are not counts. Counts read against the
muscles the note names (multiplied out, after each name, totals said again) are
``named_counts.py``'s.

Reads: the note's lower-case text. Writes nothing: pure functions for ``rationale.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scribe.nlp.numbers import NUMBER, expand_number_placeholder, parse_number
from scribe.nlp.tables import TableRow, pipe_cells

CharSpan = tuple[int, int]

_SYNTAX = re.compile(r"\\.|\(\?P[<=]\w+>?|\{NUM\}")


def compile_lowercase(source: str) -> re.Pattern[str]:
    """A pattern searched in lower-case text (``doc_lower_text``): several times cheaper than
    an IGNORECASE search. It may name no capital letter outside escapes and group names."""
    if any(ch.isupper() for ch in _SYNTAX.sub("", source)):
        raise ValueError("a pattern searched in lower-case text names a capital letter")
    return re.compile(expand_number_placeholder(source))


# searched in the lower-case text
STATED_COUNT = compile_lowercase(
    # (not a scale's "/10", nor a number a blank line parts from the word: "Pain (NPRS) pre
    # ... 7/10" over the table's "Muscle | Side | Needles")
    rf"(?<!/)\b(?:x\s*)?(?P<n>{NUMBER})(?:[ \t]+|[ \t]*\n[ \t]*)"
    rf"(?:separate\s+|different\s+|distinct\s+|total\s+|individual\s+|named\s+)?"
    rf"(?:muscles?|muscle\s+groups)\b"
    # the count as the needling verb's object, its names after it: "I only needled two, the
    # right infraspinatus and the right levator"
    rf"|\b(?:needled|injected)\s+(?:only\s+|just\s+)?(?P<v>{NUMBER})(?=\s*[,:;-]\s*(?:the\s+)?"
    rf"(?:r|l|rt|lt|right|left|both|bilateral)\b)"
    # all of them, counted after the procedure: "TDN to all 4, no injectate", "needled all
    # three" (not "all 4 needles", "all four times")
    rf"|\b(?:t?dn|dry\s+needl(?:ed|ing)|needled|needling|tpis?|injected)\s+(?:(?:to|of|into|in)\s+)?"
    rf"all\s+(?P<a>{NUMBER})\b(?!\s*(?:needles?|insertions?|times|sites?|points?|trps?|trigger|mm|cm|"
    rf"sessions?|visits?|weeks?|days?)\b)"
    # a label: "Muscles needled: 5", "# muscles treated today = 3"
    rf"|\bmuscles?\s+(?:dry\s+)?(?:needled|treated|injected)(?:\s+today)?\s*[:=]\s*(?P<l>\d{{1,2}})\b"
    # "Number of muscles: 3", "# of muscles treated = 4", "No. of muscles: 2"
    rf"|(?:\bnumber\s+of|#\s*(?:of\s+)?|\bno\.?\s+of)\s*muscles(?:\s+(?:dry\s+)?(?:needled|treated|"
    rf"injected))?(?:\s+today)?\s*[:=]\s*(?P<k>\d{{1,2}})\b"
)
NEEDLE_COUNT = compile_lowercase(
    # not a code's modifier: "20560-59 Needle insertion w/o injection"
    # (not a label's own words: "Muscles needled: 5   Total needles: 11")
    rf"(?<!\d-)\b(?:x\s*)?(?P<n>{NUMBER})\s+(?:total\s+)?(?:needles?|needle\s+insertions?|insertions?)\b"
    # ("Number of muscles: 3     Needles used: 6": the 3 is no count of needles)
    rf"(?!(?:\s+(?:used|placed|inserted|count|today|total))*\s*[:=])"
    rf"|(?<=needles)[^.\n]{{0,30}}?\b(?P<t>{NUMBER})\s+(?:total|in\s+total)\b"
    # the needles of each muscle added up after the label: "Needles: 2 + 2", "Needles 3/2/4"
    rf"|\bneedles?(?:\s*(?:used|placed|inserted|count|today|total))*\s*[:=]?\s*"
    rf"(?P<s>\d{{1,2}}(?:\s*\+\s*\d{{1,2}})+|\d{{1,2}}(?:/\d{{1,2}}){{2,}})\b"
    rf"(?!\s*(?:g|ga|gauge|mm)\b)"
    # "Needle: 27 g" is the needle's gauge
    # ("Needles used today: 14")
    rf"|\bneedles?(?:\s*(?:used|placed|inserted|count|today|total|this\s+(?:visit|session)))*"
    rf"\s*[:=]\s*(?P<m>\d+)\b(?!\s*(?:g|ga|gauge)\b)"
    # said as a sentence: "Needles total is eight", "needles used were six"
    rf"|\bneedles?(?:\s+(?:used|placed|inserted|total|in\s+total))*\s+(?:is|was|were)\s+"
    rf"(?P<w>{NUMBER})\b(?!\s*(?:mm|cm|g|ga|gauge|millimet\w*|centimet\w*|inch\w*)\b)"
    rf"|\bx\s*(?P<x>\d+)\s+needles?\b"
    # "0.20 x 30 mm needles x3" (the size is blanked out before this is searched)
    rf"|\bneedles?\s+x\s*(?P<y>\d{{1,2}})\b(?!\s*(?:wks?|weeks?|days?|mins?|minutes?|sessions?|visits?))"
)
# (a list that wraps after a comma goes on: "rhomboid major x2,\n L UT x2")
CLAUSE_END = re.compile(r"[.;]|(?<!,)(?<!, )\n|$")
# "two needles in each", "one needle each", "three apiece": a count per muscle
# (also written "/ea", "ea.")
_EACH = re.compile(
    r"\s*(?:(?:in|into|to|at|for)\s+(?:each|every)\b|each\b|apiece\b|/\s*ea\b|ea\b\.?)"
)
# "two needles per side": per side treated
_PER_SIDE = re.compile(r"\s*(?:(?:on\s+|for\s+)?(?:per|each|either|a)\s+side|/\s*side)\b")
_NOT_NEEDLES_BEFORE = re.compile(
    r"\b(?:ltrs?|twitch(?:es)?|responses?|reps?|sets?|repeated|times)\s*$", re.IGNORECASE
)
# a count after the next name of a list that began with "N needles" ("R QL x5 needles,
# glute med x2"): that item's needles; and the counts before "x2 needles" in such a list
# ("TDN L VL x3, VMO x2, RF x2 needles")
LIST_ITEM_COUNT = re.compile(
    r"\bx\s*(?P<n>\d{1,2})\b(?!\s*(?:wks?|weeks?|days?|months?|years?|mins?|minutes?|sessions?|"
    r"visits?|reps?|sets?|per|each|/))",
    re.IGNORECASE,
)
# "three needles in the brachialis, two in the biceps and two in the pronator teres": the
# next muscle's needles, said without the word
PROSE_ITEM_COUNT = compile_lowercase(
    rf"(?<!\bto )(?<!\bfrom )\b(?P<n>{NUMBER})\s+(?:more\s+)?(?:needles?\s+)?(?:in|into|at)\s+"
    rf"(?:the|his|her|their)\b(?!\s+(?:end|start|beginning|time|same|moment)\b)"
)
_PROSE_ITEM_START = re.compile(r"\s*(?:in|into|at)\s+(?:the|his|her|their)\b")
_X_COUNT = re.compile(r"x\s*\d")
# a list item's next count lies at most this far from the one before
_ITEM_GAP = 60
# "Rt ECRB (3), supinator (1), FDS (2)" under a heading that says the brackets hold needles
_BRACKETED_HEADING = re.compile(r"\(\s*(?:number\s+of\s+|no\.\s*of\s+|#\s*)?needles?\s*\)\s*:")
_BRACKETED_ITEM = re.compile(r"\(\s*(?P<n>\d{1,2})\s*\)")
# "four needles in the soleus, actually make that three": the count said again replaces it
_CORRECTION = re.compile(
    r"^[\s,]*(?:\w+[\s,]+){0,4}?(?:actually|make\s+that|i\s+mean|sorry|scratch\s+that|correction)\b"
)


# a needle's size, gauge by length ("0.25 x 40", "0.30x60 mm"): no count of needles
NEEDLE_SIZE = re.compile(r"\d*\.\d+\s*(?:mm\s*)?[x×]\s*\d+(?:\s*mm)?\b")


def without_sizes(text: str) -> str:
    """``text`` with its needle sizes blanked out, offsets kept."""
    return NEEDLE_SIZE.sub(lambda m: " " * len(m.group(0)), text)


@dataclass
class CountItem:
    span: CharSpan
    value: int
    total: bool = False
    each: bool = False  # "two needles in each": per muscle, not yet multiplied
    per_side: bool = False  # "two needles per side": per side, not yet multiplied


def _items_after(
    text: str, start: int, stop: int, per_item: re.Pattern[str], *, chained: bool
) -> list[re.Match[str]]:
    """A list's counts after ``start`` in its clause: each within ``_ITEM_GAP`` of the one
    before when ``chained``."""
    found: list[re.Match[str]] = []
    reach = start
    for item in per_item.finditer(text, start, stop):
        if chained and item.start() - reach > _ITEM_GAP:
            break
        if _NOT_NEEDLES_BEFORE.search(text, max(0, item.start() - 16), item.start()):
            continue  # "LTR x2": twitches, not needles
        if chained and item.group("n") in ("both", "single", "couple"):
            continue
        found.append(item)
        reach = item.end()
    return found


def _items_before(text: str, match: re.Match[str]) -> list[re.Match[str]]:
    """ "TDN L VL x3, VMO x2, RF x2 needles": the list's earlier counts, back to the start of
    its clause, each within ``_ITEM_GAP`` of the next."""
    clause_start = max(text.rfind(c, 0, match.start()) for c in ".;:\n") + 1
    items = list(LIST_ITEM_COUNT.finditer(text, clause_start, match.start()))
    kept: list[re.Match[str]] = []
    reach = match.start()
    for item in reversed(items):
        if reach - item.end() > _ITEM_GAP:
            break
        if _NOT_NEEDLES_BEFORE.search(text, max(0, item.start() - 16), item.start()):
            break
        kept.append(item)
        reach = item.start()
    return kept


def _list_items(text: str, matches: list[re.Match[str]]) -> list[re.Match[str]]:
    """The counts of each needle list's other items (``LIST_ITEM_COUNT``, ``PROSE_ITEM_COUNT``,
    bracketed counts under a heading)."""
    items: list[re.Match[str]] = []
    for match in matches:
        clause_end = CLAUSE_END.search(text, match.end())
        stop = clause_end.start() if clause_end else len(text)
        items += _items_after(text, match.end(), stop, LIST_ITEM_COUNT, chained=False)
        if _X_COUNT.match(match.group(0)):
            items += _items_before(text, match)
        if _PROSE_ITEM_START.match(text, match.end()):
            items += _items_after(text, match.end(), stop, PROSE_ITEM_COUNT, chained=True)
    for heading in _BRACKETED_HEADING.finditer(text):
        line_end = text.find("\n", heading.end())
        stop = len(text) if line_end < 0 else line_end
        items += _items_after(text, heading.end(), stop, _BRACKETED_ITEM, chained=True)
    return items


def read_counts(
    pattern: re.Pattern[str],
    text: str,
    offset: int,
    *,
    per_item: bool = False,
) -> list[CountItem]:
    """Counts in ``text``. With ``per_item``, the other items of a needle list count too: "QL
    x5 needles, glute med x2, piriformis x3" is 5 + 2 + 3, as is "QL x5, glute med x2,
    piriformis x3 needles" and "five needles in the QL, two in the glute med and three in the
    piriformis". A count corrected at once ("four, actually make that three") is the second."""
    items: list[CountItem] = []
    matches: list[re.Match[str]] = list(pattern.finditer(text))
    if per_item:
        taken = [(m.start(), m.end()) for m in matches]
        for item in _list_items(text, matches):
            if not any(s < item.end() and item.start() < e for s, e in taken):
                matches.append(item)
                taken.append((item.start(), item.end()))
        matches.sort(key=lambda m: m.start())
    for index, match in enumerate(matches):
        raw = next(g for g in match.groups() if g is not None)
        added = match.groupdict().get("s")
        number = sum(map(int, re.findall(r"\d+", added))) if added else parse_number(raw)
        if number is not None and number == int(number) and 0 < number < 200:
            start, end = offset + match.start(), offset + match.end()
            line_start = text.rfind("\n", 0, start) + 1
            before = text[max(line_start, start - 30) : start].lower()
            line_end = text.find("\n", end)
            # (the line's own words: "R temporalis: 2 needles\nTotal 7 needles" is no total)
            after = text[end : min(end + 14, len(text) if line_end < 0 else line_end)].lower()
            if re.match(r"\s*(?:per|each|/)\s*(?:muscle|site|trp|trigger)", after):
                continue  # "2 needles per muscle" is not a count of needles used
            following = matches[index + 1] if index + 1 < len(matches) else None
            if (
                per_item
                and following is not None
                and _CORRECTION.match(text[match.end() : following.start()])
            ):
                continue  # "four needles, actually make that three"
            # "so twenty two needles across four muscles": the sum said after its items (not
            # "so two needles in each")
            shared = bool(_EACH.match(after) or _PER_SIDE.match(after))
            total = bool(
                (
                    re.search(r"(?:total(?!,)|=|sum)", before)
                    # ("three muscles total two needles in each": the muscles' total)
                    and (not shared or re.search(r"(?<!muscles\s)(?:total|=)\s*:?\s*$", before))
                )
                or (
                    not shared
                    and re.search(r"\b(?:so|that'?s|that\s+is|making|which\s+makes)\s*$", before)
                )
                or re.match(r"\s*(?:total|in\s+all|altogether|across\b)", after)
                or match.group(0).rstrip().endswith("total")
                # a label: "Corrected needle total: 12"
                or (
                    (match.groupdict().get("m") or match.groupdict().get("w")) is not None
                    and "total" in match.group(0)
                )
            )
            each = bool(_EACH.match(after)) and not total
            per_side = bool(_PER_SIDE.match(after)) and not total
            items.append(CountItem((start, end), int(number), total, each, per_side))
    return items


# a table's column of needles: its heading cell
_NEEDLES_HEADING = re.compile(
    r"(?:#|no\.|number)?\s*(?:of\s+)?needles?(?:\s+(?:used|placed|count))?(?:\s*\(\s*(?:n|#)\s*\))?",
    re.IGNORECASE,
)
_TAB_CELL = re.compile(r"(?:(?<=\t)|^)[^\t\n]*(?=\t|$)", re.MULTILINE)
_CELL_COUNT = re.compile(r"\s*(?P<n>\d{1,2})\s*")
_RULE_ROW = re.compile(r"^[\s|:\-–—=+]+$")


def _cells(line: str, start: int) -> list[tuple[int, str]]:
    """A table row's cells with where each begins: between pipes (``templates.pipe_cells``),
    or between tabs."""
    if "|" in line:
        return [(start + a, line[a:b]) for a, b in pipe_cells(line, 0, len(line))]
    if "\t" in line:
        return [(start + m.start(), m.group(0)) for m in _TAB_CELL.finditer(line)]
    return []


def table_counts(text: str, offset: int) -> list[CountItem]:
    """ "| Muscle | Side | Needles |" over "| Infraspinatus | L | 3 |": each row's needles, from
    the column whose heading names them, down to the end of the table."""
    items: list[CountItem] = []
    lines: list[tuple[int, str]] = []
    at = 0
    for line in text.split("\n"):
        lines.append((at, line))
        at += len(line) + 1
    column: int | None = None
    width = 0
    for start, line in lines:
        cells = _cells(line, start)
        if column is not None:
            if _RULE_ROW.match(line) and line.strip():
                continue
            if len(cells) != width:
                column = None
            else:
                where, cell = cells[column]
                number = _CELL_COUNT.fullmatch(cell)
                if number and int(number.group("n")) > 0:
                    span = (offset + where + number.start("n"), offset + where + number.end("n"))
                    items.append(CountItem(span, int(number.group("n"))))
                continue
        headings = [
            i for i, (_, cell) in enumerate(cells) if _NEEDLES_HEADING.fullmatch(cell.strip())
        ]
        if len(cells) >= 3 and len(headings) == 1:
            column, width = headings[0], len(cells)
    return items


def row_needles(text: str, row: TableRow) -> CountItem | None:
    """The needles of one row of a table laid out with spaces ("Site  Side  Needles  Twitch"
    over "Soleus  L  3  x"): the number under its header's one needles column."""
    columns = [i for i, title in enumerate(row.header) if _NEEDLES_HEADING.fullmatch(title.strip())]
    if row.is_header or len(columns) != 1 or columns[0] >= len(row.cells):
        return None
    start, end = row.cells[columns[0]]
    number = _CELL_COUNT.fullmatch(text, start, end)
    if number is None or int(number.group("n")) == 0:
        return None
    return CountItem(number.span("n"), int(number.group("n")))
