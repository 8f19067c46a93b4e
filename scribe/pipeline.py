"""The one orchestrator: dictation text -> annotated Doc -> structured note -> coding."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from spacy.language import Language
from spacy.tokens import Doc

from scribe.coding import code, load_rules
from scribe.config import Settings, get_settings
from scribe.errors import BinaryInputError, EmptyInputError, InputTooLargeError
from scribe.lexicons import Lexicons, load_lexicons, read_model
from scribe.nlp import build_nlp
from scribe.nlp.extensions import SOURCE, SPOKEN
from scribe.nlp.normalize import NormalizedText, normalize, read_as_meant
from scribe.note_builder import NoteBuilder
from scribe.schemas.coding import CodingResult
from scribe.schemas.common import Frozen
from scribe.schemas.context import EncounterContext
from scribe.schemas.lexicon import AsrLexicon
from scribe.schemas.note import Note
from scribe.schemas.transcript import Transcript

if TYPE_CHECKING:
    from scribe.asr.transcriber import Progress, Transcriber

# control characters other than line breaks and tabs, and the replacement mark of bytes that
# were not text
_ODD_CHARACTER = re.compile("[\x01-\x08\x0e-\x1f\ufffd]")


class ExtractionResult(Frozen):
    """What ``scribe extract`` returns: the note and its coding."""

    note: Note
    coding: CodingResult


class AudioExtractionResult(Frozen):
    """``scribe extract AUDIO``: the transcript, and the note whose offsets point into it."""

    transcript: Transcript
    note: Note
    coding: CodingResult


def check_text(text: str, *, max_chars: int) -> str:
    """Refuse input that is empty, binary, or too long (messages carry no dictation text).

    Only real binary content is refused: NUL characters, or a text where control characters
    or replacement marks (from bytes that were not text) are more than a few in a hundred.
    Stray replacement marks, invisible characters, typographic quotes and other Unicode that
    real EHRs send are text."""
    if "\x00" in text:
        raise BinaryInputError()
    sample = text[:4096]
    odd = len(_ODD_CHARACTER.findall(sample))
    if sample and odd / len(sample) > 0.05:
        raise BinaryInputError()
    if len(text) > max_chars:
        raise InputTooLargeError(len(text), max_chars)
    if not text.strip():
        raise EmptyInputError()
    return text


class Scribe:
    """Build the NLP pipeline once; extract as many dictations as you like with it.

    >>> scribe = Scribe()
    >>> result = scribe.extract("Dry needling to the right upper trapezius ...")
    >>> result.coding.muscle_count
    """

    def __init__(
        self, *, settings: Settings | None = None, lexicon_dir: Path | None = None
    ) -> None:
        self.settings = settings or get_settings()
        folder = lexicon_dir or self.settings.lexicon_dir
        self._folder = folder
        self._lexicons = load_lexicons(folder)
        self.nlp: Language = build_nlp(folder)
        self._builder = NoteBuilder(self._lexicons)
        self._rules = load_rules(
            folder / "billing", extra_policy_files=self.settings.payer_policy_files
        )

    def extract(self, text: str, context: EncounterContext | None = None) -> ExtractionResult:
        """Extract the structured note from one dictation and code it."""
        check_text(text, max_chars=self.settings.max_input_chars)
        source = normalize(text)
        note = self._builder.build(self.nlp(self._doc_of(source)), source)
        return ExtractionResult(note=note, coding=code(note, context, rules=self._rules))

    def _doc_of(self, source: NormalizedText, *, spoken: bool = False) -> Doc:
        """The doc the pipeline reads, carrying the dictation as written (``SOURCE``: table
        columns are read where the clinician's padding put them) and whether a recogniser
        wrote it (``SPOKEN``: names heard as other words are looked for)."""
        doc = self.nlp.make_doc(source.text)
        doc.user_data[SOURCE] = source
        doc.user_data[SPOKEN] = spoken
        return doc

    @cached_property
    def transcriber(self) -> Transcriber:
        """The speech model, loaded the first time a recording is given."""
        from scribe.asr.transcriber import Transcriber

        return Transcriber(settings=self.settings)

    def transcribe(self, path: Path, *, progress: Progress | None = None) -> Transcript:
        """Transcript of a recording, on this machine."""
        return self.transcriber.transcribe(path, progress=progress)

    def extract_audio(
        self,
        path: Path,
        context: EncounterContext | None = None,
        *,
        progress: Progress | None = None,
    ) -> AudioExtractionResult:
        """Recording -> transcript -> note -> coding. A note whose deciding words the
        recogniser was unsure of gets an ``asr-low-confidence`` prompt, so it goes to review; one
        that speaks of a procedure none of whose words could be coded, ``asr-procedure-unread``."""
        transcript = self.transcribe(path, progress=progress)
        return self.extract_transcript(transcript, context)

    def extract_transcript(
        self, transcript: Transcript, context: EncounterContext | None = None
    ) -> AudioExtractionResult:
        """Note and coding of a transcript already made (see ``extract_audio``)."""
        if not transcript.text.strip():
            note = self._builder.build(self.nlp(""), normalize(""))
        else:
            source = read_as_meant(normalize(transcript.text), self._confusions)
            note = self._builder.build(self.nlp(self._doc_of(source, spoken=True)), source)
        coding = self.recode(note, context, transcript=transcript)
        return AudioExtractionResult(transcript=transcript, note=note, coding=coding)

    @cached_property
    def _asr_lexicon(self) -> AsrLexicon:
        return read_model(self._folder / "asr.yaml", AsrLexicon)

    @cached_property
    def _confusions(self) -> list[tuple[re.Pattern[str], str]]:
        """What a recogniser writes for words it misheard (asr.yaml ``heard_as``)."""
        return [(re.compile(c.heard, re.I), c.meant) for c in self._asr_lexicon.heard_as]

    @property
    def lexicons(self) -> Lexicons:
        """The lexicons the pipeline was built from (muscles, substances...)."""
        return self._lexicons

    def recode(
        self,
        note: Note,
        context: EncounterContext | None = None,
        *,
        transcript: Transcript | None = None,
    ) -> CodingResult:
        """Code a note (after a reviewer corrected it, say). With the ``transcript`` it came
        from, deciding words the recogniser was unsure of still send it to review."""
        coding = code(note, context, rules=self._rules)
        if transcript is None:
            return coding
        from scribe.asr.confidence import low_confidence_prompt
        from scribe.asr.unread_procedure import unread_procedure_prompt

        spec = self._asr_lexicon.low_confidence
        unsure = low_confidence_prompt(
            transcript,
            note,
            threshold=self.settings.low_confidence,
            prompt_id=spec.id,
            severity=spec.severity,
            message=spec.message,
        )
        unread = self._asr_lexicon.procedure_unread
        # a recording that speaks of a procedure none of whose words could be coded
        lost = unread_procedure_prompt(
            note, coding, prompt_id=unread.id, severity=unread.severity, message=unread.message
        )
        added = [p for p in (unsure, lost) if p is not None]
        if not added:
            return coding
        return coding.model_copy(update={"prompts": [*coding.prompts, *added]})

    def extract_many(
        self,
        texts: Iterable[str],
        context: EncounterContext | None = None,
        *,
        batch_size: int = 32,
    ) -> list[ExtractionResult]:
        """Extract several dictations, batched through spaCy's ``nlp.pipe``."""
        return list(self.iter_extract(texts, context, batch_size=batch_size))

    def iter_extract(
        self,
        texts: Iterable[str],
        context: EncounterContext | None = None,
        *,
        batch_size: int = 32,
    ) -> Iterator[ExtractionResult]:
        limit = self.settings.max_input_chars
        sources: list[NormalizedText] = []

        def checked() -> Iterator[Doc]:
            for text in texts:
                sources.append(normalize(check_text(text, max_chars=limit)))
                yield self._doc_of(sources[-1])

        for i, doc in enumerate(self.nlp.pipe(checked(), batch_size=batch_size)):
            note = self._builder.build(doc, sources[i])
            yield ExtractionResult(note=note, coding=code(note, context, rules=self._rules))
