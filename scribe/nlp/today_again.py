"""A procedure of another day said again for today without its verb: "Last time we needled
the left medial gastroc and the soleus. Today the soleus again, plus the lateral gastroc and
the peroneus longus."

A sentence that opens with "today" (or "this time", "this visit") and a name, with no verb of
its own and no procedure named in it, right after a sentence whose procedure was done to
muscles it names on another day, says that procedure again, done today: the names of the
sentence are tied to a procedure of the same kind, whose words are the verb of the sentence
before and whose time is this sentence's "today".

Reads the binder's mentions and events; adds the procedure of today to ``events``.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from scribe.nlp.mentions import FIRM, Mention, tie
from scribe.nlp.procedure_event import BILLABLE, ProcedureEvent

_OPENERS = (("today",), ("this", "time"), ("this", "visit"), ("this", "session"))
# what may stand between the opener and the first name
_BEFORE_NAME = frozenset(
    {"and", "so", "um", "uh", ",", ":", "-", "we", "the", "her", "his", "left", "right", "also"}
)
# the only words such a sentence has besides its names: no verb, finding or denial ("Today the
# soleus was tender" is about today's exam)
_ELLIPTICAL = _BEFORE_NAME | frozenset(
    {"today", "this", "time", "visit", "session", "again", "too", "as", "well", "plus", "only",
     "just", "then", "on", "same", "side", "sides", "leg", "arm", "of", "both", "bilaterally",
     "bilateral", "l", "r", "it", "'s", "it's", "a", "and", ".", ";", "!", "in", "head"}
)  # fmt: skip


def today_after_another_day(
    doc: Doc,
    mentions: list[Mention],
    events: list[ProcedureEvent],
    sents: list[Span],
    technique: dict[str, str | None],
) -> list[ProcedureEvent]:
    """Tie the names of each such sentence; the procedures of today added (also to
    ``events``)."""
    by_sentence: dict[int, list[Mention]] = {}
    for mention in mentions:
        by_sentence.setdefault(mention.sentence, []).append(mention)
    added: list[ProcedureEvent] = []
    for number, own in sorted(by_sentence.items()):
        if number == 0 or any(e.sentence == number and e.kind in BILLABLE for e in events):
            continue
        opener = _opener(doc, sents[number], own[0].span)
        if opener is None or not _elliptical(sents[number], own):
            continue
        before = [
            e
            for e in events
            if e.sentence == number - 1
            and e.kind in BILLABLE
            and e.time == "past"
            and e.experiencer == "patient"
        ]
        done_then = [m for m in by_sentence.get(number - 1, []) if m.span._.status == "historical"]
        if not before or not done_then:
            continue
        was = before[-1]
        today = ProcedureEvent(
            kind=was.kind,
            strength=was.strength,
            start=was.start,
            end=was.end,
            sentence=number,
            section=was.section,
            time="today",
            time_cue=opener,
            source=was.source,
            category=was.category,
            proven=was.proven,
            named_as=was.named_as,
        )
        events.append(today)
        added.append(today)
        for mention in own:
            if mention.strength != FIRM or mention.span._.status in ("historical", None):
                tie(mention, today, "list", opener, technique.get(today.kind))
    return added


def _opener(doc: Doc, sent: Span, first: Span) -> tuple[int, int] | None:
    """The token offsets of the sentence's "today", when it opens the sentence and only
    joining words, an article or a side stand between it and the first name."""
    words = [t for t in doc[sent.start : first.start] if not t.is_space]
    lower = [t.lower_ for t in words]
    for opener in _OPENERS:
        for at in range(min(3, len(lower))):
            if tuple(lower[at : at + len(opener)]) != opener:
                continue
            rest = lower[:at] + lower[at + len(opener) :]
            if all(w in _BEFORE_NAME for w in rest):
                return words[at].i, words[at + len(opener) - 1].i + 1
    return None


def _elliptical(sent: Span, own: list[Mention]) -> bool:
    """Whether the sentence holds nothing but its names and the words of an elliptical list."""
    named = {i for m in own for i in range(m.span.start, m.span.end)}
    return all(t.i in named or t.is_space or t.lower_ in _ELLIPTICAL for t in sent)
