"""When a measure was taken: the nearest "pre"/"post"/"reduced to" cue a little before or after
a value in its sentence (read by the pain reader, ``measures.py``, and the range-of-motion
reader, ``motion.py``). Pure functions over sentence text."""

from __future__ import annotations

import re
from typing import Literal

Timing = Literal["before", "after", "unknown"]


def timing_from_cues(
    text: str,
    start: int,
    end: int,
    before: re.Pattern[str],
    after: re.Pattern[str],
    bounds: tuple[int, int] | None = None,
    *,
    preposed: bool = False,
    owned: list[tuple[int, int]] | None = None,
) -> Timing:
    """The nearest "pre"/"post"/"reduced to"... cue a little before or after the value.

    ``bounds`` are where the previous value ends and the next one starts: a cue nearer a
    neighbour is the neighbour's ("8/10 before, 3/10 after": "before" is the 8's), unless it
    opens the clause of the value it times ("an eight, after the injections maybe a four":
    "after" is the four's); ``owned`` cues already timed the value after them ("a seven and
    after about a four"). A value with no cue near it takes the nearest one earlier in its own
    clause ("a six at the start, and at the end she thought about it and said a two")."""
    low, high = bounds if bounds else (-(10**9), 10**9)
    left_start = max(0, start - 30)
    best: tuple[int, Timing] | None = None
    taken = owned or []
    for timing, pattern in (("before", before), ("after", after)):
        for match in _within(pattern, text, left_start, start):
            cue_start, cue_end = match.start(), match.end()
            if any(a <= cue_start < b for a, b in taken):
                continue  # "... and after about a four": the cue of the value after it
            if cue_start - low < start - cue_end and not _opens_clause(
                text, low, cue_start, cue_end, start
            ):
                continue  # nearer the previous value: its cue, not this one's
            if (
                0 <= low <= cue_start
                and _timed_after(text, start, before, after)
                and not any(p.search(text, max(0, low - 45), low) for p in (before, after))
            ):
                continue  # "a four jogging before and a two jogging after": the four's
            distance = start - cue_end
            if best is None or distance < best[0] or (distance == best[0] and preposed):
                best = (distance, timing)  # type: ignore[assignment]
        for match in _within(pattern, text, end, end + 18):
            cue_start, cue_end = match.start(), match.end()
            if any(a <= cue_start < b for a, b in taken):
                continue
            if high - cue_end < cue_start - end and not _timed_after(text, high, before, after):
                continue  # nearer the next value, which has no cue after it of its own
            if _opens_clause(text, end, cue_start, cue_end, high) or _LABEL_ONLY.fullmatch(
                text, cue_end, min(high, len(text))
            ):
                continue  # the next value's: in the clause the cue opens, or its label's
            if _ANOTHER_EVENT.match(text, cue_end):
                continue  # "seven out of ten after written consent I did ...": not the session
            distance = cue_start - end
            if best is None or distance < best[0] or (distance == best[0] and not preposed):
                best = (distance, timing)  # type: ignore[assignment]
    if best is None:
        clause = max(text.rfind(",", 0, start), text.rfind(";", 0, start)) + 1
        # in run-on speech the "clause" may be the whole dictation: only the words just before
        clause = max(clause, start - _CLAUSE_CUE_REACH)
        if max(0, low) <= clause < left_start:
            cues = [
                (m.start(), timing)
                for timing, pattern in (("before", before), ("after", after))
                for m in _within(pattern, text, clause, left_start)
                if not any(a <= m.start() < b for a, b in taken)
            ]
            if cues:
                return max(cues)[1]  # type: ignore[return-value]
    return best[1] if best else "unknown"


def _within(pattern: re.Pattern[str], text: str, start: int, end: int) -> list[re.Match[str]]:
    """The cues wholly between ``start`` and ``end``, matched in the text itself: a window cut
    out of it would end or begin inside a word ("to" of "today")."""
    return [m for m in pattern.finditer(text, max(0, start), end + 40) if m.end() <= end]


_CLAUSE_BREAK = re.compile(r"[,;]")
_CLAUSE_CUE_REACH = 60  # characters before a value where its clause's cue may stand
# what an "after" said after a value may time instead of the session: consent, a talk, a
# time-out ("pain today is eight out of ten after written consent and a time out I injected")
_ANOTHER_EVENT = re.compile(
    r"\s+(?:(?:written|verbal|informed)\s+)?consent\b|\s+a\s+time[\s-]?out\b"
    r"|\s+(?:we|i)\s+(?:went\s+over|discussed|explained|reviewed|talked|obtained|got\s+consent)\b",
    re.IGNORECASE,
)
# nothing but a scale's name or a colon between a cue and the next value: "Pre NPRS 6 Post
# NPRS 3", "PRE-PROCEDURE PAIN: 7/10   POST: 2/10"
_LABEL_ONLY = re.compile(
    r"\s*(?:(?:nprs|nrs|vas|vnrs|pain(?:\s+(?:score|level|rating))?)\s*[:=]?|[:=])\s*",
    re.IGNORECASE,
)


def _opens_clause(text: str, previous_end: int, cue_start: int, cue_end: int, value: int) -> bool:
    """Whether a cue begins a clause that runs on to the value: a comma or semicolon between
    the previous value and the cue, none between the cue and the value."""
    if not 0 <= previous_end <= cue_start or value > len(text):
        return False
    return bool(_CLAUSE_BREAK.search(text, previous_end, cue_start)) and not _CLAUSE_BREAK.search(
        text, cue_end, value
    )


_OWN_CUE_REACH = 30  # characters after a value's start where a cue said after it may stand


def _timed_after(text: str, value: int, before: re.Pattern[str], after: re.Pattern[str]) -> bool:
    """The value at ``value`` has a cue said right after it ("... before and a two jogging
    after"): a cue before it, halfway from the value before, is that one's."""
    if value >= len(text):
        return False
    return any(
        pattern.search(text, value + 1, value + _OWN_CUE_REACH) for pattern in (before, after)
    )
