"""Sentence boundaries for dictation: abbreviations, list lines, hard wraps, headers.

PyRuSH (medspaCy's default) is ten times slower on short notes and logs through loguru, so the
pipeline uses this small rule-based splitter instead.
"""

from __future__ import annotations

import numpy
from spacy.attrs import IS_SPACE, LOWER, ORTH, SENT_START
from spacy.language import Language
from spacy.strings import StringStore
from spacy.tokens import Doc, Token

# Tokens that end with a full stop without ending the sentence ("Pt. tolerated", "R. UT").
_ABBREVIATIONS = frozenset(
    "pt pts rt lt dr mr mrs ms approx vs e.g i.e fig b.i.d t.i.d q.d incl esp".split()
)
# a line that ends on one of these words goes on on the next line: "DN to ... incl.\nR QL"
_CONTINUES = frozenset({"incl", "including", "e.g", "i.e", "vs", "w/", "with", "esp"})
# words that never end a sentence: "dry needling to the\nR UT and\nR levator"
_NEEDS_MORE = frozenset(
    {"to", "into", "of", "the", "and", "or", "&", "a", "an", "for", "from", "at", "by", "via",
     "per", "prior", "previous", "his", "her", "their", "my", "our"}
)  # fmt: skip
# a procedure said at the end of a line, its side and muscle on the next: "Today: TDN\nR
# infraspinatus only" is one sentence wrapped
_PROCEDURE_AT_WRAP = frozenset({"dn", "tdn", "tpi", "tpis", "needling", "needled", "injected"})
_SIDES_AFTER_WRAP = frozenset({"r", "l", "b", "rt", "lt", "right", "left", "bilateral", "bilat"})
# Abbreviations that may also end a sentence ("glute med."): split when a capital follows.
_FINAL_ABBREVIATIONS = frozenset(
    """min mins hr hrs wk wks sec deg etc ml cc mg bilat med lat ant post sup inf ext flex rot
    abd add ther ex cont est hx dx tx sx fx st no tol""".split()
)
# their hashes with the stop kept on ("ml.", "min."), as the tokenizer may keep it
_STOPPED_ABBREVIATIONS = numpy.array(
    sorted(StringStore().add(f"{word}.") for word in _FINAL_ABBREVIATIONS), dtype=numpy.uint64
)
_LETTERS_WITH_STOP = numpy.array(
    sorted(StringStore().add(f"{letter}.") for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
    dtype=numpy.uint64,
)
_SIDE_LETTERS = frozenset("rlb")  # "R. UT": a side, not the end of a sentence
_LIST_MARKERS = frozenset(
    {"-", "*", "•", "·", "–", "—", ">", "|", "+", "☐", "☒", "☑", "□", "■", "✓", "✔", "✗", "✘"}
)
_FINAL_PUNCT = frozenset({".", "!", "?", "...", "…"})
# a dose's unit after its amount ends a sentence before a word that opens one, in a dictation
# written in lower case ("one percent lidocaine two cc. so the trapezius and levator were dry")
_DOSE_UNITS = frozenset({"ml", "cc", "mg", "ml.", "cc.", "mg."})
_OPENS_A_SENTENCE = frozenset(
    {"so", "then", "and", "the", "she", "he", "we", "i", "no", "nothing", "pain", "tolerated",
     "consent", "next", "after", "afterward", "afterwards", "total", "patient", "pt"}
)  # fmt: skip
MAX_SENTENCE_TOKENS = 400
_CLAUSE_BREAKS = frozenset({";", ","})
_CLAUSE_WORDS = frozenset({"and", "but", "then", "so"})


def _next_word(doc: Doc, i: int) -> Token | None:
    j = i + 1
    while j < len(doc) and doc[j].is_space:
        j += 1
    return doc[j] if j < len(doc) else None


def _starts_item(token: Token) -> bool:
    """A new line that starts like a new sentence or list item."""
    text = token.text
    return (
        text in _LIST_MARKERS
        # "... on the left hand\nI needled": the pronoun is always a capital, no new sentence;
        # nor is a negation typed in capitals for emphasis ("L rhomboid major\nNOT needled")
        or (text[:1].isupper() and text not in ("I", "NOT"))
        or text[:1].isdigit()
        or text.startswith("(")
        or token.is_punct
    )


def _is_list_number(doc: Doc, i: int) -> bool:
    """ "1." or "2)" at the start of a line numbers a list item; it ends nothing."""
    if i < 0 or not doc[i].is_digit:
        return False
    return i == 0 or (doc[i - 1].is_space and "\n" in doc[i - 1].text)


def _continues(doc: Doc, i: int, nxt: Token) -> bool:
    """The line before the break at ``i`` ends on a word that needs what follows, or on a
    procedure whose side and muscle the next line names."""
    j = i - 1
    if j >= 0 and doc[j].text == ".":
        return j >= 1 and doc[j - 1].lower_ in _CONTINUES
    if j < 0:
        return False
    last = doc[j].lower_
    if last == ",":
        # "R glut min x2,\nR piriformis x1": a line that ends on a comma goes on, unless the
        # next line opens a list item or a labelled field ("Plan: ...")
        return nxt.text not in _LIST_MARKERS and not _opens_a_label(doc, nxt.i)
    return (
        last in _CONTINUES
        or last in _NEEDS_MORE
        or (last in _PROCEDURE_AT_WRAP and nxt.lower_ in _SIDES_AFTER_WRAP)
        or _side_before_its_name(doc, j)
    )


_LABEL_REACH = 4  # words of a field's label before its colon ("Post-tx pain:")


def _opens_a_label(doc: Doc, start: int) -> bool:
    """The line from ``start`` opens with a label and its colon."""
    for k in range(start, min(len(doc), start + _LABEL_REACH + 1)):
        if doc[k].is_space and "\n" in doc[k].text:
            return False
        if doc[k].text == ":":
            return True
    return False


# "Needled the left\nS C M, ...": a side after an article is said of the name that follows,
# unless it closes a place ("the same on the left\nNext visit ...")
_SIDE_WORDS = frozenset({"left", "right", "bilateral"})
_ARTICLES = frozenset({"the", "his", "her", "their"})
_PLACE_WORDS = frozenset({"on", "at", "from", "toward", "towards", "over"})


def _side_before_its_name(doc: Doc, j: int) -> bool:
    if doc[j].lower_ not in _SIDE_WORDS or j < 1 or doc[j - 1].lower_ not in _ARTICLES:
        return False
    return j < 2 or doc[j - 2].lower_ not in _PLACE_WORDS


def _spelled_out(doc: Doc, i: int) -> bool:
    """The letter at ``i`` ends a name spelled letter by letter ("the T F L. The left ..."):
    the last letter of the name, not a side before the next words."""
    return i >= 1 and len(doc[i - 1].text) == 1 and doc[i - 1].text.isupper()


def _dose_ends(doc: Doc, unit: int, nxt: Token) -> bool:
    """Whether the unit at ``unit`` ends a dose ("two cc") and ``nxt`` opens a sentence."""
    return (
        doc[unit].lower_ in _DOSE_UNITS
        and unit > 0
        and doc[unit - 1].like_num
        and nxt.lower_ in _OPENS_A_SENTENCE
    )


def _line_ends_sentence(token: Token) -> bool:
    return token.text[-1:] in {".", ":", "!", "?", ";"} or token.is_punct


@Language.component("scribe_sentences")
def dictation_sentences(doc: Doc) -> Doc:
    """Mark sentence starts on every token."""
    if len(doc) == 0:
        return doc
    starts = [False] * len(doc)
    starts[0] = True
    # only full stops and line breaks can end a sentence: look at those tokens alone (read
    # from arrays: making a Token object for every word costs more than the rest)
    spaces = doc.to_array(IS_SPACE)
    orth = doc.to_array(ORTH)
    final = {doc.vocab.strings.add(p) for p in _FINAL_PUNCT}
    candidates = [i for i in range(len(doc)) if spaces[i] or int(orth[i]) in final]
    # "2 mL. The R levator ...": the tokenizer keeps some abbreviations with their full stop
    with_stop = set(
        numpy.flatnonzero(numpy.isin(doc.to_array(LOWER), _STOPPED_ABBREVIATIONS)).tolist()
    )
    # "the T F L. The left ...": a name spelled letter by letter ends with its last letter
    with_stop |= {
        int(i)
        for i in numpy.flatnonzero(numpy.isin(orth, _LETTERS_WITH_STOP))
        if _spelled_out(doc, int(i))
    }
    if with_stop:
        candidates = sorted({*candidates, *with_stop})
    for i in candidates:
        token = doc[i]
        nxt = _next_word(doc, i)
        if nxt is None:
            break
        if token.is_space and "\n" in token.text:
            blank_line = token.text.count("\n") > 1
            prev = doc[i - 1] if i > 0 else None
            if not blank_line and _continues(doc, i, nxt):
                continue
            if blank_line or prev is None or _line_ends_sentence(prev) or _starts_item(nxt):
                starts[nxt.i] = True
        elif i in with_stop:
            if nxt.text[:1].isupper() or _dose_ends(doc, i, nxt):
                starts[nxt.i] = True  # "2 mL. Tolerated well."
        elif token.text in _FINAL_PUNCT:
            before = doc[i - 1].lower_ if i > 0 else ""
            if _is_list_number(doc, i - 1):
                continue
            if before in _ABBREVIATIONS or (
                before in _SIDE_LETTERS and not _spelled_out(doc, i - 1)
            ):
                continue
            if nxt.text[:1] in (":", ",", ";"):
                continue  # an abbreviation's stop: "M. levator scapulae li.: TrP latent"
            if (
                before in _FINAL_ABBREVIATIONS
                and not nxt.text[:1].isupper()
                and not _dose_ends(doc, i - 1, nxt)
            ):
                continue
            starts[nxt.i] = True
    if len(doc) > MAX_SENTENCE_TOKENS:
        _split_long(doc, starts)
    # one array write: setting ``token.is_sent_start`` token by token re-checks the whole
    # doc's annotation on every call
    marks = numpy.fromiter((1 if s else -1 for s in starts), dtype=numpy.int64, count=len(doc))
    doc.from_array([SENT_START], marks.astype(numpy.uint64).reshape(-1, 1))  # type: ignore[arg-type]
    return doc


def _split_long(doc: Doc, starts: list[bool]) -> None:
    """Cut sentences longer than ``MAX_SENTENCE_TOKENS`` (an unpunctuated transcript, a pasted
    table on one line): every later step compares the words of a sentence with each other, so
    a bounded sentence keeps the whole extraction linear in the length of the note. The cut
    falls on the last clause break (";", ",", "and", "but", "then") of the window, else at the
    limit."""
    begin = 0
    length = 0
    last_break = -1
    for i, token in enumerate(doc):
        if starts[i]:
            begin, length, last_break = i, 0, -1
        if token.is_space:
            continue
        length += 1
        if i > begin and (token.text in _CLAUSE_BREAKS or token.lower_ in _CLAUSE_WORDS):
            last_break = i
        if length >= MAX_SENTENCE_TOKENS:
            cut = last_break + 1 if last_break > begin + MAX_SENTENCE_TOKENS // 2 else i + 1
            if cut < len(doc):
                starts[cut] = True
            begin, last_break = cut, -1
            length = sum(1 for t in doc[cut : i + 1] if not t.is_space)
