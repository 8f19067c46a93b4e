"""Text the pipeline reads, and the way back to the dictation's own characters.

Notes from EHRs carry characters that look like nothing or like something else: zero-width and
bidirectional marks, soft hyphens and byte-order marks inside words ("upper trapezius\\u200b"),
non-breaking spaces, typographic quotes and dashes, full-width letters. Typed notes also carry
hard line wraps ("middle\\nscalene") and column padding ("negative   for"). spaCy makes tokens of
all of these, which breaks names and phrases. The pipeline reads a normalized copy; every offset
it produces maps back to the original text, so evidence always quotes the clinician's exact
words (invisible characters included).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

# a line break inside a sentence: a word or comma before and a lower-case word after, or a
# line that ends on a word that cannot end a sentence ("2 mL of\n0.5% bupivacaine")
_SOFT_WRAP = (
    # a word broken with a hyphen at the end of a line (or of a printed page): "R levator
    # scap-\nulae", "R infra-\n\n[page break]\n\nspinatus" is one word
    r"(?<=[a-z]{2})(?P<hyphen>-[ \t]*\n\s*)(?=[a-z]{2})"
    r"|(?<=[A-Za-z,;])(?P<wrap>[ \t]*\n[ \t]*)(?=[a-z])"
    # (not inches: "Needle: 25 g 1.5 in\nMedication: ...")
    r"|\b(?:of|with|and|or|the|a|an|to|(?<![\d.]\s)in|into|at|for|from|by|on)"
    r"(?P<after>[ \t]*\n[ \t]*)(?=\S)"
    # a line that ends on a comma goes on: "L UT,\n L levator scapulae and L rhomboid major"
    r"|(?<=[A-Za-z],)(?P<comma>[ \t]*\n[ \t]*)(?=[A-Za-z])"
    # letters spelled out across the line's end: "needled the left T F\n L and the ..."
    r"|(?<=\b[A-Z] [A-Z])(?P<spelled>[ \t]*\n[ \t]*)(?=[A-Z]s?\b(?!\s*[:|)]))"
)
# struck-through text (Markdown "~~...~~", HTML <s>, <del>, <strike>) was withdrawn: it
# documents nothing, so it is read as blank (its characters keep their places)
_STRUCK = re.compile(
    r"~~(?=\S)[^~]{1,800}?(?<=\S)~~|<(s|del|strike)>[^<]{0,800}</\1>", re.IGNORECASE
)
# a dictation begun again: "I'm in the wrong chart, scratch all of that, starting over for
# Mr B", "disregard everything above, let me start again". What was said before it in its
# paragraph was taken back by the one who said it, so it is read as blank like struck text
# (the command too); the words after it are the dictation. A bare "scratch that" takes back
# only the words right before it and is left to the context rules.
_RESTART = re.compile(
    r"\b(?:"
    r"(?:scratch|strike|delete|disregard|ignore|erase|discard|cancel)\s+(?:"
    r"all\s+(?:of\s+)?(?:that|this|the\s+above|it)|everything(?:\s+(?:so\s+far|above|before"
    r"(?:\s+(?:this|that))?|i(?:'ve|\s+have)?\s+(?:just\s+)?(?:said|dictated)))?"
    r"|the\s+whole\s+(?:thing|dictation|note)"
    r"|(?:this|that|the)\s+(?:whole\s+|entire\s+)?(?:dictation|note)(?:\s+so\s+far)?)"
    r"|(?:let\s+me|i(?:'ll|\s+will|'m\s+going\s+to|\s+am\s+going\s+to|'m\s+gonna)|(?:okay|ok|"
    r"alright|all\s+right|so)[,.]?)\s+(?:start|begin)(?:ing)?\s+(?:(?:this|it|the\s+dictation)\s+)?"
    r"(?:(?:over|again)(?:\s+from\s+the\s+(?:top|beginning))?|from\s+the\s+(?:top|beginning))"
    r")(?=\s*(?:[.,;:!?]|$|\b(?:and|okay|ok|so|let|i|i'm|i'll|we|start|starting|begin|beginning"
    # (punctuation said aloud, read as marks only later: "let me start over period")
    r"|for|this|wrong|period|comma|full\s+stop|new\s+(?:paragraph|line))\b))",
    re.IGNORECASE,
)
_PARAGRAPH = re.compile(r"\n[ \t]*\n")
# the words right before taken back as they are said ("the left upper trap, scratch that, the
# right upper trap"): the context rules deny them; the words said anew are the dictation's
TAKEN_BACK = re.compile(r"\b(?:scratch|strike|delete|disregard|ignore)\s+that\b", re.IGNORECASE)
# a plural left open, "injection(s)", "muscle(s)": read as the plural (same length, so every
# character keeps its place)
_OPEN_PLURAL = re.compile(r"(?<=[a-z])\(s\)(?![A-Za-z])", re.IGNORECASE)
# a product named with its strength, "Kenalog-40", "Kenalog-10": the name read apart from
# its strength (same length) so that the drug is found; one or two letters before a hyphen
# and a number are a level or a point ("C-7", "GB-21")
_STRENGTH = re.compile(r"(?<=[A-Za-z]{3})-(?=\d{1,3}\b)")
_PADDING = r"[ \t]{2,}|\t"
# punctuation said aloud, as users of dictation software do ("upper trapezius comma levator
# scapulae period"): read as the mark where the note says such words at least twice, words no
# prose uses; "period" then too, unless it is a span of time ("a period of rest")
_SAID_MARKS = re.compile(r"\b(?:comma|full\s+stop|new\s+paragraph|new\s+line|semicolon)\b", re.I)
_MARKS_LOOKED_AT = 20_000
_PERIODS_OF_TIME = ("a", "the", "this", "that", "each", "per", "same", "time", "grace",
                    "waiting", "trial", "rest", "recovery", "healing", "refractory", "menstrual",
                    "washout", "op", "postop", "postoperative", "perioperative", "lookback",
                    "certification", "cert")  # fmt: skip
_NOT_A_MARK = "".join(rf"(?<!\b{w} )" for w in _PERIODS_OF_TIME)
# "period" said between two words, as no span of time is ("follow up for her neck period she
# says ... on file period tolerated well"): three of them mark a dictation as well
_SAID_PERIOD = re.compile(rf"(?<=[a-z,] ){_NOT_A_MARK}\bperiod\b(?!\s+of\b)(?=,?\s+[a-z])", re.I)
_SAID_PERIODS = 3
# a mark the recogniser wrote beside the word ("sides, period six") is the same mark
_BESIDE = r"[ \t]*[,;.]?"
_SPOKEN_MARKS = (
    (re.compile(rf"{_BESIDE}[ \t]*\bcomma\b[,;.]?", re.I), ","),
    (re.compile(rf"{_BESIDE}[ \t]*\bsemicolon\b[,;.]?", re.I), ";"),
    (
        re.compile(
            rf"{_BESIDE}[ \t]*{_NOT_A_MARK}\b(?:period|full\s+stop)\b(?!\s+of\b)[,;.]?", re.I
        ),
        ".",
    ),
    # a line break keeps the full stop before it
    (re.compile(r"[ \t]*,?[ \t]*\bnew\s+(?:paragraph|line)\b[,;.]?[ \t]*", re.I), "\n"),
)
# the Latin shorthand letters with a bar over them (c-bar "cum", s-bar "sine", p-bar "post",
# a-bar "ante") and the slashed O or empty set written for "nil": read as the words
_MACRON = "\u0304"
_SYMBOL_WORDS = (
    (re.compile(rf"(?<![A-Za-z])[cC]{_MACRON}(?![A-Za-z])"), "with"),
    (re.compile(rf"(?<![A-Za-z])[sS]{_MACRON}(?![A-Za-z])"), "without"),
    (re.compile(rf"(?<![A-Za-z])[pP]{_MACRON}(?![A-Za-z])"), "after"),
    (re.compile(rf"(?<![A-Za-z])[aA]{_MACRON}(?![A-Za-z])"), "before"),
    (re.compile(r"(?<![A-Za-z])[\u00d8\u00f8\u2205](?=[ \t]+[A-Za-z])"), "no"),
)
# cubic centimetres spelled as letters after an amount, as dictation software and a spoken
# note write them ("one c c into each", "2 c.c. of lidocaine"): read as "cc"
_AMOUNTS = "one two three four five six seven eight nine ten half a".split()
_AMOUNT_BEFORE = "|".join(f"(?<=\\b{word} )" for word in _AMOUNTS)
_SPELLED_CC = (
    (
        re.compile(rf"(?:(?<=\d)|(?<=\d )|{_AMOUNT_BEFORE})c(?:\.\s?|\s)c\b", re.I),
        "cc",
    ),
)
_SPACES = re.compile(f"{_SOFT_WRAP}|{_PADDING}")
_NOT_ASCII = re.compile(r"[^\x00-\x7f]+")
_LINE_ENDS = re.compile(r"\r\n?")

# characters read as another one; everything else outside ASCII is decided by its category
_READ_AS: dict[str, str] = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u00b4\u0060", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
    # the multiplication sign of a count or a size: "R VL \u00d73 needles", "0.25 \u00d7 40 mm"
    "\u00d7": "x",
    "\u2028": "\n",
    "\u2029": "\n",
    "\u0085": "\n",
}
REPLACEMENT = "\ufffd"


@lru_cache(maxsize=4096)
def _read_as(char: str) -> str:
    """What the pipeline reads for one non-ASCII character ("" drops it)."""
    if char in _READ_AS:
        return _READ_AS[char]
    category = unicodedata.category(char)
    if category == "Cf":  # zero-width, joiners, bidi controls, soft hyphen, BOM
        return ""
    if category == "Cs":  # a lone surrogate: not a character, read as a replacement mark
        return REPLACEMENT
    if category == "Zs":  # non-breaking and other fixed-width spaces
        return " "
    folded = unicodedata.normalize("NFKC", char)
    # full-width letters, ligatures ("ﬁ"), superscript digits: their plain form, when it is
    # plain text; symbols that fold into something odd stay as they are
    if folded != char and folded.isascii() and folded.isprintable():
        return folded
    return char


@dataclass(frozen=True)
class NormalizedText:
    original: str
    text: str
    offsets: tuple[int, ...]  # offsets[i]: where character i of ``text`` is in ``original``

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) range of ``text`` to the same words in ``original``."""
        if end <= start:
            position = self.offsets[start] if start < len(self.offsets) else len(self.original)
            return position, position
        return self.offsets[start], self.offsets[end - 1] + 1


def _plain(text: str) -> tuple[str, list[int]]:
    """Characters read as plain text (Windows line ends, invisible marks, odd spaces, quotes
    and dashes), with the original offset of each character kept."""
    pieces: list[str] = []
    offsets: list[int] = []
    position = 0
    for match in _NOT_ASCII.finditer(text) if not text.isascii() else ():
        pieces.append(text[position : match.start()])
        offsets.extend(range(position, match.start()))
        for i in range(match.start(), match.end()):
            read = _read_as(text[i])
            pieces.append(read)
            offsets.extend([i] * len(read))
        position = match.end()
    pieces.append(text[position:])
    offsets.extend(range(position, len(text)))
    plain = "".join(pieces)
    if "\r" not in plain:
        return plain, offsets
    # "\r\n" is one line end: keep the "\n", drop the "\r"; a lone "\r" is a line end too
    kept: list[str] = []
    kept_offsets: list[int] = []
    position = 0
    for match in _LINE_ENDS.finditer(plain):
        kept.append(plain[position : match.start()])
        kept_offsets.extend(offsets[position : match.start()])
        kept.append("\n")
        kept_offsets.append(offsets[match.end() - 1])
        position = match.end()
    kept.append(plain[position:])
    kept_offsets.extend(offsets[position:])
    return "".join(kept), kept_offsets


# a note exported as HTML ("<b>Tx:</b> Dry needling ...<br>", "&amp;", "&nbsp;"): its line
# breaks read as line breaks, its other tags as nothing, its entities as their characters
_HTML_TAG = re.compile(
    r"</?(?:br|p|div|b|i|u|em|strong|span|font|li|ul|ol|tr|td|th|table|tbody|thead|h[1-6])"
    r"(?:\s[^<>]{0,200})?\s*/?>",
    re.IGNORECASE,
)
_HTML_BREAK = re.compile(r"<(?:br|/p|/div|/li|/tr|/h[1-6])\b", re.IGNORECASE)
_HTML_ENTITY = re.compile(r"&(?:#\d{1,6}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,8});", re.IGNORECASE)


def _html(text: str, offsets: list[int]) -> tuple[str, list[int]]:
    """The text with HTML tags and entities read as what a browser shows (see ``_HTML_TAG``);
    unchanged unless it holds tags."""
    if "<" not in text or not _HTML_TAG.search(text):
        return text, offsets
    pieces: list[str] = []
    kept: list[int] = []
    position = 0
    for match in re.finditer(f"{_HTML_TAG.pattern}|{_HTML_ENTITY.pattern}", text, re.I):
        pieces.append(text[position : match.start()])
        kept.extend(offsets[position : match.start()])
        raw = match.group(0)
        if raw.startswith("&"):
            read = html.unescape(raw)
            read = "".join(_read_as(c) if not c.isascii() else c for c in read)
        else:
            # (a break the export also wrote as a line end is one line end)
            breaks = _HTML_BREAK.match(raw) and not text.startswith("\n", match.end())
            read = "\n" if breaks else ""
        pieces.append(read)
        kept.extend([offsets[match.start()]] * len(read))
        position = match.end()
    pieces.append(text[position:])
    kept.extend(offsets[position:])
    return "".join(pieces), kept


# a printed page's footer ("Page 1 of 2   Printed 03/10/2026 ...") and the header that the
# next page repeats: read as blank (their characters keep their places)
_PAGE_MARK = re.compile(r"^[ \t]*(?:-\s*)?page\s+\d+\s+of\s+\d+\b.*$", re.IGNORECASE | re.MULTILINE)
_HEADER_LINES = 6  # the note's first lines that a new page may repeat
_REPEAT_REACH = 5  # lines after a page's footer where its repeated header stands


def _unpaged(text: str) -> str:
    """The text of a printed note with its page footers and repeated page headers blank."""
    if not _PAGE_MARK.search(text):
        return text
    lines = text.split("\n")
    header = {line.strip() for line in [x for x in lines if x.strip()][:_HEADER_LINES]}
    blank = [False] * len(lines)
    for k, line in enumerate(lines):
        if not _PAGE_MARK.match(line):
            continue
        blank[k] = True
        for j in range(k + 1, min(len(lines), k + 1 + _REPEAT_REACH)):
            if lines[j].strip() in header:
                blank[j] = True
    return "\n".join(
        re.sub(r"[^\n]", " ", line) if gone else line
        for line, gone in zip(lines, blank, strict=True)
    )


def _restarted(text: str) -> str:
    """The text with each dictation begun again read as blank up to and with its command,
    from the start of the command's paragraph (or the end of the last restart in it)."""
    position = 0
    pieces: list[str] = []
    for match in _RESTART.finditer(text):
        paragraph = max((p.end() for p in _PARAGRAPH.finditer(text, 0, match.start())), default=0)
        start = max(paragraph, position)
        pieces.append(text[position:start])
        pieces.append(re.sub(r"[^\n]", " ", text[start : match.end()]))
        position = match.end()
    if not pieces:
        return text
    pieces.append(text[position:])
    return "".join(pieces)


def _table_rows_meet(text: str, start: int, end: int) -> bool:
    """Whether the line break between ``start`` and ``end`` parts two rows of a "|" table."""
    before = text[text.rfind("\n", 0, start) + 1 : start]
    after_end = text.find("\n", end)
    after = text[end : len(text) if after_end < 0 else after_end]
    return before.count("|") >= 2 and after.count("|") >= 2


def normalize(text: str) -> NormalizedText:
    """Plain characters, struck-through text blanked, open plurals ("injection(s)") closed,
    a product's strength read apart from its name ("Kenalog-40"), soft-wrapped lines joined
    and padding squeezed to one space each."""
    plain, plain_offsets = _html(*_plain(text))
    if "~~" in plain or "<" in plain:
        plain = _STRUCK.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), plain)
    plain = _restarted(_unpaged(plain))
    if "(s)" in plain or "(S)" in plain:
        plain = _OPEN_PLURAL.sub("s  ", plain)
    if "-" in plain:
        plain = _STRENGTH.sub(" ", plain)
    pieces: list[str] = []
    offsets: list[int] = []
    position = 0
    for match in _SPACES.finditer(plain):
        group = next(
            (g for g in ("hyphen", "wrap", "after", "comma", "spelled") if match.group(g)), 0
        )
        start, end = match.span(group)
        if group in ("wrap", "after", "comma", "spelled") and _table_rows_meet(plain, start, end):
            continue  # the rows of a "|" table are lines of their own
        pieces.append(plain[position:start])
        offsets.extend(plain_offsets[position:start])
        if group != "hyphen":
            pieces.append(" ")
            offsets.append(plain_offsets[start])
        position = end
    pieces.append(plain[position:])
    offsets.extend(plain_offsets[position:])
    squeezed = NormalizedText(original=text, text="".join(pieces), offsets=tuple(offsets))
    if _MACRON in squeezed.text or any(c in squeezed.text for c in "\u00d8\u00f8\u2205"):
        squeezed = read_as_meant(squeezed, _SYMBOL_WORDS)
    if re.search(r"\bc(?:\.\s?|\s)c\b", squeezed.text, re.I):
        squeezed = read_as_meant(squeezed, _SPELLED_CC)
    if (
        len(_SAID_MARKS.findall(squeezed.text, 0, _MARKS_LOOKED_AT)) < 2
        and len(_SAID_PERIOD.findall(squeezed.text, 0, _MARKS_LOOKED_AT)) < _SAID_PERIODS
    ):
        return squeezed
    return read_as_meant(squeezed, _SPOKEN_MARKS)


def read_as_meant(
    source: NormalizedText, confusions: Sequence[tuple[re.Pattern[str], str]]
) -> NormalizedText:
    """A transcript with the words a recogniser writes for others ("inducted" for
    "injected") read as the words meant. Each character put in keeps the offset of the word it
    replaces, so evidence still quotes what the recogniser wrote."""
    for pattern, meant in confusions:
        text = source.text
        pieces: list[str] = []
        offsets: list[int] = []
        position = 0
        for match in pattern.finditer(text):
            start, end = match.span()
            if end <= start:
                continue
            pieces.append(text[position:start])
            offsets.extend(source.offsets[position:start])
            word = meant[0].upper() + meant[1:] if text[start].isupper() else meant
            pieces.append(word)
            # a mark said aloud takes the place of the spaces before it, and quotes its word;
            # the last character put in stands for the last one replaced, so the evidence
            # quotes the whole of what was written ("c c" for "cc")
            lead = len(match.group(0)) - len(match.group(0).lstrip())
            offsets.extend(
                source.offsets[
                    end - 1 if 0 < k == len(word) - 1 else min(start + lead + k, end - 1)
                ]
                for k in range(len(word))
            )
            position = end
        if position == 0:
            continue
        pieces.append(text[position:])
        offsets.extend(source.offsets[position:])
        source = NormalizedText(source.original, "".join(pieces), tuple(offsets))
    return source
