"""Hallucination guards: what Whisper makes up in silence, noise and at the end of audio; and
prompts about a recording that holds no speech or stops early.

Pure functions over recognised segments and transcripts, so they are testable without a model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from scribe.schemas.coding import Prompt
from scribe.schemas.transcript import Transcript

# a segment is dropped when the model both thinks there is no speech and is unsure of its words
_NO_SPEECH = 0.6
_LOW_LOGPROB = -1.0
_SILENT_WORDS = 0.35  # mean word probability under which a segment is noise
_LOOP_MIN_REPEATS = 3


@dataclass
class RawWord:
    text: str
    start: float
    end: float
    probability: float


@dataclass
class RawSegment:
    start: float
    end: float
    text: str
    avg_logprob: float
    no_speech_prob: float
    words: list[RawWord] = field(default_factory=list)


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9' ]+", "", text.lower()).strip()


def is_silence(segment: RawSegment) -> bool:
    if segment.no_speech_prob > _NO_SPEECH and segment.avg_logprob < _LOW_LOGPROB:
        return True
    if segment.words:
        mean = sum(w.probability for w in segment.words) / len(segment.words)
        return mean < _SILENT_WORDS
    return False


_MAX_WORDS_PER_SECOND = 6.5  # fast dictation runs at 3-4 words a second


def is_too_fast(segment: RawSegment) -> bool:
    """More words than anyone can say in the time: text the model invented at a boundary
    ("We'll see you next time" in 0.3 s at the end of the audio)."""
    words = len(segment.text.split())
    duration = max(segment.end - segment.start, 0.01)
    return words >= 3 and words / duration > _MAX_WORDS_PER_SECOND


def is_outro(segment: RawSegment, outros: frozenset[str]) -> bool:
    """A stock phrase standing alone ("Thank you.", "Thanks for watching!")."""
    return _norm(segment.text) in outros


# a passage this long said twice in a row, word for word, is the decoder jumping back: a
# speaker who starts again says it differently or breaks off (phoned q011 Festival: tiny.en
# wrote "then the tensor fascia lata, rectus femoris and ... I injected the vastus lateralis
# with three cc's of 1% lidocaine" twice, base once, and the needled muscles were billed as
# injected)
_PASSAGE_MIN_WORDS = 10
_PASSAGE_MAX_WORDS = 40


def collapse_loops(words: list[RawWord]) -> tuple[list[RawWord], list[RawWord]]:
    """Remove a phrase repeated three times or more in a row ("the the the", "and then I
    needled and then I needled and then I needled"), or a long passage said twice in a row:
    keep the first, drop the repeats."""
    kept: list[RawWord] = []
    dropped: list[RawWord] = []
    i = 0
    tokens = [_norm(w.text) for w in words]
    while i < len(words):
        found = _phrase_loop(tokens, i) or _passage_again(tokens, i)
        if found is None:
            kept.append(words[i])
            i += 1
            continue
        size, repeats = found
        kept.extend(words[i : i + size])
        dropped.extend(words[i + size : i + repeats * size])
        i += repeats * size
    return kept, dropped


def _repeats(tokens: list[str], i: int, size: int) -> int:
    unit = tokens[i : i + size]
    repeats = 1
    while tokens[i + repeats * size : i + (repeats + 1) * size] == unit:
        repeats += 1
    return repeats


def _phrase_loop(tokens: list[str], i: int) -> tuple[int, int] | None:
    """(size, repeats) of a phrase of up to eight words said three times or more from ``i``."""
    for size in range(1, 9):
        unit = tokens[i : i + size]
        if len(unit) < size or not all(unit):
            return None
        repeats = _repeats(tokens, i, size)
        if repeats >= _LOOP_MIN_REPEATS:
            return size, repeats
    return None


def _passage_again(tokens: list[str], i: int) -> tuple[int, int] | None:
    """(size, repeats) of a passage of ``_PASSAGE_MIN_WORDS`` words or more (punctuation of
    its own aside) said again right after itself from ``i``."""
    if not tokens[i]:
        return None
    for size in range(_PASSAGE_MIN_WORDS, min(_PASSAGE_MAX_WORDS, (len(tokens) - i) // 2) + 1):
        if sum(map(bool, tokens[i : i + size])) < _PASSAGE_MIN_WORDS:
            continue
        repeats = _repeats(tokens, i, size)
        if repeats >= 2:
            return size, repeats
    return None


_LOOP_MIN_WORDS = 6


def is_loop(segment: RawSegment) -> bool:
    """A segment that is mostly one phrase over and over ("follow up, follow up, ..." to the end
    of the window): the decoder was stuck, and what was said there is not in it."""
    words = segment.words
    if not words:
        return False
    _, dropped = collapse_loops(words)
    _, stutter = cut_stutter(words)
    lost = max(len(dropped), len(stutter))
    return lost >= _LOOP_MIN_WORDS and lost * 2 >= len(words)


# a unit of one to three letters said six times over, or a longer one (a syllable or two of a
# name: "sternocleidomastoidomastoidomastoid...", "lineralineraline...") four times over; no
# English or anatomical word repeats a piece of itself like that
_STUTTER = re.compile(r"([a-z]{1,3})\1{5,}|([a-z]{4,12})\2{3,}")


def cut_stutter(words: list[RawWord]) -> tuple[list[RawWord], list[RawWord]]:
    """A loop inside one word ("newomomomomomom...", "mastoidomastoidomastoid..." to the end
    of the window): the model repeats a token until the window ends. Keep the words before
    it, drop it and the rest."""
    for index, word in enumerate(words):
        if _STUTTER.search(word.text.lower()):
            return words[:index], words[index:]
    return words, []


def without_repeats(words: list[RawWord]) -> tuple[list[RawWord], list[RawWord]]:
    """(words kept, words dropped) once looped phrases (``collapse_loops``) and a loop inside a
    word (``cut_stutter``) are taken out."""
    kept, looped = collapse_loops(words)
    kept, stutter = cut_stutter(kept)
    return kept, looped + stutter


def heard(reading: list[RawSegment]) -> list[RawSegment]:
    """A reading without what the guards take out of a transcript: segments of silence or
    noise, impossibly fast speech or a loop, and the repeats of a looped phrase or syllable.
    A second reading's words must be heard to count (``combining.py``): base, stuck at the end
    of a dictation, wrote "triceps" eight times in no time, surer of it than tiny.en was of the
    word it invented there."""
    out: list[RawSegment] = []
    for segment in reading:
        if is_silence(segment) or is_too_fast(segment) or is_loop(segment):
            continue
        words, _ = without_repeats(segment.words)
        if segment.words and not words:
            continue
        out.append(
            RawSegment(
                segment.start, segment.end, "".join(w.text for w in words),
                segment.avg_logprob, segment.no_speech_prob, words,
            )
        )  # fmt: skip
    return out


# --- the recording as a whole ------------------------------------------------------------------

NO_SPEECH = "asr-no-speech"
TRUNCATED = "asr-truncated"
# A recording whose audio stops this far short of what its header announced was cut off.
_TRUNCATED_SHARE = 0.9
_TRUNCATED_MIN_SECONDS = 1.0


def recording_prompts(transcript: Transcript) -> list[Prompt]:
    """Prompts about the recording itself, so that it goes to review: no speech found in it,
    or audio that stops well before the length its header announced (a cut-off upload or a
    damaged file: what was said after the cut is missing from the note)."""
    prompts = []
    if not transcript.text.strip():
        prompts.append(
            Prompt(
                id=NO_SPEECH,
                severity="error",
                message=f"No speech was found in the recording ({transcript.duration:.0f} s): "
                "nothing could be documented from it. Check the recording and dictate again.",
            )
        )
    declared = transcript.declared_duration
    if (
        declared is not None
        and transcript.duration < declared * _TRUNCATED_SHARE
        and declared - transcript.duration >= _TRUNCATED_MIN_SECONDS
    ):
        prompts.append(
            Prompt(
                id=TRUNCATED,
                severity="error",
                message=f"The recording stops after {transcript.duration:.1f} s of the "
                f"{declared:.1f} s its file announces (cut off or damaged): whatever was said "
                "after that is missing from the note.",
            )
        )
    return prompts
