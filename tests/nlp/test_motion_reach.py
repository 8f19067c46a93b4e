"""Forward bending measured by where the fingertips reach is a range of motion without degrees
(scribe/nlp/motion.py)."""

from __future__ import annotations

import re

import pytest

from scribe.nlp.motion import rom_values

NEVER = re.compile(r"$^")


@pytest.mark.parametrize(
    "sentence",
    [
        "Trunk flexion: fingertips to distal thigh.",
        "Forward flexion with fingertips reaching to the floor.",
        # where the reach started, said before where it ended
        "Trunk flexion: fingertips went from the knees down to the ankles.",
    ],
)
def test_measures_fingertip_reach_is_a_rom_measure(sentence: str) -> None:
    values = rom_values(sentence, NEVER, NEVER)
    assert len(values) == 1
    assert values[0].motion is not None and "flexion" in values[0].motion


def test_measures_fingertips_without_a_motion_are_no_rom() -> None:
    assert rom_values("Numbness in the fingertips to the touch.", NEVER, NEVER) == []


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("O: Mouth opening 29 mm pain-free.", 29.0),
        ("She can only open about twenty eight millimeters.", 28.0),
        ("After treatment opening was thirty eight millimeters.", 38.0),
    ],
)
def test_measures_a_mouth_opening_in_millimetres_is_a_rom_measure(
    sentence: str, value: float
) -> None:
    [rom] = rom_values(sentence, NEVER, NEVER)
    assert value in (rom.before_degrees, rom.after_degrees)


@pytest.mark.parametrize(
    "sentence",
    [
        "Jaw opening went from 30 millimetres before to 36 after.",
        "Cervical rotation 55 degrees pre-treatment to 70 degrees after.",
    ],
)
def test_measures_a_change_with_the_first_value_timed_after_it(sentence: str) -> None:
    [rom] = rom_values(sentence, NEVER, NEVER)
    assert rom.before_degrees is not None and rom.after_degrees is not None
    assert rom.before_degrees < rom.after_degrees


def test_measures_a_needle_length_is_no_opening() -> None:
    assert rom_values("Opened a 0.25 x 40 mm needle pack, 30 mm deep.", NEVER, NEVER) == []


def test_measures_a_forward_bend_to_a_landmark_is_a_rom_measure() -> None:
    [rom] = rom_values(
        "His forward bend went from fingertips at mid shin to almost touching his ankles.",
        NEVER,
        NEVER,
    )
    assert rom.motion == "forward bend"
    assert rom_values("She bends forward to tie her shoes with pain.", NEVER, NEVER) == []


@pytest.mark.parametrize(
    ("sentence", "before", "after"),
    [
        # the unit said once, after the first value or after the second
        ("Knee to wall improved from 6 cm to 9.", 6.0, 9.0),
        ("Knee-to-wall went from seven to ten centimetres.", 7.0, 10.0),
    ],
)
def test_measures_a_change_with_its_unit_said_once(
    sentence: str, before: float, after: float
) -> None:
    [rom] = rom_values(sentence, NEVER, NEVER)
    assert (rom.before_degrees, rom.after_degrees) == (before, after)


def test_measures_an_angle_said_without_its_unit() -> None:
    [rom] = rom_values("Supine shoulder flexion was about one thirty.", NEVER, NEVER)
    assert rom.before_degrees == 130.0


@pytest.mark.parametrize(
    "sentence",
    [
        "Temp 38.1 °C, DN deferred.",
        "Rotation exercises 3 to 4 times a day.",
        "Hip flexion 4+/5 and extension 4/5.",
        "Cervical rotation drills, 2 sets of 15.",
    ],
)
def test_measures_temperatures_counts_and_grades_are_no_rom(sentence: str) -> None:
    assert rom_values(sentence, NEVER, NEVER) == []


@pytest.mark.parametrize(
    ("sentence", "measured"),
    [
        ("Cx rot R limited by 30%, L full.", True),
        ("Lumbar extension: 60% of normal.", True),
        ("Lx flex \u2193 40%.", True),
        # a share of something else is no range
        ("Grip strength 70% of the other side.", False),
        ("Hip flexors 4/5, 90% effort.", False),
    ],
)
def test_a_range_said_as_a_share_of_normal_is_a_rom_measure(sentence: str, measured: bool) -> None:
    assert bool(rom_values(sentence, NEVER, NEVER)) is measured


@pytest.mark.parametrize(
    ("sentence", "measured"),
    [
        ("Hand behind back R: T12 -> T9 after needling.", True),
        ("Reach behind the back went from L4 to L1.", True),
        ("Pain behind her back 6/10 -> 3/10.", False),
    ],
)
def test_a_reach_behind_the_back_to_a_spinal_level_is_a_rom_measure(
    sentence: str, measured: bool
) -> None:
    assert bool(rom_values(sentence, NEVER, NEVER)) is measured
