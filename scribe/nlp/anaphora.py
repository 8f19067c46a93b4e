"""Words that point back: "both were needled", "that muscle was dry needled only", "1 mL into
each of these TrPs", "we did needle it". A procedure done today that reaches no muscle ties
the muscles named just before it (the nearest one, or the run of them).

``binding.py`` calls it after the ties of the note's structure (``structure.py``); like them,
it only lifts mentions no word decided firmly (see :mod:`scribe.nlp.mentions`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from spacy.tokens import Doc, Span

from scribe.lexicons import any_of
from scribe.nlp.extensions import doc_text
from scribe.nlp.injections import opens_its_sentence
from scribe.nlp.mentions import FIRM, Mention, tie
from scribe.nlp.muscle_lists import last_list, last_run
from scribe.nlp.numbers import NUMBER, parse_number
from scribe.nlp.structure import paragraphs

if TYPE_CHECKING:
    from scribe.nlp.procedure_event import ProcedureEvent


# what words say of a muscle other than that it was treated today
_OTHER_STATUSES = frozenset(
    {"PALPATED_ONLY", "NOT_TREATED", "PLANNED", "HISTORICAL", "OTHER_VISIT"}
)


def _after_other_statuses(doc: Doc, sent: Span, modifiers: list[Any], before: int) -> int:
    """Where the last words of another status among the sentence's ``modifiers`` end before
    character ``before`` (the sentence's start when there are none)."""
    end = sent.start_char
    for modifier in modifiers:
        if modifier.category not in _OTHER_STATUSES:
            continue
        words = doc[modifier.modifier_span[0] : modifier.modifier_span[1]]
        if words.end_char <= before:
            end = max(end, words.end_char)
    return end


# what may stand between a sentence's "then" and the name it goes on with
_THEN = frozenset({"then", "next", "after", "that", "and", "um", "uh", "so", "the", "her", "his",
                   "left", "right", "l", "r", "also", ","})  # fmt: skip


def _opens_with_then(doc: Doc, sent: Span, first: Span) -> bool:
    """Whether the sentence begins with "then" / "next" / "after that" and nothing but such
    words, an article and a side before its first name."""
    words = [t for t in doc[sent.start : first.start] if not t.is_space]
    return (
        bool(words)
        and words[0].lower_ in ("then", "next", "after", "and")
        and any(t.lower_ in ("then", "next", "after") for t in words)
        and all(t.lower_ in _THEN for t in words)
    )


# an anaphor that counts the names it points at: "those three muscles", "all 4 muscles"
_COUNTED = re.compile(
    rf"\b(?:these|those|all|the|both\s+of\s+these)\s+(?P<n>{NUMBER})\s+(?:muscles|sites|areas)\b",
    re.IGNORECASE,
)


# the procedure said of the names before, then a clause of its own: "in each of these, but"
_OF_THEM = re.compile(
    r"\s+(?:in|into|of|at|to|for)\s+(?:all|each|both)(?:\s+of)?\s+(?:them|these|those)\s*,?\s*"
    r"(?:and|but|while|with)\b",
    re.IGNORECASE,
)


# the procedure's object is a count of muscles and no name: "I dry needled three muscles"
_COUNT_OBJECT = re.compile(
    rf"\s*(?:(?:all|the)\s+)?(?P<n>{NUMBER})\s+(?:muscles|trigger\s+points)\b", re.IGNORECASE
)


def _names(chosen: list[Mention]) -> int:
    """How many names the mentions are (a name on one side counts once; said again with no
    side, it is the one said with its side)."""
    sided = {(m.span._.entry_id, str(m.span._.laterality)) for m in chosen}
    named = {entry for entry, side in sided if side != "unspecified"}
    return len({(e, side) for e, side in sided if side != "unspecified" or e not in named})


def _last_names(chosen: list[Mention], number: int) -> list[Mention]:
    """The mentions of the last ``number`` names (a name on one side counts once)."""
    kept: set[tuple[str, str]] = set()
    out: list[Mention] = []
    for mention in reversed(chosen):
        key = (
            mention.span.label_ + ":" + mention.span.text.lower(),
            str(mention.span._.laterality),
        )
        if key not in kept:
            if len(kept) == number:
                break
            kept.add(key)
        out.append(mention)
    return out[::-1]


class AnaphoraTies:
    """Ties by words that point back, given the procedures and the mentions of one doc."""

    def __init__(self, technique: dict[str, str | None], statements: dict[str, list[str]]) -> None:
        self._technique = technique
        self._anaphora = any_of(statements.get("anaphora", []))
        self._anaphora_single = any_of(statements.get("anaphora_single", []))
        self._anaphora_object = any_of(statements.get("anaphora_object", []))

    def _tie(
        self, mention: Mention, event: ProcedureEvent, how: str, cue: tuple[int, int] | None
    ) -> None:
        tie(mention, event, how, cue, self._technique.get(event.kind))

    def back(
        self,
        doc: Doc,
        mentions: list[Mention],
        events: list[ProcedureEvent],
        sents: list[Span],
        modifiers: list[list[Any]],
    ) -> None:
        """ "Both were needled", "that muscle was dry needled only", "1 mL into each of these
        TrPs": a procedure done today that reaches no muscle ties the muscles named just
        before it (the nearest one for "that muscle"; the run of lines naming muscles right
        before it for "both", "each", "these")."""
        text = doc_text(doc)
        paragraph = paragraphs(doc, sents)
        # what an anaphor of each sentence pointed at: "I needled those three muscles, and each
        # produced a twitch" points twice at the same names
        pointed: dict[int, list[Mention]] = {}
        for event in events:
            if not event.billable_today or event.source not in ("words", "substance"):
                continue
            sent = sents[event.sentence]
            words = doc[event.start : event.end]
            if self._anaphora_object.match(text[words.end_char : sent.end_char]):
                # "we did needle it": the nearest muscle before, whatever was planned for it
                nearest = [m for m in mentions if m.span.end <= event.start][-1:]
                for mention in nearest:
                    if mention.span._.status not in ("negated", "historical"):
                        self._tie(mention, event, "anaphora", (words.start, words.end))
                continue
            if (
                event.muscles
                and not self._counts_more(text, sent, event)
                and not self._all_of_them_first(text, words, event)
            ):
                continue
            before = [
                m
                for m in mentions
                if m.span.end <= event.start and paragraph[m.sentence] == paragraph[event.sentence]
            ]
            after = [m for m in mentions if m.span.start >= event.end]
            own = [m for m in before if m.sentence == event.sentence]
            start = own[-1].span.end_char if own else sent.start_char
            stop = sent.end_char
            if after and after[0].sentence == event.sentence:
                stop = after[0].span.start_char
            # "... so those are what I needled, good twitches": the anaphor belongs to the
            # procedure words nearest it, not to others beyond them
            for other in events:
                if other is event or other.sentence != event.sentence:
                    continue
                if other.end <= event.start:
                    start = max(start, doc[other.end - 1].idx + len(doc[other.end - 1]))
                elif other.start >= event.end:
                    stop = min(stop, doc[other.start].idx)
            # "... so that one was palpated only, I only needled the left side": an anaphor
            # said with another status of its own is that status's subject, not the needling's
            start = max(
                start, _after_other_statuses(doc, sent, modifiers[event.sentence], words.start_char)
            )
            window = text[start:stop]
            if event.sentence in pointed and self._anaphora.search(window):
                chosen = pointed[event.sentence]
            elif self._anaphora_single.search(window) and before:
                chosen = before[-1:]
            elif (
                event.kind == "trigger_point_injection"
                and not own
                and before
                and before[-1].sentence >= event.sentence - 2
                and opens_its_sentence(doc, event)
            ):
                # "Active TrP in the R levator scapulae. Consent given. Injected with 2 mL of 1%
                # lidocaine.": the trigger points named just before
                chosen = last_run(before)
            elif (
                not own
                and before
                and (counted := _COUNT_OBJECT.match(text, words.end_char, stop)) is not None
                and _names(run := last_run(before)) == parse_number(counted.group("n"))
            ):
                # "Taut bands in the L QL, glute med and piriformis. ... I needled three
                # muscles": as many names as it counts, named just before it, and no others
                chosen = run
            elif self._points_back(window, text[start : words.start_char], words.text):
                # "the gluteus medius and minimus, so those are what I needled": an anaphor
                # whose own sentence names muscles before it points at those
                chosen = last_list(own) if own else last_run(before)
                # "... I chose to needle only the FDS, the pronator teres and the FDI today.
                # I needled those three muscles": no more names than it counts
                counted = _COUNTED.search(window)
                number = parse_number(counted.group("n")) if counted else None
                if number is not None and number >= 1:
                    chosen = _last_names(chosen, int(number))
            else:
                continue
            pointed.setdefault(event.sentence, chosen)
            again = "again" in window.lower()
            for mention in chosen:
                status = mention.span._.status
                if (
                    (event.kind == "trigger_point_injection" and status == "treated")
                    or mention.strength != FIRM
                    or (again and status == "historical")
                ):
                    self._tie(mention, event, "anaphora", (words.start, words.end))

    def then_the_next(
        self, doc: Doc, mentions: list[Mention], events: list[ProcedureEvent], sents: list[Span]
    ) -> None:
        """ "Dry needling, all on the right. The upper trap had a taut band and a good twitch,
        and I also ran the needle through the middle trap. Then the rhomboid minor, which
        reproduced his pain.": a sentence that opens with "then" (or "next", "after that") and
        a name, with no verb of its own before the name, goes on with the procedure of the
        sentence before it, when that procedure was done today to named muscles."""
        by_sentence: dict[int, list[Mention]] = {}
        for mention in mentions:
            by_sentence.setdefault(mention.sentence, []).append(mention)
        for number, own in by_sentence.items():
            if number == 0 or not _opens_with_then(doc, sents[number], own[0].span):
                continue
            before = [
                e for e in events if e.sentence == number - 1 and e.billable_today and e.muscles
            ]
            if not before:
                continue
            for mention in last_list([m for m in own if m.span.start <= own[0].span.end + 8]):
                if mention.strength != FIRM:
                    self._tie(mention, before[-1], "list", None)

    @staticmethod
    def _counts_more(text: str, sent: Span, event: ProcedureEvent) -> bool:
        """ "I injected 1 cc into each of the two muscles, and got a twitch in the pec minor",
        "I dry needled three muscles, actually make that four, I did the brachioradialis too":
        a procedure tied to fewer names than the muscles its own sentence counts still points
        back at the ones named before it."""
        counted = _COUNTED.search(text[sent.start_char : sent.end_char]) or _COUNT_OBJECT.match(
            text, sent.doc[event.end - 1].idx + len(sent.doc[event.end - 1]), sent.end_char
        )
        number = parse_number(counted.group("n")) if counted else None
        names = {(m.label_, m.text.lower(), str(m._.laterality)) for m in event.muscles}
        return number is not None and number > len(names)

    @staticmethod
    def _all_of_them_first(text: str, words: Span, event: ProcedureEvent) -> bool:
        """ "good twitches in each of them, and the soleus referred into the heel":
        the procedure's words point back at the names before them, and only then go on to a
        name of their own."""
        first = min(m.start_char for m in event.muscles)
        return words.end_char <= first and _OF_THEM.match(text, words.end_char, first) is not None

    def _points_back(self, window: str, before_words: str, words: str) -> bool:
        """An anaphor in ``window``, unless the only one is the determiner of the procedure's
        own noun: "aspiration negative before each injection:" counts injections, it does not
        point at the muscles named before ("both needled" does)."""
        found = list(self._anaphora.finditer(window))
        if len(found) != 1 or words.lower().endswith("ed"):
            return bool(found)
        # ``window`` and ``before_words`` start at the same place: the anaphor is the noun's
        # determiner when nothing but space stands between it and the procedure's words
        anaphor_end = found[0].end()
        return anaphor_end > len(before_words) or bool(before_words[anaphor_end:].strip())
