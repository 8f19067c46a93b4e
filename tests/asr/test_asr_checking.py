"""Lexicon-checked names: which unsure runs are checked, against which names, and how a
chosen name replaces the heard words (the scoring itself needs the model: test_asr_bias's
recordings run through it when a model's check_words is on)."""

from __future__ import annotations

import pytest

from scribe.asr import checking
from scribe.asr.checking import Span, find_spans, lexicon_names, protected_words, similarity
from scribe.asr.guards import RawSegment, RawWord
from scribe.asr.transcriber import Transcriber
from scribe.lexicons import load_lexicons


def _segment(*words: tuple[str, float]) -> RawSegment:
    raw = [RawWord(f" {w}", 0.4 * n, 0.4 * n + 0.3, p) for n, (w, p) in enumerate(words)]
    return RawSegment(0.0, raw[-1].end, "".join(w.text for w in raw), -0.3, 0.01, raw)


@pytest.fixture(scope="module")
def setup() -> tuple[list[str], Transcriber]:
    transcriber = Transcriber()
    names = lexicon_names(load_lexicons(), transcriber.lexicon.vocabulary.excluded_groups)
    return names, transcriber


def test_checking_names_hold_muscles_bilateral_and_drugs_not_left_or_right(
    setup: tuple[list[str], Transcriber],
) -> None:
    names, _ = setup
    assert {"levator scapulae", "bilateral", "lidocaine"} <= set(names)
    assert "left" not in names and "right" not in names
    assert "orbicularis oculi" not in names, "groups nobody needles are left out"


def test_checking_similarity_hears_misheard_names() -> None:
    assert similarity("millimeters capulae", "levator scapulae") >= 75
    assert similarity("my lateral", "bilateral") >= 75
    assert similarity("jump sign", "gluteus minimus") < 50


def test_checking_spans_are_unsure_runs_that_sound_like_names(
    setup: tuple[list[str], Transcriber],
) -> None:
    names, transcriber = setup
    spec = transcriber.lexicon.check
    segment = _segment(
        ("needled", 0.9), ("the", 0.9), ("millimeters", 0.3), ("capulae", 0.4), ("and", 0.9)
    )
    terms = protected_words(transcriber.lexicon.vocabulary.terms)
    spans = find_spans([segment], names, spec, terms)
    assert any(
        s.heard == "millimeters capulae" and "levator scapulae" in s.candidates for s in spans
    )
    sure = _segment(("needled", 0.9), ("millimeters", 0.95), ("capulae", 0.95))
    assert find_spans([sure], names, spec, terms) == [], "confident words are not checked"
    protected = _segment(("twitch", 0.3), ("responses", 0.3))
    assert find_spans([protected], names, spec, terms) == []


def test_checking_replacement_keeps_times_and_punctuation() -> None:
    segment = _segment(("the", 0.9), ("millimeters", 0.3), ("capulae,", 0.4), ("and", 0.9))
    span = Span(0, 1, 3, "millimeters capulae", ("levator scapulae",))
    checking._replace(segment, span, "levator scapulae", 0.42)
    assert segment.text == " the levator scapulae, and"
    assert [w.probability for w in segment.words] == [0.9, 0.42, 0.42, 0.9]
    assert segment.words[1].start == pytest.approx(0.4)
    assert segment.words[2].end == pytest.approx(1.1)


def test_checking_leaves_a_heard_name_and_its_neighbours_alone(
    setup: tuple[list[str], Transcriber],
) -> None:
    names, transcriber = setup
    spec = transcriber.lexicon.check.model_copy(update={"max_span_words": 3})
    terms = protected_words(transcriber.lexicon.vocabulary.terms)
    heard = _segment(("needled", 0.9), ("levator", 0.9), ("scapulae", 0.4), ("today", 0.9))
    spans = find_spans([heard], names, spec, terms)
    assert not [s for s in spans if s.first <= 1 and s.last >= 3], "the name was heard"
    garbled = _segment(("the", 0.9), ("levator's", 0.5), ("capyoly", 0.3))
    spans = find_spans([garbled], names, spec, terms)
    assert any("levator scapulae" in s.candidates for s in spans), "unsure words outside a name"


def test_checking_chooses_a_close_name_that_stands_out() -> None:
    spec = Transcriber().lexicon.check
    near = Span(0, 1, 2, "mass center", ("masseter", "masseters"))
    far = Span(0, 4, 5, "glute meat", ("gluteus medius",))
    heard = -40.0
    options = {
        near: [(heard - 1.0, "masseter", 0.4), (heard - 1.0 - spec.separation - 1, "x", 0.1)],
        far: [(heard - spec.margin - 1, "gluteus medius", 0.4)],
    }
    assert checking.choose(heard, options, spec) == [(near, "masseter", 0.4)]
    tied = {near: [(heard - 1.0, "masseter", 0.4), (heard - 1.5, "masseters", 0.3)]}
    assert checking.choose(heard, tied, spec) == [], "two names the audio cannot tell apart"
    overlapping = Span(0, 1, 3, "mass center and", ("masseter",))
    both = {near: options[near], overlapping: [(heard - 5.0, "masseter", 0.2)]}
    assert checking.choose(heard, both, spec) == [(near, "masseter", 0.4)], "the best of overlaps"
