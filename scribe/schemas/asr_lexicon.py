"""Schema of ``lexicons/asr.yaml``: how speech recognition is biased and checked."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from scribe.schemas.common import FileHeader, Frozen


class LowConfidencePrompt(Frozen):
    id: str
    severity: Literal["error", "warning", "info"]
    message: str = Field(description="{words} is replaced by the unsure words.")


class UnreadProcedurePrompt(Frozen):
    id: str
    severity: Literal["error", "warning", "info"]
    message: str = Field(description="{words} is replaced by the words that show a procedure.")


class AsrVocabulary(Frozen):
    """How the words that bias recognition are picked from the lexicons (never by hand)."""

    terms: list[str] = Field(description="Dictation words that are not names (procedures...).")
    excluded_groups: list[str] = Field(description="Muscle groups no one dry needles.")
    max_zipf: float = Field(gt=0, description="Name words more common in English are left out.")
    max_tokens: int = Field(gt=0, le=200, description="Budget of the vocabulary, in tokens.")
    template: str | None = Field(
        default=None,
        description="A sentence with {names} where the terms and names go (None: a bare list).",
    )
    muscle_order: list[str] = Field(
        description="Muscle ids, most named in public reports first (bench/asr_vocabulary.py)."
    )


class AsrSecondReading(Frozen):
    """A second model's reading of the same audio, combined word by word with the first
    (scribe/asr/combining.py)."""

    model: str = Field(description="Registry name of the second model.")
    margin: float = Field(
        ge=0,
        lt=1,
        description="How much surer (geometric mean of word probabilities) the second reading "
        "of a stretch must be to replace the first's.",
    )
    floor: float = Field(
        ge=0,
        le=1,
        description="How sure the second reading of a stretch must be to replace the first's "
        "when it names a muscle, bilateral word or substance the first does not.",
    )


class AsrDecoding(Frozen):
    """Decoding settings of one model."""

    bias: Literal["none", "prompt", "hotwords", "both"] = Field(
        description="prompt: first window only; hotwords: every window; both: the two at once."
    )
    beam_size: int = Field(default=5, ge=1, le=10)
    vad_threshold: float = Field(
        default=0.5,
        gt=0,
        lt=1,
        description="Speech probability the voice activity detector needs to keep audio.",
    )
    check_words: bool = Field(
        default=False, description="Score competing readings of unsure words against the audio."
    )
    second_reading: AsrSecondReading | None = Field(
        default=None, description="Another model's reading to combine with this one's."
    )


class AsrCheck(Frozen):
    """When and how unsure words are checked against lexicon names (scribe/asr/checking.py)."""

    max_word_probability: float = Field(gt=0, le=1, description="A run holding a word under it.")
    min_similarity: float = Field(gt=0, le=100, description="Spelling or metaphone, 0-100.")
    min_letters: int = Field(ge=1, description="Shorter runs are never checked.")
    max_candidates: int = Field(ge=1, le=10)
    max_span_words: int = Field(ge=1, le=4)
    margin: float = Field(ge=0, description="Nats a name may trail the heard words by.")
    separation: float = Field(ge=0, description="Nats a name must lead the next one by.")


class HeardAs(Frozen):
    """Words a recogniser writes for a dictation word it misheard, read as that word."""

    heard: str = Field(description="Regular expression (case-insensitive) of what was written.")
    meant: str = Field(min_length=1, description="The dictation word it stands for.")
    note: str = Field(min_length=1, description="Where the confusion was seen, and how often.")

    @field_validator("heard")
    @classmethod
    def _compiles(cls, value: str) -> str:
        re.compile(value)
        return value


class AsrLexicon(FileHeader):
    prompt: str = Field(min_length=10, max_length=600)
    vocabulary: AsrVocabulary
    check: AsrCheck
    decoding: dict[str, AsrDecoding] = Field(
        description="Per model name; `default` for any other model."
    )
    outros: list[str] = Field(default_factory=list)
    heard_as: list[HeardAs] = Field(
        default_factory=list, description="Read in transcripts only, never in typed notes."
    )
    low_confidence: LowConfidencePrompt
    procedure_unread: UnreadProcedurePrompt

    def decoding_of(self, model: str) -> AsrDecoding:
        """The decoding settings of a model by its name (``default`` for one not listed)."""
        return self.decoding.get(model, self.decoding["default"])

    @model_validator(mode="after")
    def _has_default(self) -> AsrLexicon:
        if "default" not in self.decoding:
            raise ValueError("decoding needs a `default` entry")
        return self
