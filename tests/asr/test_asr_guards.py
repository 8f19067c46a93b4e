"""Hallucination guards and transcript assembly, on hand-made recogniser output (no model)."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scribe.asr.guards import (
    RawSegment,
    RawWord,
    collapse_loops,
    cut_stutter,
    is_loop,
    is_outro,
    is_silence,
)
from scribe.asr.transcriber import Transcriber
from scribe.schemas.transcript import Transcript

OUTROS = frozenset({"thank you", "thanks for watching", "you"})


def words_of(text: str, probability: float = 0.9, start: float = 0.0) -> list[RawWord]:
    """Words as faster-whisper gives them: a leading space on each, 0.3 s apart."""
    return [
        RawWord(f" {word}", start + 0.3 * n, start + 0.3 * n + 0.25, probability)
        for n, word in enumerate(text.split())
    ]


def segment(
    text: str,
    *,
    start: float = 0.0,
    probability: float = 0.9,
    avg_logprob: float = -0.3,
    no_speech_prob: float = 0.02,
    with_words: bool = True,
) -> RawSegment:
    words = words_of(text, probability, start) if with_words else []
    end = words[-1].end if words else start + 1.0
    return RawSegment(start, end, f" {text}", avg_logprob, no_speech_prob, words)


def texts(words: list[RawWord]) -> list[str]:
    return [w.text.strip() for w in words]


@pytest.fixture(scope="module")
def transcriber() -> Transcriber:
    """A transcriber whose model is never loaded (it loads on first transcription)."""
    built = Transcriber()
    assert "model" not in built.__dict__, "building a Transcriber must not load the model"
    return built


# --- is_silence ---------------------------------------------------------------------------


def test_silence_no_speech_and_unsure_decoding() -> None:
    assert is_silence(segment("you", no_speech_prob=0.9, avg_logprob=-1.5))


def test_silence_low_mean_word_probability() -> None:
    assert is_silence(segment("so the the trap", probability=0.2))


def test_silence_speech_is_kept() -> None:
    assert not is_silence(segment("Dry needling to the right upper trapezius"))


def test_silence_needs_both_no_speech_and_low_logprob() -> None:
    # the model thinks there is no speech but decoded confidently, and the words are sure
    assert not is_silence(segment("No injectate.", no_speech_prob=0.9, avg_logprob=-0.2))
    # unsure decoding alone is no silence either
    assert not is_silence(segment("No injectate.", no_speech_prob=0.1, avg_logprob=-1.6))


def test_silence_segment_without_words_falls_back_to_the_scores() -> None:
    assert not is_silence(segment("Dry needling.", with_words=False))
    assert is_silence(
        segment("Dry needling.", with_words=False, no_speech_prob=0.8, avg_logprob=-1.2)
    )


# --- is_outro -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["Thank you.", " thank you!", "Thanks for watching!", "You"])
def test_outro_stock_phrases_standing_alone(text: str) -> None:
    assert is_outro(RawSegment(0.0, 1.0, text, -0.5, 0.1), OUTROS)


@pytest.mark.parametrize(
    "text",
    [
        "Thank you for coming in, dry needling to the right upper trapezius.",
        "She tolerated it well, thank you.",
        "Young patient.",
        "",
    ],
)
def test_outro_phrase_inside_speech_is_not_an_outro(text: str) -> None:
    assert not is_outro(RawSegment(0.0, 1.0, text, -0.5, 0.1), OUTROS)


# --- collapse_loops -----------------------------------------------------------------------


def test_loop_single_word() -> None:
    kept, dropped = collapse_loops(words_of("the the the the right upper trapezius"))
    assert texts(kept) == ["the", "right", "upper", "trapezius"]
    assert texts(dropped) == ["the", "the", "the"]


def test_loop_multi_word_phrase() -> None:
    phrase = "and then I needled"
    kept, dropped = collapse_loops(words_of(f"Pain seven. {phrase} {phrase} {phrase} {phrase}"))
    assert texts(kept) == ["Pain", "seven.", "and", "then", "I", "needled"]
    assert texts(dropped) == phrase.split() * 3


def test_loop_ignores_case_and_punctuation() -> None:
    kept, dropped = collapse_loops(words_of("No injectate. no injectate, No Injectate. Tolerated"))
    assert texts(kept) == ["No", "injectate.", "Tolerated"]
    assert len(dropped) == 4


def test_loop_a_long_passage_said_twice_in_a_row() -> None:
    # the decoder jumped back: every word of the passage again, punctuation words and all
    passage = (
        "then the tensor fascia lata, rectus femoris and biceps femoris, after consent, "
        "I injected the vastus lateralis with 3 cc of 1 % lidocaine,"
    )
    said = f"On exam {passage} {passage} dry needled, no lidocaine"
    kept, dropped = collapse_loops(words_of(said))
    assert " ".join(texts(kept)) == f"On exam {passage} dry needled, no lidocaine"
    assert texts(dropped) == passage.split()


def test_a_passage_said_again_with_a_word_changed_is_speech() -> None:
    said = (
        "I dry needled the right upper trapezius and the levator scapulae today, "
        "I dry needled the left upper trapezius and the levator scapulae today"
    )
    _, dropped = collapse_loops(words_of(said))
    assert dropped == []


@pytest.mark.parametrize(
    "text",
    [
        # fixture 01, as dictated
        "Dry needling today to the right upper trapezius, levator scapulae and rhomboid major, "
        "with a twitch response in the upper trapezius. Pain went from seven to three out of "
        "ten. No injectate. Tolerated well.",
        # a phrase said twice is speech, not a loop
        "No no, the left side. Seven out of ten, seven out of ten before.",
        "Right upper trapezius, right levator scapulae, right rhomboid major.",
        "L four L five, L four L five.",
        "Um, um, dry needling to the upper trapezius bilaterally.",
    ],
)
def test_loop_nothing_dropped_in_normal_dictation(text: str) -> None:
    words = words_of(text)
    kept, dropped = collapse_loops(words)
    assert dropped == []
    assert kept == words


def test_loop_punctuation_only_word_never_joins_a_loop() -> None:
    words = words_of("- - - needled")
    kept, dropped = collapse_loops(words)
    assert kept == words and dropped == []


@given(
    st.lists(
        st.sampled_from(["the", "right", "upper", "trapezius", "needled", "and", "No,", "ten."]),
        max_size=30,
    )
)
def test_loop_collapse_loses_and_invents_nothing(tokens: list[str]) -> None:
    words = words_of(" ".join(tokens))
    kept, dropped = collapse_loops(words)
    # every word is either kept or dropped, and the kept ones stay in order
    assert Counter(map(id, kept + dropped)) == Counter(map(id, words))
    positions = [next(i for i, w in enumerate(words) if w is k) for k in kept]
    assert positions == sorted(positions)
    if words:
        assert kept[0] is words[0], "the first occurrence of a loop is the one kept"


@given(st.lists(st.sampled_from(["a", "b", "c", "d", "e", "f", "g", "h"]), max_size=16))
def test_loop_needs_three_occurrences(tokens: list[str]) -> None:
    """Without any word said three times there can be no loop, so nothing is dropped."""
    if max(Counter(tokens).values(), default=0) >= 3:
        return
    kept, dropped = collapse_loops(words_of(" ".join(tokens)))
    assert dropped == []
    assert texts(kept) == tokens


# --- Transcriber.assemble -----------------------------------------------------------------


def check_offsets(transcript: Transcript) -> None:
    for seg in transcript.segments:
        assert transcript.text[seg.char_start : seg.char_end] == seg.text
        for word in seg.words:
            assert transcript.text[word.char_start : word.char_end] == word.text
            assert seg.char_start <= word.char_start <= word.char_end <= seg.char_end
            assert 0.0 <= word.probability <= 1.0


def test_assemble_builds_text_and_offsets(transcriber: Transcriber) -> None:
    raw = [
        segment("Dry needling to the right upper trapezius,"),
        segment("levator scapulae and rhomboid major.", start=3.0),
        segment("No injectate.", start=6.0, with_words=False),
    ]
    transcript = transcriber.assemble(raw, duration=8.0)
    assert transcript.text == (
        "Dry needling to the right upper trapezius, levator scapulae and rhomboid major. "
        "No injectate."
    )
    assert [s.text for s in transcript.segments] == [
        "Dry needling to the right upper trapezius,",
        "levator scapulae and rhomboid major.",
        "No injectate.",
    ]
    assert [w.text for w in transcript.segments[0].words][-2:] == ["upper", "trapezius,"]
    assert transcript.segments[2].words == []
    assert transcript.removed == []
    assert transcript.duration == 8.0
    assert transcript.model == transcriber.read_by == "tiny.en+base"
    check_offsets(transcript)


def test_assemble_nothing_gives_an_empty_transcript(transcriber: Transcriber) -> None:
    transcript = transcriber.assemble([], duration=5.0)
    assert transcript.text == ""
    assert transcript.segments == [] and transcript.removed == []


def test_assemble_removes_silence_and_outro_with_reasons(transcriber: Transcriber) -> None:
    raw = [
        segment("you you", probability=0.1),  # noise read as words
        segment("Dry needling to the right upper trapezius.", start=1.0),
        segment("Thank you.", start=5.0, no_speech_prob=0.1),  # last: an end-of-audio outro
    ]
    transcript = transcriber.assemble(raw, duration=6.0)
    assert transcript.text == "Dry needling to the right upper trapezius."
    assert [(r.text.strip(), r.reason) for r in transcript.removed] == [
        ("you you", "silence or noise"),
        ("Thank you.", "stock phrase"),
    ]
    for item in transcript.removed:
        assert item.reason
        assert item.start <= item.end
    check_offsets(transcript)


def test_assemble_keeps_a_confident_thank_you_mid_dictation(transcriber: Transcriber) -> None:
    raw = [
        segment("Thank you.", no_speech_prob=0.05),
        segment("Dry needling to the right upper trapezius.", start=1.0),
    ]
    transcript = transcriber.assemble(raw, duration=4.0)
    assert transcript.text == "Thank you. Dry needling to the right upper trapezius."
    assert transcript.removed == []


def test_assemble_removes_words_too_fast_to_be_speech(transcriber: Transcriber) -> None:
    """Five words in 0.3 s at the end of the audio: invented at the boundary, not said."""
    invented = RawSegment(
        4.7,
        5.0,
        " We'll see you next time.",
        -0.4,
        0.2,
        [
            RawWord(f" {w}", 4.7 + 0.06 * n, 4.76 + 0.06 * n, 0.8)
            for n, w in enumerate("We'll see you next time.".split())
        ],
    )
    raw = [segment("Dry needling to the right upper trapezius."), invented]
    transcript = transcriber.assemble(raw, duration=5.0)
    assert transcript.text == "Dry needling to the right upper trapezius."
    [removed] = transcript.removed
    assert removed.text.strip() == "We'll see you next time."
    assert removed.reason


def test_assemble_collapses_a_loop_inside_a_segment(transcriber: Transcriber) -> None:
    raw = [segment("I needled the the the the right upper trapezius.")]
    transcript = transcriber.assemble(raw, duration=4.0)
    assert transcript.text == "I needled the right upper trapezius."
    [removed] = transcript.removed
    assert removed.reason == "repetition loop"
    assert removed.text == "the the the"
    assert 0.0 < removed.start <= removed.end
    check_offsets(transcript)


def test_assemble_cuts_a_loop_inside_one_word(transcriber: Transcriber) -> None:
    raw = [segment("to the right levator scapulae newomomomomomomomomomomom")]
    transcript = transcriber.assemble(raw, duration=4.0)
    assert transcript.text == "to the right levator scapulae"
    [removed] = transcript.removed
    assert removed.reason == "repetition loop"
    check_offsets(transcript)


@pytest.mark.parametrize(
    "loop", ["sternocleidomastoidomastoidomastoidomastoidomastoid", "dialineralineralineralinerali"]
)
def test_assemble_cuts_a_loop_of_syllables_inside_one_word(
    transcriber: Transcriber, loop: str
) -> None:
    raw = [segment(f"I needled the right upper trapezius {loop}")]
    transcript = transcriber.assemble(raw, duration=4.0)
    assert transcript.text == "I needled the right upper trapezius"
    assert [r.reason for r in transcript.removed] == ["repetition loop"]
    check_offsets(transcript)


def test_assemble_drops_a_segment_that_is_only_a_loop(transcriber: Transcriber) -> None:
    raw = [segment("Dry needling today."), segment("mamamamamamamama", start=3.0)]
    transcript = transcriber.assemble(raw, duration=6.0)
    assert transcript.text == "Dry needling today."
    assert [r.reason for r in transcript.removed] == ["repetition loop"]


@pytest.mark.parametrize(
    "word",
    [
        "bilaterally",
        "sternocleidomastoid",
        "mm-hmm",
        "ahhh",
        "seventy-seven",
        "obliquus capitis",
        "semimembranosus",
    ],
)
def test_stutter_guard_keeps_real_words(word: str) -> None:
    words = words_of(f"the {word} here")
    assert cut_stutter(words) == (words, [])


def test_assemble_drops_repeated_identical_segments(transcriber: Transcriber) -> None:
    looped = "Dry needling to the right upper trapezius."
    raw = [segment(looped, start=2.0 * n) for n in range(5)]
    raw.append(segment("No injectate.", start=10.0))
    transcript = transcriber.assemble(raw, duration=12.0)
    assert transcript.text.endswith(" No injectate.")
    assert transcript.text.count(looped) < 5
    assert transcript.removed, "the repeats are listed as removed"
    assert {r.reason for r in transcript.removed} == {"repeated segment"}
    assert all(r.text.strip() == looped for r in transcript.removed)
    check_offsets(transcript)


def test_assemble_keeps_one_copy_of_a_segment_loop(transcriber: Transcriber) -> None:
    looped = "Dry needling to the right upper trapezius."
    raw = [segment(looped, start=2.0 * n) for n in range(3)]
    transcript = transcriber.assemble(raw, duration=6.0)
    assert transcript.text == looped
    assert [r.reason for r in transcript.removed] == ["repeated segment"] * 2


def test_assemble_two_identical_segments_are_speech(transcriber: Transcriber) -> None:
    raw = [segment("No injectate."), segment("No injectate.", start=2.0)]
    transcript = transcriber.assemble(raw, duration=3.0)
    assert transcript.text == "No injectate. No injectate."
    assert transcript.removed == []


def test_assemble_clamps_probabilities(transcriber: Transcriber) -> None:
    raw = [segment("right upper trapezius")]
    raw[0].words[0].probability = 1.0000001
    raw[0].words[1].probability = -0.0001
    transcript = transcriber.assemble(raw, duration=2.0)
    assert [w.probability for w in transcript.segments[0].words] == [1.0, 0.0, 0.9]


word_text = st.text(
    alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzABC0123456789,.'%/-"), min_size=1
)
raw_word = st.tuples(st.booleans(), word_text, st.floats(0.0, 1.0))


@given(st.lists(st.lists(raw_word, min_size=0, max_size=8), max_size=5))
def test_assemble_offsets_always_match_the_text(
    transcriber: Transcriber, shape: list[list[tuple[bool, str, float]]]
) -> None:
    """Whatever words the recogniser gives (with or without a leading space), every kept
    segment and word quotes the transcript text exactly."""
    raw: list[RawSegment] = []
    for n, seg_words in enumerate(shape):
        words = [
            RawWord((" " if spaced else "") + text, n + 0.1 * i, n + 0.1 * i + 0.05, probability)
            for i, (spaced, text, probability) in enumerate(seg_words)
        ]
        text = "".join(w.text for w in words) or f" segment {n}"
        raw.append(RawSegment(float(n), n + 1.0, text, -0.2, 0.01, words))
    transcript = transcriber.assemble(raw, duration=float(len(shape)))
    check_offsets(transcript)
    assert len(transcript.segments) + sum(
        r.reason != "repetition loop" for r in transcript.removed
    ) == len(raw)


# --- a window the bias sent into a loop ------------------------------------------------------


def test_loop_segment_is_mostly_one_phrase_repeated() -> None:
    stuck = RawSegment(0.0, 18.0, "", -0.1, 0.02, words_of("follow up, " * 20))
    assert is_loop(stuck)
    speech = RawSegment(0.0, 6.0, "", -0.3, 0.02, words_of("the the the right upper trapezius"))
    assert not is_loop(speech)  # a stammer, not a stuck decoder
    assert not is_loop(RawSegment(0.0, 1.0, "", -0.3, 0.02, []))


class _Said:
    """A faster-whisper segment."""

    def __init__(self, text: str, start: float, end: float) -> None:
        self.text, self.start, self.end = text, start, end
        self.avg_logprob, self.no_speech_prob = -0.2, 0.02
        self.words = [
            type("W", (), {"word": w.text, "start": w.start, "end": w.end, "probability": 0.9})
            for w in words_of(text, start=start)
        ]


class _BiasLoops:
    """A model that loops whenever it is given bias words, and hears the dictation without."""

    def __init__(self) -> None:
        self.calls: list[dict[str, object]] = []

    def transcribe(self, audio: object, **options: object) -> tuple[list[_Said], None]:
        self.calls.append(options)
        if options.get("hotwords") or options.get("initial_prompt"):
            return [_Said("follow up, " * 20, 0.0, 8.0)], None
        return [_Said("I needled the right upper trapezius", 0.0, 3.0)], None


def test_a_window_looping_with_the_bias_is_decoded_again_without_it() -> None:
    model = _BiasLoops()
    transcriber = Transcriber()  # its own: the model is replaced
    transcriber.__dict__.update(model=model, hotwords="dry needling, trapezius")
    raw = transcriber.raw_segments(np.zeros(16_000 * 8, dtype=np.float32))
    assert [s.text for s in raw] == ["I needled the right upper trapezius"]
    assert model.calls[0]["hotwords"] and model.calls[1]["hotwords"] is None
    transcript = transcriber.assemble(raw, 8.0)
    assert "trapezius" in transcript.text


class _BiasSkips:
    """A model that, given bias words, stamps its one segment late and leaves out the words
    said before it; without them it hears the whole dictation."""

    def __init__(self) -> None:
        self.calls: list[dict[str, object]] = []

    def transcribe(self, audio: object, **options: object) -> tuple[list[_Said], None]:
        self.calls.append(options)
        if options.get("hotwords"):
            return [_Said("okay so the upper trap", 6.0, 8.0)], None
        return [
            _Said("okay so the upper trap and then", 0.0, 3.0),
            _Said("I needled the left levator scapulae", 3.0, 7.5),
        ], None


def test_speech_the_decoder_stepped_over_is_decoded_again_without_the_bias(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import scribe.asr.transcriber as transcriber_module

    # the voice activity detector hears speech over the whole recording
    monkeypatch.setattr(
        transcriber_module,
        "get_speech_timestamps",
        lambda audio, vad: [{"start": 0, "end": 16_000 * 8}],
    )
    model = _BiasSkips()
    transcriber = Transcriber()  # its own: the model is replaced
    transcriber.__dict__.update(model=model, hotwords="dry needling, trapezius")
    raw = transcriber.raw_segments(np.zeros(16_000 * 8, dtype=np.float32))
    assert "levator scapulae" in " ".join(s.text for s in raw)
    assert model.calls[-1]["hotwords"] is None
    # covered speech: decoded once
    monkeypatch.setattr(
        transcriber_module,
        "get_speech_timestamps",
        lambda audio, vad: [{"start": 16_000 * 6, "end": 16_000 * 8}],
    )
    model = _BiasSkips()
    transcriber.__dict__.update(model=model)
    raw = transcriber.raw_segments(np.zeros(16_000 * 8, dtype=np.float32))
    assert [s.text for s in raw] == ["okay so the upper trap"]
    assert len(model.calls) == 1
