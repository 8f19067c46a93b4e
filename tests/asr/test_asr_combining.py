"""Two recognisers' readings combined word by word (scribe/asr/combining.py): where they
differ, the reading its model was surer of; where one heard nothing, the first as it is."""

from __future__ import annotations

import pytest

from scribe.asr.combining import KeyTerms, combine, sureness
from scribe.asr.guards import RawSegment, RawWord


def _reading(*segments: list[tuple[str, float]], start: float = 0.0) -> list[RawSegment]:
    """Segments of words given as (text, probability), half a second each."""
    out: list[RawSegment] = []
    clock = start
    for words in segments:
        raw = []
        for n, (text, probability) in enumerate(words):
            raw.append(RawWord(text if n == 0 else " " + text, clock, clock + 0.5, probability))
            clock += 0.5
        out.append(
            RawSegment(raw[0].start, raw[-1].end, "".join(w.text for w in raw), -0.3, 0.01, raw)
        )
    return out


def _text(segments: list[RawSegment]) -> list[str]:
    return [s.text.strip() for s in segments]


FIRST = _reading(
    [("I", 0.9), ("did", 0.9), ("the", 0.9), ("right", 0.9), ("upper", 0.9), ("trap,", 0.9)],
    [("millimeters", 0.3), ("scapular", 0.4), ("and", 0.9), ("rhomboid.", 0.8)],
)


def test_a_stretch_the_second_model_was_surer_of_replaces_the_first() -> None:
    second = _reading(
        [("I", 0.9), ("did", 0.9), ("the", 0.9), ("right", 0.9), ("upper", 0.9), ("trap,", 0.9),
         ("levator", 0.8), ("scapulae", 0.7), ("and", 0.9), ("rhomboid.", 0.9)],
    )  # fmt: skip
    combined = combine(FIRST, second, margin=0.1)
    # the first reading's segments stay; the words in the second come from the other reading
    assert _text(combined) == ["I did the right upper trap,", "levator scapulae and rhomboid."]
    assert combined[1].words[0].probability == 0.8
    assert combined[1].start == FIRST[1].start
    assert combined[1].avg_logprob == FIRST[1].avg_logprob


def test_a_stretch_the_second_model_was_less_sure_of_is_left() -> None:
    second = _reading(
        [("I", 0.9), ("did", 0.9), ("the", 0.9), ("right", 0.9), ("upper", 0.9), ("trap,", 0.9),
         ("levator", 0.3), ("scapulae", 0.4), ("and", 0.9), ("rhomboid.", 0.9)],
    )  # fmt: skip
    assert combine(FIRST, second, margin=0.0) == FIRST


@pytest.mark.parametrize(("margin", "replaced"), [(0.0, True), (0.3, True), (0.5, False)])
def test_the_second_must_be_surer_by_the_margin(margin: float, replaced: bool) -> None:
    # geometric means: first 0.346, second 0.748
    second = _reading(
        [("I", 0.9), ("did", 0.9), ("the", 0.9), ("right", 0.9), ("upper", 0.9), ("trap,", 0.9),
         ("levator", 0.8), ("scapulae", 0.7), ("and", 0.9), ("rhomboid.", 0.8)],
    )  # fmt: skip
    combined = combine(FIRST, second, margin=margin)
    assert ("levator scapulae" in combined[1].text) is replaced


def test_words_only_one_model_heard_stay_as_the_first_has_them() -> None:
    # the second heard nothing of "upper" and added "no injectate" at the end
    second = _reading(
        [("I", 0.99), ("did", 0.99), ("the", 0.99), ("right", 0.99), ("trap,", 0.99),
         ("millimeters", 0.3), ("scapular", 0.4), ("and", 0.9), ("rhomboid.", 0.8),
         ("No", 0.99), ("injectate.", 0.99)],
    )  # fmt: skip
    assert combine(FIRST, second, margin=0.0) == FIRST


def test_case_and_punctuation_are_no_difference() -> None:
    second = _reading(
        [("i", 0.99), ("did", 0.99), ("the", 0.99), ("right", 0.99), ("upper", 0.99),
         ("trap.", 0.99), ("Millimeters", 0.99), ("scapular,", 0.99), ("and", 0.99),
         ("rhomboid", 0.99)],
    )  # fmt: skip
    assert combine(FIRST, second, margin=0.0) == FIRST


def test_readings_without_words_are_left_alone() -> None:
    bare = [RawSegment(0.0, 3.0, " I did the right upper trap.", -0.3, 0.01, [])]
    other = _reading([("I", 0.99), ("did", 0.99), ("the", 0.99), ("left", 0.99)])
    assert combine(bare, other, margin=0.0) == bare
    assert combine(FIRST, [], margin=0.0) == FIRST


def test_sureness_is_the_geometric_mean() -> None:
    assert sureness([]) == 0.0
    words = [RawWord(" a", 0, 1, 0.25), RawWord(" b", 1, 2, 1.0)]
    assert sureness(words) == pytest.approx(0.5)


TERMS = KeyTerms(["levator scapulae", "rhomboid", "upper trapezius", "bilateral", "lidocaine"])


def _with(second_words: list[tuple[str, float]]) -> list[RawSegment]:
    head = [("I", 0.9), ("did", 0.9), ("the", 0.9), ("right", 0.9), ("upper", 0.9), ("trap,", 0.9)]
    return _reading([*head, *second_words, ("and", 0.9), ("rhomboid.", 0.8)])


def test_a_name_the_first_reading_lacks_is_read_when_heard_well_enough() -> None:
    # less sure than the first's words, but a lexicon name where the first heard none
    second = _with([("levator", 0.3), ("scapulae", 0.3)])
    assert combine(FIRST, second, margin=0.2) == FIRST
    combined = combine(FIRST, second, margin=0.2, terms=TERMS, floor=0.2)
    assert combined[1].text.strip() == "levator scapulae and rhomboid."
    # heard too weakly (a hotword loop has word probabilities near 0)
    assert combine(FIRST, second, margin=0.2, terms=TERMS, floor=0.5) == FIRST


def test_a_name_both_readings_hold_is_no_reason_to_change() -> None:
    first = _reading(
        [("I", 0.9), ("did", 0.9), ("the", 0.9), ("right", 0.9), ("upper", 0.9), ("trap,", 0.9),
         ("the", 0.6), ("rhomboid", 0.6), ("and", 0.9), ("rhomboid.", 0.8)],
    )  # fmt: skip
    second = _with([("our", 0.5), ("rhomboid", 0.5)])
    assert combine(first, second, margin=0.2, terms=TERMS, floor=0.2) == first


def test_key_terms_are_whole_words_in_plain_text() -> None:
    words = [RawWord(" Levator", 0, 1, 0.9), RawWord(" scapulae,", 1, 2, 0.9)]
    assert TERMS.found(words) == {"levator scapulae"}
    assert TERMS.found([RawWord(" rhomboids", 0, 1, 0.9)]) == set()
    assert KeyTerms([]).found(words) == set()


def test_marks_alone_are_no_reading() -> None:
    # base once read a whole fixture dictation as ". . . . ." with word probabilities near 0.9
    dots = _reading([(".", 0.9)] * 12)
    assert combine(FIRST, dots, margin=0.0, terms=TERMS, floor=0.0) == FIRST


def test_a_key_word_the_first_heard_is_never_given_up() -> None:
    # base, surer of its own words, heard "dry needle" as "drineevil"
    first = _reading(
        [("then", 0.9), ("dry", 0.4), ("needle", 0.4), ("the", 0.9), ("left", 0.9),
         ("rhomboid.", 0.9)],
    )  # fmt: skip
    second = _reading(
        [("then", 0.9), ("drineevil", 0.95), ("the", 0.9), ("left", 0.9), ("rhomboid.", 0.9)],
    )  # fmt: skip
    assert "drineevil" in combine(first, second, margin=0.2)[0].text
    terms = KeyTerms(["rhomboid"], ["dry", "needling", "left", "right"])
    assert combine(first, second, margin=0.2, terms=terms, floor=0.2) == first
    assert terms.key_words(first[0].words) == {"dry", "left"}


def test_a_key_word_misspelt_by_the_second_is_no_key_word() -> None:
    # base (multilingual) wrote "needleed" for "needled", surer of it than tiny.en was
    first = _reading([("the", 0.9), ("supraspinatus", 0.9), ("was", 0.9), ("needled", 0.5)])
    second = _reading([("the", 0.9), ("supraspinatus", 0.9), ("was", 0.9), ("needleed", 0.9)])
    terms = KeyTerms(["supraspinatus"], ["needled", "left", "right"])
    assert combine(first, second, margin=0.2, terms=terms, floor=0.2) == first


def _stuck(word: str, times: int, at: float) -> RawSegment:
    """A decoder stuck at the end of the audio: one word over and over, in no time."""
    words = [RawWord(f" {word}", at, at, 0.95) for _ in range(times)]
    return RawSegment(at - 0.4, at, "".join(w.text for w in words), -0.6, 0.58, words)


def test_what_the_guards_remove_from_the_second_is_no_reading() -> None:
    # tiny.en invented "color" after the last word; base, stuck there, wrote "triceps" eight
    # times in no time, far surer of it: the name must not come into the transcript
    first = _reading([("he", 0.8), ("consented", 0.9), ("color.", 0.19)])
    second = [*_reading([("he", 0.9), ("consented,", 0.8)]), _stuck("triceps", 8, 1.5)]
    terms = KeyTerms(["triceps", "triceps brachii"], ["left", "right"])
    assert combine(first, second, margin=0.2, terms=terms, floor=0.2) == first
    # a segment that is no loop, heard in its time, still counts
    heard = _reading([("he", 0.9), ("consented,", 0.8), ("triceps.", 0.9)])
    assert _text(combine(first, heard, margin=0.2, terms=terms, floor=0.2)) == [
        "he consented triceps."
    ]


def test_the_repeats_of_a_loop_in_the_second_are_dropped() -> None:
    first = _reading([("the", 0.9), ("left", 0.9), ("solace", 0.3), ("and", 0.9)])
    looped = _reading(
        [("the", 0.9), ("left", 0.9), ("soleus", 0.9), ("soleus", 0.9), ("soleus", 0.9),
         ("and", 0.9)],
    )  # fmt: skip
    # the surer name comes in once, not three times
    assert _text(combine(first, looped, margin=0.2)) == ["the left soleus and"]


def _stretched_first() -> list[RawSegment]:
    """ "Right hand, ..." with "hand," stamped from 0.5 s to 12 s: the decoder stepped over
    the speech after it, and went on with the words said from 12 s."""
    words = [
        RawWord("Right", 0.0, 0.5, 0.9),
        RawWord(" hand,", 0.5, 12.0, 0.9),
        RawWord(" no", 12.0, 12.5, 0.9),
        RawWord(" injectate.", 12.5, 13.0, 0.9),
    ]
    return [RawSegment(0.0, 13.0, "".join(w.text for w in words), -0.3, 0.01, words)]


def _second_with_the_needling(probability: float = 0.8) -> list[RawSegment]:
    said = (
        "Right hand, I needled the right opponens pollicis and the abductor pollicis brevis, "
        "no injectate."
    )
    words = []
    for n, text in enumerate(said.split()):
        start = n * 12.0 / 14
        words.append(RawWord(text if n == 0 else " " + text, start, start + 0.5, probability))
    return [RawSegment(0.0, 13.0, "".join(w.text for w in words), -0.3, 0.01, words)]


def test_speech_the_first_stepped_over_is_read_from_the_second() -> None:
    combined = combine(_stretched_first(), _second_with_the_needling(), margin=0.2, floor=0.2)
    assert "needled the right opponens pollicis" in combined[0].text
    assert combined[0].text.strip().startswith("Right hand, I needled")


def test_speech_the_second_was_unsure_of_is_not_read_into_the_gap() -> None:
    first = _stretched_first()
    combined = combine(first, _second_with_the_needling(0.1), margin=0.2, floor=0.2)
    assert combined == first


def test_a_run_only_the_second_heard_stays_out_without_a_stretched_word() -> None:
    first = _stretched_first()
    words = [w if w.end - w.start < 1 else RawWord(w.text, w.start, w.start + 0.5, w.probability)
             for w in first[0].words]  # fmt: skip
    plain = [RawSegment(0.0, 13.0, first[0].text, -0.3, 0.01, words)]
    assert combine(plain, _second_with_the_needling(), margin=0.2, floor=0.2) == plain


def _crammed_first() -> list[RawSegment]:
    """tiny.en's reading of a dictation whose first half it stamped into a second and a half
    (the guards take that out as impossibly fast speech), then a short plausible tail."""
    fast = [RawWord(f" w{n}", 23.0 + n * 0.05, 23.05 + n * 0.05, 0.6) for n in range(30)]
    tail = [RawWord(t, 40.0 + n * 0.5, 40.5 + n * 0.5, 0.9) for n, t in
            enumerate(" tolerated it without any issue.".split(" ")[1:])]  # fmt: skip
    return [
        RawSegment(23.0, 24.5, "".join(w.text for w in fast), -0.5, 0.01, fast),
        RawSegment(40.0, 42.5, "".join(w.text for w in tail), -0.3, 0.01, tail),
    ]


def _even_second(words: int) -> list[RawSegment]:
    said = [RawWord(f" word{n}", n * 0.4, n * 0.4 + 0.35, 0.8) for n in range(words)]
    return [RawSegment(0.0, words * 0.4, "".join(w.text for w in said), -0.3, 0.01, said)]


def test_a_first_reading_that_lost_most_of_the_recording_gives_way_to_the_second() -> None:
    second = _even_second(40)
    assert combine(_crammed_first(), second, margin=0.2, floor=0.2) == second


def test_a_second_reading_of_a_few_words_never_stands_for_the_whole() -> None:
    # too little heard by the second to say the first lost anything
    first = _crammed_first()
    second = _even_second(12)
    assert combine(first, second, margin=0.2, floor=0.2) != second
