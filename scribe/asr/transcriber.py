"""Local transcription with faster-whisper: VAD on, word timestamps and probabilities kept,
decoding biased towards dictation vocabulary, hallucinations removed."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from faster_whisper import WhisperModel
from faster_whisper.vad import VadOptions, get_speech_timestamps

from scribe.asr.audio import SAMPLE_RATE, read_recording
from scribe.asr.checking import WordChecker, lexicon_names, protected_words
from scribe.asr.combining import KeyTerms, combine
from scribe.asr.guards import (
    RawSegment,
    RawWord,
    is_loop,
    is_outro,
    is_silence,
    is_too_fast,
    without_repeats,
)
from scribe.asr.models import resolve_model
from scribe.asr.skipped import region_to_redo, uncovered, word_count
from scribe.asr.threads import one_blas_thread
from scribe.asr.vocabulary import bias_text
from scribe.config import Settings, get_settings
from scribe.lexicons import load_lexicons, read_model
from scribe.schemas.lexicon import AsrDecoding, AsrLexicon
from scribe.schemas.transcript import Removed, Segment, Transcript, Word

Progress = Callable[[float, float], None]  # (seconds done, total seconds)
SIDES = ("left", "right")


class Transcriber:
    """Loads the speech model once; transcribes as many recordings as you like with it."""

    def __init__(
        self,
        *,
        settings: Settings | None = None,
        model: str | None = None,
        decoding: AsrDecoding | None = None,
    ) -> None:
        self.settings = settings or get_settings()
        self.model_name, self.model_path = resolve_model(
            model or self.settings.asr_model, self.settings
        )
        asr = read_model(self.settings.lexicon_dir / "asr.yaml", AsrLexicon)
        self.lexicon = asr
        self.decoding = decoding or asr.decoding_of(self.model_name)
        self.prompt = " ".join(asr.prompt.split())
        self._outros = frozenset(o.lower() for o in asr.outros)
        # (the process it was made in, the executor) of the second model's thread
        self._reader: tuple[int, ThreadPoolExecutor] | None = None

    @cached_property
    def hotwords(self) -> str:
        """The vocabulary from the lexicons (``scribe.asr.vocabulary``), within its budget of
        the model's own tokens."""
        tokenizer = self.model.hf_tokenizer
        return bias_text(
            load_lexicons(self.settings.lexicon_dir),
            self.lexicon.vocabulary,
            lambda text: len(tokenizer.encode(" " + text, add_special_tokens=False).ids),
        )

    @cached_property
    def checker(self) -> WordChecker:
        """Scores competing readings of unsure words against the audio."""
        protected = protected_words(self.lexicon.vocabulary.terms)
        return WordChecker(self.model, self.lexicon.check, self._names, protected)

    @cached_property
    def _names(self) -> list[str]:
        """The names a word may be read as (``checking.lexicon_names``)."""
        excluded = self.lexicon.vocabulary.excluded_groups
        return lexicon_names(load_lexicons(self.settings.lexicon_dir), excluded)

    @cached_property
    def key_terms(self) -> KeyTerms:
        """What decides the claim: the lexicon's names (``checking.lexicon_names``), and the
        words of the dictation terms and the sides, which a second reading never takes away."""
        terms = self.lexicon.vocabulary.terms
        return KeyTerms(self._names, [w for phrase in [*terms, *SIDES] for w in phrase.split()])

    @cached_property
    def second(self) -> Transcriber | None:
        """The model whose reading is combined with this one's (``combining.py``), with its
        own decoding settings; None when this model's settings name none."""
        second = self.decoding.second_reading
        if second is None:
            return None
        name = resolve_model(second.model, self.settings)[0]
        own = self.lexicon.decoding_of(name)
        return Transcriber(
            settings=self.settings,
            model=second.model,
            decoding=own.model_copy(update={"second_reading": None}),
        )

    @property
    def _second_reader(self) -> ThreadPoolExecutor:
        """The thread the second model reads on, made at the first recording of each process:
        a process forked from one that had read a recording has the executor but not its
        thread, and a job given to it there would never run. (Two threads of a new process may
        both make one; the one not kept is collected, and its idle thread ends with it.)"""
        if self._reader is None or self._reader[0] != os.getpid():
            pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="scribe-second-reading")
            self._reader = (os.getpid(), pool)
        return self._reader[1]

    @property
    def read_by(self) -> str:
        """The model, or models, that read the audio ("tiny.en+base")."""
        if self.decoding.second_reading is None:
            return self.model_name
        return f"{self.model_name}+{self.decoding.second_reading.model}"

    def decode_options(self) -> dict[str, Any]:
        """The keyword arguments of ``WhisperModel.transcribe`` for this model."""
        bias = self.decoding.bias
        return {
            "language": "en",
            "vad_filter": True,
            "vad_parameters": {"threshold": self.decoding.vad_threshold},
            "word_timestamps": True,
            "initial_prompt": self.prompt if bias in ("prompt", "both") else None,
            "hotwords": self.hotwords if bias in ("hotwords", "both") else None,
            # a mistake is not carried into the next window
            "condition_on_previous_text": False,
            "beam_size": self.decoding.beam_size,
            # no sampling fallback: the same recording always gives the same transcript (loops
            # that greedy decoding can fall into are removed by the guards)
            "temperature": 0.0,
        }

    @cached_property
    def model(self) -> WhisperModel:
        device = self.settings.asr_device
        return WhisperModel(
            str(self.model_path),
            device=device,
            compute_type=self.settings.asr_compute_type,
            local_files_only=True,
        )

    def load(self) -> None:
        """Load the speech model, and the second reading's, now rather than at the first
        recording."""
        _ = self.model
        if self.second is not None:
            self.second.load()

    def transcribe(self, path: Path, *, progress: Progress | None = None) -> Transcript:
        """Transcript of one recording (16 kHz mono after decoding)."""
        recording = read_recording(path, max_seconds=self.settings.max_audio_seconds)
        audio, duration = recording.samples, recording.seconds
        raw = self.raw_segments(audio, progress=progress)
        if progress is not None:
            progress(duration, duration)
        transcript = self.assemble(raw, duration)
        declared = recording.declared_seconds
        if declared is None:
            return transcript
        return transcript.model_copy(update={"declared_duration": round(declared, 3)})

    def raw_segments(
        self,
        audio: npt.NDArray[np.float32],
        *,
        offset: float = 0.0,
        progress: Progress | None = None,
    ) -> list[RawSegment]:
        """The decoder's segments of 16 kHz mono ``audio`` (names checked against the audio
        where the model's settings say so), before the guards; times are shifted by
        ``offset`` seconds (the audio's place in a longer dictation)."""
        second, how = self.second, self.decoding.second_reading
        # the second model reads on its own thread while this one reads: each model's decoding
        # is mostly one core's work, so on two cores both readings take little more than the
        # slower one (the transcripts are the same as one after the other)
        other: Future[list[RawSegment]] | None = None
        if second is not None:
            other = self._second_reader.submit(second.raw_segments, audio)
        try:
            raw = self._first_reading(audio, progress)
        except BaseException:
            if other is not None:
                wait([other])
            raise
        if other is not None and how is not None:
            raw = combine(
                raw, other.result(), margin=how.margin, terms=self.key_terms, floor=how.floor
            )
        if not offset:
            return raw
        return [
            RawSegment(
                s.start + offset, s.end + offset, s.text, s.avg_logprob, s.no_speech_prob,
                [RawWord(w.text, w.start + offset, w.end + offset, w.probability) for w in s.words],
            )
            for s in raw
        ]  # fmt: skip

    def _first_reading(
        self, audio: npt.NDArray[np.float32], progress: Progress | None
    ) -> list[RawSegment]:
        """This model's reading: decoded with the bias, windows the bias spoilt decoded again
        without it, unsure names checked against the audio."""
        with one_blas_thread():
            raw = self._decode(audio, self.decode_options(), progress=progress)
            if self.decoding.bias != "none":
                raw = self._without_bias_where_looping(audio, raw)
                raw = self._without_bias_where_skipped(audio, raw)
            if self.decoding.check_words:
                self.checker.check(audio, raw)
        return raw

    def _decode(
        self,
        audio: npt.NDArray[np.float32],
        options: dict[str, Any],
        *,
        offset: float = 0.0,
        progress: Progress | None = None,
    ) -> list[RawSegment]:
        duration = audio.size / SAMPLE_RATE
        segments, _info = self.model.transcribe(audio, **options)
        raw: list[RawSegment] = []
        for segment in segments:
            raw.append(
                RawSegment(
                    start=segment.start + offset,
                    end=segment.end + offset,
                    text=segment.text,
                    avg_logprob=segment.avg_logprob,
                    no_speech_prob=segment.no_speech_prob,
                    words=[
                        RawWord(w.word, w.start + offset, w.end + offset, w.probability)
                        for w in segment.words or []
                    ],
                )
            )
            if progress is not None:
                progress(min(segment.end, duration), duration)
        return raw

    def _without_bias_where_looping(
        self, audio: npt.NDArray[np.float32], raw: list[RawSegment]
    ) -> list[RawSegment]:
        """A window the bias words sent into a loop ("follow up, follow up, ..." for a whole
        dictation: the guards would leave nothing of it) is decoded again without them; the
        new reading is kept when it is not a loop too. Decoding stays deterministic."""
        looping = [is_loop(s) for s in raw]
        if not any(looping):
            return raw
        options = {**self.decode_options(), "hotwords": None, "initial_prompt": None}
        out: list[RawSegment] = []
        for segment, loops in zip(raw, looping, strict=True):
            if not loops:
                out.append(segment)
                continue
            piece = audio[int(segment.start * SAMPLE_RATE) : int(segment.end * SAMPLE_RATE)]
            again = self._decode(piece, options, offset=segment.start) if piece.size else []
            out.extend(again if again and not any(is_loop(s) for s in again) else [segment])
        return out

    def _without_bias_where_skipped(
        self, audio: npt.NDArray[np.float32], raw: list[RawSegment]
    ) -> list[RawSegment]:
        """Speech the decoder stepped over (``skipped.py``) is decoded again without the bias
        words, from where it starts to the end of the segment stamped after it; the new reading
        replaces the old one there when it has more words and is no loop."""
        options = {**self.decode_options(), "hotwords": None, "initial_prompt": None}
        vad = VadOptions(**options.get("vad_parameters") or {})
        speech = [
            (d["start"] / SAMPLE_RATE, d["end"] / SAMPLE_RATE)
            for d in get_speech_timestamps(audio, vad)
        ]
        for gap in uncovered(speech, raw):
            start, end = region_to_redo(gap, raw)
            piece = audio[int(start * SAMPLE_RATE) : int(end * SAMPLE_RATE)]
            if not piece.size:
                continue
            old = [s for s in raw if s.end > start and s.start < end]
            again = self._decode(piece, options, offset=start)
            if word_count(again) > word_count(old) and not any(is_loop(s) for s in again):
                kept = [s for s in raw if s not in old]
                raw = sorted([*kept, *again], key=lambda s: s.start)
        return raw

    @staticmethod
    def _collapse_repeated_segments(
        kept: list[RawSegment], removed: list[Removed]
    ) -> list[RawSegment]:
        """Three or more identical segments in a row are a decoding loop: keep the first.
        Two can be speech ("No injectate. No injectate.")."""
        out: list[RawSegment] = []
        i = 0
        while i < len(kept):
            j = i
            while j + 1 < len(kept) and kept[j + 1].text.strip() == kept[i].text.strip():
                j += 1
            if j - i + 1 >= 3:
                out.append(kept[i])
                for extra in kept[i + 1 : j + 1]:
                    removed.append(
                        Removed(
                            start=extra.start,
                            end=extra.end,
                            text=extra.text,
                            reason="repeated segment",
                        )
                    )
            else:
                out.extend(kept[i : j + 1])
            i = j + 1
        return out

    def _drop_reason(self, segment: RawSegment, last: bool) -> str | None:
        """Why a whole segment is not speech worth keeping, or None to keep it."""
        if is_silence(segment):
            return "silence or noise"
        if is_too_fast(segment):
            return "implausibly fast speech"
        if is_outro(segment, self._outros) and (last or segment.no_speech_prob > 0.3):
            return "stock phrase"
        return None

    def assemble(self, raw: list[RawSegment], duration: float) -> Transcript:
        """Apply the guards and build the transcript text with character offsets."""
        removed: list[Removed] = []
        kept: list[RawSegment] = []
        for index, segment in enumerate(raw):
            last = index == len(raw) - 1
            reason = self._drop_reason(segment, last)
            if reason is not None:
                removed.append(
                    Removed(start=segment.start, end=segment.end, text=segment.text, reason=reason)
                )
                continue
            kept_words, looped = without_repeats(segment.words)
            if segment.words and not kept_words:
                removed.append(
                    Removed(
                        start=segment.start, end=segment.end, text=segment.text,
                        reason="repetition loop",
                    )
                )  # fmt: skip
                continue
            if looped:
                removed.append(
                    Removed(
                        start=looped[0].start,
                        end=looped[-1].end,
                        text="".join(w.text for w in looped).strip(),
                        reason="repetition loop",
                    )
                )
                segment = RawSegment(
                    segment.start, segment.end, "".join(w.text for w in kept_words),
                    segment.avg_logprob, segment.no_speech_prob, kept_words,
                )  # fmt: skip
            kept.append(segment)
        kept = self._collapse_repeated_segments(kept, removed)
        text_parts: list[str] = []
        position = 0
        segments: list[Segment] = []
        for segment in kept:
            if text_parts:
                text_parts.append(" ")
                position += 1
            seg_start = position
            words: list[Word] = []
            if segment.words:
                for n, word in enumerate(segment.words):
                    piece = word.text.strip() if n == 0 else word.text
                    lead = len(piece) - len(piece.lstrip())
                    text_parts.append(piece)
                    start = position + lead
                    position += len(piece)
                    words.append(
                        Word(
                            text=piece.strip(),
                            start=round(word.start, 3),
                            end=round(word.end, 3),
                            probability=round(min(max(word.probability, 0.0), 1.0), 4),
                            char_start=start,
                            char_end=position,
                        )
                    )
            else:
                piece = segment.text.strip()
                text_parts.append(piece)
                position += len(piece)
            segments.append(
                Segment(
                    start=round(segment.start, 3),
                    end=round(segment.end, 3),
                    text="".join(text_parts)[seg_start:position],
                    char_start=seg_start,
                    char_end=position,
                    avg_logprob=segment.avg_logprob,
                    no_speech_prob=segment.no_speech_prob,
                    words=words,
                )
            )
        return Transcript(
            text="".join(text_parts),
            language="en",
            duration=round(duration, 3),
            model=self.read_by,
            segments=segments,
            removed=removed,
        )
