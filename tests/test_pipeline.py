"""The public Python API: ``Scribe().extract`` / ``extract_many``, typed input errors, a quiet
pipeline built once per process."""

from __future__ import annotations

import pytest
import spacy

from scribe import (
    CodingResult,
    EncounterContext,
    ExtractionResult,
    InputError,
    Note,
    Scribe,
    ScribeError,
)
from scribe import pipeline as scribe_pipeline
from scribe.config import Settings
from scribe.errors import BinaryInputError, EmptyInputError, InputTooLargeError

DICTATION = (
    "Dry needling to the right upper trapezius, levator scapulae and rhomboid major. "
    "No medication, saline or other substance injected. Pain 7/10 -> 3/10. Tolerated well."
)
SECRET = "Zebediah"  # a word that must never appear in an error message


def test_pipeline_extract_returns_note_and_coding(scribe: Scribe) -> None:
    result = scribe.extract(DICTATION)
    assert isinstance(result, ExtractionResult)
    assert isinstance(result.note, Note)
    assert isinstance(result.coding, CodingResult)
    assert [(m.name, m.laterality, m.status) for m in result.note.muscles] == [
        ("upper trapezius", "right", "treated"),
        ("levator scapulae", "right", "treated"),
        ("rhomboid major", "right", "treated"),
    ]
    assert result.note.injectate.status == "none_confirmed"
    assert result.coding.muscle_count == 3
    assert [(line.code, line.units) for line in result.coding.lines] == [("20561", 1)]
    assert result.note.text_length == len(DICTATION)


def test_pipeline_extract_many_matches_extract(scribe: Scribe) -> None:
    texts = [
        DICTATION,
        "DN to bilat UT. No injectate.",
        "Plan to needle the L QL next visit.",
        "TPI with 1 mL lidocaine to the R infraspinatus.",
    ]
    batched = scribe.extract_many(texts, batch_size=2)
    assert [r.model_dump() for r in batched] == [scribe.extract(t).model_dump() for t in texts]


def test_pipeline_extract_many_of_nothing_is_empty(scribe: Scribe) -> None:
    assert scribe.extract_many([]) == []


def test_pipeline_extract_many_refuses_bad_input(scribe: Scribe) -> None:
    with pytest.raises(EmptyInputError):
        scribe.extract_many([DICTATION, "   "])


def test_pipeline_context_reaches_the_coding(scribe: Scribe) -> None:
    context = EncounterContext(payer="medicare", clbp=True, session_number=14)
    result = scribe.extract(
        "Dry needling to the right lumbar multifidus and right QL. No injectate.", context
    )
    assert any("KX" in line.modifiers for line in result.coding.lines)
    batched = scribe.extract_many(
        ["Dry needling to the right lumbar multifidus and right QL. No injectate."], context
    )
    assert batched[0].model_dump() == result.model_dump()


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", EmptyInputError),
        ("   \n\t  \n", EmptyInputError),
        (f"DN to R UT {SECRET}\x00\x00\x00", BinaryInputError),
        ("\x01\x02\x03\x04\x05\x06\x07\x08" * 8, BinaryInputError),
    ],
)
def test_pipeline_bad_input_raises_typed_error(
    scribe: Scribe, text: str, error: type[InputError]
) -> None:
    with pytest.raises(error) as raised:
        scribe.extract(text)
    assert isinstance(raised.value, InputError)
    assert isinstance(raised.value, ScribeError)
    assert SECRET not in str(raised.value)
    assert str(raised.value)


def test_pipeline_input_over_the_size_limit_is_refused() -> None:
    small = Scribe(settings=Settings(max_input_chars=100))
    text = f"Dry needling to the right upper trapezius {SECRET}. " * 5
    with pytest.raises(InputTooLargeError) as raised:
        small.extract(text)
    assert SECRET not in str(raised.value)
    assert "100" in str(raised.value)
    assert small.extract(text[:100]).coding.muscle_count == 1


def test_pipeline_errors_are_exported_from_the_package() -> None:
    assert issubclass(InputTooLargeError, InputError)
    assert issubclass(BinaryInputError, InputError)
    assert issubclass(EmptyInputError, InputError)
    assert issubclass(InputError, ScribeError)


def test_pipeline_is_built_once_and_reused(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    real_build = scribe_pipeline.build_nlp  # type: ignore[attr-defined]

    def counting_build(*args: object, **kwargs: object) -> spacy.language.Language:
        calls.append(args)
        return real_build(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(scribe_pipeline, "build_nlp", counting_build)
    built = Scribe()
    nlp = built.nlp
    built.extract(DICTATION)
    built.extract("DN to R UT.")
    built.extract_many([DICTATION, "DN to L QL."])
    assert len(calls) == 1
    assert built.nlp is nlp


def test_pipeline_nothing_reaches_stderr(capfd: pytest.CaptureFixture[str]) -> None:
    built = Scribe()
    built.extract(DICTATION)
    built.extract_many(["Pt. tolerated well. R. UT needled.", "1. R UT\n2. L QL"])
    captured = capfd.readouterr()
    assert captured.err == ""
    assert captured.out == ""


def test_pipeline_pyrush_debug_logs_are_silenced(capfd: pytest.CaptureFixture[str]) -> None:
    import scribe.nlp  # noqa: F401  (importing the pipeline silences PyRuSH's loguru logs)

    nlp = spacy.blank("en")
    nlp.add_pipe("medspacy_pyrush")
    doc = nlp("Pt. tolerated well. R UT needled. Plan: DN next visit.")
    assert len(list(doc.sents)) >= 2
    captured = capfd.readouterr()
    assert "DEBUG" not in captured.err
    assert captured.err == ""


DEMO = """Procedure: Dry needling performed to the right upper trapezius, levator scapulae and \
rhomboid major with local twitch responses. No medication, saline or other substance was \
injected. Tolerated well."""


@pytest.mark.parametrize(
    "invisible", ["\u200b", "\u200d", "\ufeff", "\u202e", "\u00ad", "\u2060", "\u00a0"]
)
def test_pipeline_invisible_characters_keep_every_muscle(scribe: Scribe, invisible: str) -> None:
    clean = scribe.extract(DEMO)
    text = DEMO.replace("upper trapezius", f"upper trapezius{invisible}")
    result = scribe.extract(text)
    assert result.coding.muscle_count == clean.coding.muscle_count == 3
    assert [line.code for line in result.coding.lines] == ["20561"]
    trapezius = result.note.muscles[0]
    assert text[trapezius.start : trapezius.end] == trapezius.text


@pytest.mark.parametrize(
    "odd",
    ["\ufffd", "\u2019s", "\u2022 ", "\u201cquoted\u201d", " \u2013 ", "\u00e9", "\ud800"],
)
def test_pipeline_unicode_from_real_records_is_text_not_binary(scribe: Scribe, odd: str) -> None:
    result = scribe.extract(f"Pt{odd} reports neck pain. {DEMO}")
    assert result.coding.muscle_count == 3


def test_pipeline_long_negation_dictation_stays_in_bounded_sentences(scribe: Scribe) -> None:
    """The 50,000-character dictation of repeated negations that once took minutes: sentences
    are bounded, and so is the ConText work in each (no timing here, only the bounds)."""
    from scribe.nlp.context import MAX_MODIFIERS_PER_SENTENCE
    from scribe.nlp.sentences import MAX_SENTENCE_TOKENS

    text = ("no " * 20_000)[:50_000]
    doc = scribe.nlp(text)
    sents = list(doc.sents)
    assert len(sents) >= 50_000 // 3 // MAX_SENTENCE_TOKENS
    assert max(sum(not t.is_space for t in s) for s in sents) <= MAX_SENTENCE_TOKENS
    per_sentence: dict[int, int] = {}
    for modifier in doc._.context_graph.modifiers:
        sent = doc[modifier.modifier_span[0]].sent.start
        per_sentence[sent] = per_sentence.get(sent, 0) + 1
    assert max(per_sentence.values()) <= MAX_MODIFIERS_PER_SENTENCE
    assert scribe.extract(text).coding.lines == []


def test_a_muscle_is_quoted_by_words_that_name_it(scribe: Scribe) -> None:
    text = (
        "TrP in the L biceps femoris with a twitch on palpation. "
        "Dry needled the L biceps femoris long head, no injectate."
    )
    [muscle] = [m for m in scribe.extract(text).note.muscles if m.status == "treated"]
    assert muscle.name == "long head of biceps femoris"
    assert muscle.text == "biceps femoris long head"
