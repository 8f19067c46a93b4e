"""Lexicon-checked names: where recognition was unsure of words that sound like a muscle, side
or drug name, the audio itself picks between the heard words and the lexicon's names.

For each run of up to ``max_span_words`` words holding an unsure word (probability under
``max_word_probability``) that is not itself a lexicon name, nor a name with sure words around
it, the lexicon names that look or sound alike (spelling or metaphone similarity at least
``min_similarity``) are candidates. Each reading of the window's text (heard, or with a
candidate in place of the run) is scored by forced decoding on the audio (CTranslate2
``Whisper.align``: the probability of each token of a given text, with no prompt, so the scores
are the audio's and the model's alone). The heard reading mostly scores best (beam search found
it, though with the bias words); a name replaces it when it trails it by at most ``margin``
nats and leads the next candidate by at least ``separation`` nats. Replaced words carry the
name's own token probability, so an unsure correction still sends the note to review
(``asr-low-confidence``). ``bench/asr_spoken.py --trace`` records the scores and ``--replay``
decides again from them with other settings.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import jellyfish
import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz

from scribe.asr.guards import RawSegment, RawWord
from scribe.lexicons import Lexicons
from scribe.schemas.lexicon import AsrCheck

SAMPLE_RATE = 16_000
_WINDOW_SECONDS = 29.0
_LETTERS = re.compile(r"[^a-z ]+")


def _plain(text: str) -> str:
    return " ".join(_LETTERS.sub(" ", text.lower()).split())


def lexicon_names(lexicons: Lexicons, excluded_groups: list[str]) -> list[str]:
    """Names a checked word may become: muscles (names and synonyms), sides, substances."""
    names: set[str] = set()
    for muscle in lexicons.muscles.muscles:
        if muscle.group not in excluded_groups:
            names |= {_plain(n) for n in [muscle.name, *muscle.synonyms]}
    # of the sides only the bilateral words: "left" and "right" are short everyday words that
    # too many runs resemble ("jaw" scored as "right")
    names |= {_plain(p) for p in lexicons.laterality.bilateral.phrases if " " not in p.strip()}
    names |= {_plain(s.name) for s in lexicons.substances.substances}
    return sorted(n for n in names if len(n.replace(" ", "")) >= 5)


def protected_words(terms: list[str]) -> frozenset[str]:
    """Words of the dictation terms, and their plurals: runs holding one are never checked."""
    words = {w for term in terms for w in _plain(term).split()}
    return frozenset(words | {w + "s" for w in words})


def similarity(heard: str, name: str) -> float:
    """How alike two phrases look or sound, 0-100 (spaces ignored)."""
    a, b = heard.replace(" ", ""), name.replace(" ", "")
    return max(fuzz.ratio(a, b), fuzz.ratio(jellyfish.metaphone(a), jellyfish.metaphone(b)))


@dataclass(frozen=True)
class Span:
    segment: int
    first: int  # index of the first word in the segment
    last: int  # index after the last word
    heard: str
    candidates: tuple[str, ...]


def find_spans(
    segments: list[RawSegment], names: list[str], spec: AsrCheck, protected: frozenset[str]
) -> list[Span]:
    """Runs of unsure words that look or sound like lexicon names (a run holding a word of
    the dictation terms, such as "twitch", is left alone, and so is one whose unsure words
    all read as a lexicon name already)."""
    known = set(names)
    spans = []
    for s, segment in enumerate(segments):
        words = segment.words
        for first in range(len(words)):
            for last in range(first + 1, min(first + spec.max_span_words, len(words)) + 1):
                run = words[first:last]
                heard = _plain("".join(w.text for w in run))
                letters = len(heard.replace(" ", ""))
                if letters < spec.min_letters or heard in known or protected & set(heard.split()):
                    continue
                if min(w.probability for w in run) >= spec.max_word_probability:
                    continue
                if _unsure_within_names(run, known, spec.max_word_probability):
                    continue
                scored = sorted(
                    (
                        (similarity(heard, n), n)
                        for n in names
                        if 0.7 <= len(n.replace(" ", "")) / letters <= 1.5
                    ),
                    key=lambda x: (-x[0], x[1]),
                )
                chosen = tuple(
                    n for sim, n in scored[: spec.max_candidates] if sim >= spec.min_similarity
                )
                if chosen:
                    spans.append(Span(s, first, last, heard, chosen))
    return spans


def _unsure_within_names(run: list[RawWord], known: set[str], unsure_under: float) -> bool:
    """Whether every unsure word of the run lies in words that already read as a lexicon name:
    recognition settled on a name there, and a run reaching past it would only swap the name
    for a look-alike or swallow the words next to it."""
    covered: set[int] = set()
    for first in range(len(run)):
        for last in range(first + 1, len(run) + 1):
            if _plain("".join(w.text for w in run[first:last])) in known:
                covered |= set(range(first, last))
    unsure = {i for i, w in enumerate(run) if w.probability < unsure_under}
    return bool(covered) and unsure <= covered


class WordChecker:
    """Scores readings of a stretch of audio with the loaded Whisper model."""

    def __init__(
        self, model: Any, spec: AsrCheck, names: list[str], protected: frozenset[str]
    ) -> None:
        from faster_whisper.tokenizer import Tokenizer

        self.model = model
        self.spec = spec
        self.names = names
        self.protected = protected
        # where a list is set (bench/asr_spoken.py --trace), each window's scores go to it
        self.trace: list[dict[str, Any]] | None = None
        self.tokenizer = Tokenizer(
            model.hf_tokenizer, model.model.is_multilingual, task="transcribe", language="en"
        )

    def _scores(self, audio: npt.NDArray[np.float32], texts: list[str]) -> list[list[float]]:
        from faster_whisper.transcribe import pad_or_trim

        features = self.model.feature_extractor(audio)
        frames = features.shape[-1]
        encoded = self.model.encode(pad_or_trim(features))
        start = [*self.tokenizer.sot_sequence, self.tokenizer.no_timestamps]
        out = []
        for text in texts:
            tokens = self.tokenizer.encode(" " + text.strip())
            result = self.model.model.align(encoded, start, [tokens], frames)[0]
            out.append([math.log(max(p, 1e-9)) for p in result.text_token_probs])
        return out

    def check(self, audio: npt.NDArray[np.float32], segments: list[RawSegment]) -> int:
        """Replace unsure runs the audio says are lexicon names; returns how many."""
        spans = find_spans(segments, self.names, self.spec, self.protected)
        replaced = 0
        for window in _windows(segments, spans):
            replaced += self._check_window(audio, segments, window)
        return replaced

    def _check_window(
        self, audio: npt.NDArray[np.float32], segments: list[RawSegment], spans: list[Span]
    ) -> int:
        # every segment between the first and the last, so the text matches the audio
        seg_ids = list(range(min(s.segment for s in spans), max(s.segment for s in spans) + 1))
        first, last = segments[seg_ids[0]], segments[seg_ids[-1]]
        chunk = audio[int(first.start * SAMPLE_RATE) : int(last.end * SAMPLE_RATE) + 3200]
        words = [w for i in seg_ids for w in segments[i].words]
        offsets = {i: sum(len(segments[j].words) for j in seg_ids if j < i) for i in seg_ids}
        texts = ["".join(w.text for w in words)]
        readings: list[tuple[Span, str, int, int]] = []
        for span in spans:
            at = offsets[span.segment]
            before = "".join(w.text for w in words[: at + span.first])
            after = "".join(w.text for w in words[at + span.last :])
            for name in span.candidates:
                texts.append(f"{before} {name}{after}")
                lead = len(self.tokenizer.encode(" " + before.strip())) if before.strip() else 0
                size = len(self.tokenizer.encode(" " + name))
                readings.append((span, name, lead, size))
        scores = self._scores(chunk, texts)
        heard = sum(scores[0])
        options: dict[Span, list[tuple[float, str, float]]] = {}
        for (span, name, lead, size), token_logs in zip(readings, scores[1:], strict=True):
            own = token_logs[lead : lead + size] or [-9.0]
            options.setdefault(span, []).append(
                (sum(token_logs), name, math.exp(sum(own) / len(own)))
            )
        if self.trace is not None:
            self.trace.append({"heard": heard, "spans": [[s, o] for s, o in options.items()]})
        kept = choose(heard, options, self.spec)
        # from the last word back, so the indices of the others stay valid
        for span, name, probability in sorted(kept, key=lambda k: (-k[0].segment, -k[0].first)):
            _replace(segments[span.segment], span, name, probability)
        return len(kept)


def choose(
    heard: float, options: dict[Span, list[tuple[float, str, float]]], spec: AsrCheck
) -> list[tuple[Span, str, float]]:
    """The names that replace runs of one window: a span's best reading (total log-probability,
    name, the name's own token probability) when it trails the heard reading by at most
    ``margin`` and leads the span's next name by at least ``separation``; of overlapping spans
    the best scoring."""
    chosen: list[tuple[float, Span, str, float]] = []
    for span, readings in options.items():
        ranked = sorted(readings, reverse=True)
        top, name, probability = ranked[0]
        runner = ranked[1][0] if len(ranked) > 1 else -math.inf
        if heard - top <= spec.margin and top - runner >= spec.separation:
            chosen.append((top, span, name, probability))
    taken: set[tuple[int, int]] = set()
    kept: list[tuple[Span, str, float]] = []
    for _, span, name, probability in sorted(chosen, key=lambda c: -c[0]):
        cells = {(span.segment, i) for i in range(span.first, span.last)}
        if not cells & taken:
            taken |= cells
            kept.append((span, name, probability))
    return kept


def _windows(segments: list[RawSegment], spans: list[Span]) -> list[list[Span]]:
    """Spans grouped by stretches of at most ~30 s of consecutive segments (one encoder pass
    each); the spans of one segment always fall in one group."""
    groups: list[list[Span]] = []
    start = -1.0
    for span in sorted(spans, key=lambda s: (s.segment, s.first)):
        segment = segments[span.segment]
        if not groups or segment.end - start > _WINDOW_SECONDS:
            groups.append([])
            start = segment.start
        groups[-1].append(span)
    return groups


def _replace(segment: RawSegment, span: Span, name: str, probability: float) -> None:
    run = segment.words[span.first : span.last]
    parts = name.split()
    step = (run[-1].end - run[0].start) / len(parts)
    tail = run[-1].text[len(run[-1].text.rstrip(",.;:!?")) :]
    new = [
        RawWord(
            f" {part}" + (tail if n == len(parts) - 1 else ""),
            run[0].start + n * step,
            run[0].start + (n + 1) * step,
            probability,
        )
        for n, part in enumerate(parts)
    ]
    if not run[0].text.startswith(" "):
        new[0].text = new[0].text.lstrip()
    segment.words[span.first : span.last] = new
    segment.text = "".join(w.text for w in segment.words)
