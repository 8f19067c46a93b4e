"""Where recognition was unsure of a word that decides the claim, send the note to review.

Words that matter: muscle names and their side words, stated muscle counts, the injectate
statements and substances. A fuzzy muscle match ("glute meat" read as gluteus medius) counts as
unsure however confident the recogniser was.
"""

from __future__ import annotations

from collections.abc import Iterable

from scribe.schemas.coding import Prompt
from scribe.schemas.common import Evidence
from scribe.schemas.note import Note
from scribe.schemas.transcript import Transcript


def deciding_spans(note: Note) -> list[Evidence]:
    """Spans of the note whose words change the code if misheard."""
    spans: list[Evidence] = []
    for muscle in note.muscles:
        for mention in muscle.mentions:
            spans.append(Evidence(start=mention.start, end=mention.end, text=mention.text))
            if mention.side_cue is not None:
                spans.append(mention.side_cue)
    spans += list(note.stated_muscle_counts)
    spans += note.injectate.statements
    spans += note.injectate.substances
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The word without the punctuation the recogniser glued to it ("scapulae,")."""
    while end > start and not text[end - 1].isalnum():
        end -= 1
    while start < end and not text[start].isalnum():
        start += 1
    return start, end


def _overlaps(a_start: int, a_end: int, spans: Iterable[Evidence]) -> bool:
    return any(a_start < s.end and s.start < a_end for s in spans)


def low_confidence_prompt(
    transcript: Transcript,
    note: Note,
    *,
    threshold: float,
    prompt_id: str,
    severity: str,
    message: str,
) -> Prompt | None:
    """One prompt listing the unsure deciding words (with their spans), or None."""
    spans = deciding_spans(note)
    evidence: list[Evidence] = []
    for segment in transcript.segments:
        for word in segment.words:
            if word.probability < threshold and _overlaps(word.char_start, word.char_end, spans):
                start, end = _trim(transcript.text, word.char_start, word.char_end)
                evidence.append(Evidence(start=start, end=end, text=transcript.text[start:end]))
    for muscle in note.muscles:
        for mention in muscle.mentions:
            if mention.match == "fuzzy" and not _overlaps(mention.start, mention.end, evidence):
                evidence.append(Evidence(start=mention.start, end=mention.end, text=mention.text))
    if not evidence:
        return None
    return words_prompt(evidence, prompt_id=prompt_id, severity=severity, message=message)


def words_prompt(
    evidence: list[Evidence], *, prompt_id: str, severity: str, message: str, shown: int = 8
) -> Prompt:
    """A prompt whose message names its evidence's words (``{words}``), in the order said."""
    evidence = sorted(evidence, key=lambda e: e.start)
    words = ", ".join(f'"{e.text}"' for e in evidence[:shown])
    return Prompt(
        id=prompt_id,
        severity=severity,
        message=" ".join(message.replace("{words}", words).split()),
        evidence=evidence,
    )
