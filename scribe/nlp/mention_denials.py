"""Denials said of one muscle mention that ConText's scopes miss: a finding the note denies,
a passive "was not injected" after the muscle, and a denial that closes the mention's clause
past the reach ConText gives it.

Pure functions over ConText modifiers and target spans; ``binding.py`` calls them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from spacy.tokens import Doc, Span

from scribe.nlp.extensions import SPOKEN, target_spans
from scribe.nlp.mentions import MUSCLE_LIKE, Mention
from scribe.nlp.normalize import TAKEN_BACK
from scribe.nlp.procedure_event import INJECTION_KINDS, kinds_named
from scribe.nlp.templates import SIDE_WORDS

if TYPE_CHECKING:
    from scribe.nlp.procedure_event import ProcedureEvent

_CLOSING_REACH = 12  # tokens
_PASSIVE_NOT_INJECTED = re.compile(r"^(?:(?:was|were)\s+)?not\s+injected$", re.I)


def denied_findings(span: Span, modifiers: list[Any]) -> bool:
    """ "L upper trapezius: mild tenderness, no trigger point": the trigger point words that
    reach the muscle all name a finding the note denies."""
    denied = {
        (s.start, s.end)
        for s in target_spans(span.doc)
        if s.label_ == "FINDING" and s._.status == "negated"
    }
    words = [m.modifier_span for m in modifiers if m.category == "PALPATED"]
    return bool(words) and all(any(a <= w[0] and w[1] <= b for a, b in denied) for w in words)


_IT_NOT_INJECTED = re.compile(
    r"[^.;]{0,80}?\b((?:it|this\s+one|that\s+one)\s+(?:was|is)\s+not\s+injected)\b", re.I
)
# (after a semicolon or a dash, to the clause's end: "R rhomboid minor tender - not injected
# today; recheck next visit")
_CLOSING_NOT_INJECTED = re.compile(
    r"(?:;|\s[-\u2013\u2014]+)\s*((?:(?:was|were)\s+)?not\s+injected)"
    r"(?:\s+(?:today|this\s+visit))?\s*(?:[.;]|$)",
    re.I,
)
_NOT_INJECTING = re.compile(
    r"\b(?:did\s+not|didn'?t|do\s+not|don'?t)\s+inject\s+(?:(?:the|her|his|their)\s+)?"
    r"(?:(?:left|right|l|r|lt|rt|bilateral|both)\s+)?$",
    re.I,
)


def not_injected(mention: Mention, sentence_modifiers: list[Any]) -> tuple[int, int] | None:
    """ "The L upper trapezius was not injected": a passive denial of the injection said
    right after the muscle, its subject (the same words after a drug deny the drug); and
    the active "I did not inject the right posterior deltoid today", its object."""
    span = mention.span
    doc = span.doc
    line_start = doc.text.rfind("\n", 0, span.start_char) + 1
    active = _NOT_INJECTING.search(doc.text, max(line_start, span.start_char - 60), span.start_char)
    if active is not None:
        words = doc.char_span(active.start(), active.end(), alignment_mode="contract")
        if words is not None and len(words):
            return (words.start, words.end)
    sent = span.sent
    later = _IT_NOT_INJECTED.match(doc.text, span.end_char, sent.end_char)
    if later is not None and not any(
        s.label_ in MUSCLE_LIKE and span.end_char <= s.start_char < later.end()
        for s in target_spans(doc)
    ):
        # "The L teres minor was also tender, but it was not injected today": its own
        # pronoun says it of the name
        words = doc.char_span(later.start(1), later.end(1), alignment_mode="expand")
        if words is not None:
            return (words.start, words.end)
    closing = _CLOSING_NOT_INJECTED.search(sent.text)
    if (
        closing is not None
        and sum(
            1
            for s in target_spans(doc)
            if s.label_ in MUSCLE_LIKE and sent.start <= s.start < sent.end
        )
        == 1
    ):
        # "L iliocostalis lumborum tender without a discrete trigger point; not injected.":
        # the clause after the semicolon or dash says it of the sentence's one name
        start_char = sent.start_char + closing.start(1)
        words = doc.char_span(start_char, sent.start_char + closing.end(1), alignment_mode="expand")
        if words is not None and start_char >= span.end_char:
            return (words.start, words.end)
    for m in sentence_modifiers:
        start, end = m.modifier_span
        if m.category != "NEGATED_EXISTENCE" or start < span.end:
            continue
        if _PASSIVE_NOT_INJECTED.match(doc[start:end].text) and _subject_of(
            span, start, doc[start:end].text
        ):
            return (start, end)
    return None


_BE = frozenset({"was", "were", "is", "are"})
_SUBJECT_LIST = frozenset({",", "and", "&", "the", "both", "or"})
_LIST_SUBJECT_REACH = 12  # tokens from a name to the passive after the list it is in


def _subject_of(span: Span, start: int, passive: str) -> bool:
    """Whether the name is the subject of the passive at ``start``: right before it, or an
    item of a list of names right before a plural one ("the rhomboid minor and the
    infraspinatus were not injected today")."""
    doc = span.doc
    between = doc[span.end : start]
    if all(t.lower_ in _BE for t in between):
        return True
    plural = passive.lower().startswith("were") or (start > 0 and doc[start - 1].lower_ == "were")
    if start - span.end > _LIST_SUBJECT_REACH or not plural:
        return False
    names = {
        i
        for s in target_spans(doc)
        if s.label_ in MUSCLE_LIKE and span.end <= s.start < start
        for i in range(s.start, s.end)
    }
    return bool(names) and all(
        t.i in names or t.lower_ in _SUBJECT_LIST or t.lower_ in _BE or t.lower_ in SIDE_WORDS
        for t in between
    )


def closing_denial(mention: Mention, sentence_modifiers: list[Any]) -> list[Any]:
    """ "R SCM to be needled at the next visit - not done today": a denial that closes the
    mention's clause, with no other muscle or clause break between them, is about it even
    past the reach ConText gives it. So is a denial of what follows it that finds nothing
    there, said right after the name ("L vastus med no DN today - pt asked for a break")."""
    span = mention.span
    doc = span.doc
    out = []
    for m in sentence_modifiers:
        if m.category != "NOT_TREATED":
            continue
        if m.direction.upper() == "FORWARD" and (
            getattr(m, "_targets", None) or m in span._.modifiers
        ):
            continue  # a denial of what follows it; one with nothing after it closes the clause
        start = m.modifier_span[0]
        if start < span.end or start - span.end > _CLOSING_REACH or m in span._.modifiers:
            continue
        if TAKEN_BACK.match(doc[start : m.modifier_span[1]].text):
            # "the left piriformis with two cc of lidocaine and um no strike that":
            # words taken back as they are said are only those right before the command, as
            # far as its rule reaches
            continue
        gap = doc[span.end : start]
        if m.direction.upper() == "FORWARD" and any(not t.is_punct for t in gap):
            continue  # a denial that finds nothing after it: only right after the name
        if doc[start].lower_ == "but" and len(gap) and gap[-1].text == ",":
            gap = gap[:-1]  # "..., but that one I did not needle": it points back
        # a recogniser writes a comma at each pause ("the right upper trapezius, was tender
        # too, but I held it"): in its text only a full stop or a semicolon breaks the clause
        breaks = (";", ".") if doc.user_data.get(SPOKEN) else (",", ";", ".")
        if any(t.text in breaks for t in gap):
            continue
        if any(
            other.category == "TERMINATE" and span.end <= other.modifier_span[0] < start
            for other in sentence_modifiers
        ):
            continue
        targets = target_spans(doc)
        if any(s.label_ in MUSCLE_LIKE and span.end <= s.start < start for s in targets):
            continue
        if _of_the_other_side(span, m.modifier_span[1]):
            continue
        out.append(m)
    return out


_SUBJECT_REACH = 3  # tokens before a procedure's words: "I then dry needled"


def done_then_denied(
    mention: Mention, event: ProcedureEvent, closing: list[Any], done: re.Pattern[str]
) -> bool:
    """ "I dry needled the left upper trapezius and the right levator, no needling today": a
    procedure of today said before the mention in words that show it done, then a denial of
    that procedure closing the mention's clause. The sentence says both: the contradiction is
    recorded (``doc._.contradicted``) so the muscle goes to review, billed by neither."""
    span = mention.span
    doc = span.doc
    if not event.done_today or event.end > span.start:
        return False
    start, end = closing[0].modifier_span
    named = kinds_named(doc[start:end].text)
    if named and event.kind not in named:
        return False  # "I dry needled the L UT, no injection": the other procedure
    # the procedure's own words show it done ("I dry needled", "we injected")
    words = doc[max(span.sent.start, event.start - _SUBJECT_REACH) : event.end]
    if not done.search(words.text):
        return False
    doc._.contradicted.append(  # (started by binding.py)
        (doc[start].idx, doc[end - 1].idx + len(doc[end - 1]), [(span.start_char, span.end_char)])
    )
    return True


_SIDE_REACH = 6  # tokens after the denial


def _of_the_other_side(span: Span, end: int) -> bool:
    """ "I dry needled the right infraspinatus, no needling today on the left": the denial
    names the other side in its clause, so it speaks of that side, not of the muscle."""
    side: str = span._.laterality
    if side not in ("left", "right"):
        return False
    for token in span.doc[end : end + _SIDE_REACH]:
        if token.text in (".", ";") or token.is_sent_start:
            return False
        named = SIDE_WORDS.get(token.lower_)
        if named in ("left", "right"):
            return named != side
    return False


def injection_not_given_but_needled(mentions: list[Mention], events: list[ProcedureEvent]) -> None:
    """ "He was listed for a TPI into the L glute min, ... so the injection was not given ...
    I needled the L glute min dry": a muscle an injection not given was to go into, that dry
    needling reached today, was not injected, which is no denial of its needling: the
    injection's mention is only mentioned (no status conflict with the needling's)."""
    doc = mentions[0].span.doc if mentions else None
    if doc is None:
        return
    not_given = {
        (doc[e.start].idx, doc[e.end - 1].idx + len(doc[e.end - 1]))
        for e in events
        if e.kind in INJECTION_KINDS and e.time == "not_done" and e.source == "words"
    }
    needled = {
        (m.span._.entry_id, m.span._.laterality)
        for m in mentions
        if m.span._.status == "treated"
        and m.span._.event is not None
        and m.span._.event.kind == "dry_needling"
    }
    for mention in mentions:
        span = mention.span
        if (
            span._.status == "negated"
            and span._.status_cue in not_given
            and (span._.entry_id, span._.laterality) in needled
        ):
            span._.status = "mentioned"


def session_not_injected(doc: Doc, nothing_injected: re.Pattern[str]) -> re.Match[str] | None:
    """The first statement that nothing was injected in the session; not a passive denial
    said of a muscle named before it in its sentence ("L iliocostalis lumborum tender without
    a trigger point; not injected", "The L teres minor was also tender, but it was not
    injected today"), which is said of that muscle."""
    text = doc.text
    for match in nothing_injected.finditer(text):
        clause = max(text.rfind(".", 0, match.start()), text.rfind("\n\n", 0, match.start()))
        low = max(clause, match.start() - 200)
        if re.fullmatch(r"(?:(?:was|were)\s+)?not\s+injected", match.group(0), re.I) and any(
            s.label_ == "MUSCLE" and low <= s.start_char and s.end_char <= match.start()
            for s in target_spans(doc)
        ):
            continue
        return match
    return None
