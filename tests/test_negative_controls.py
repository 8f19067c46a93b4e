"""Clinical texts with no dry needling: nothing may come out as treated, nothing billed.

The texts are written for these tests (the interview transcripts in ../shared are read only by
bench/negative_controls.py)."""

from __future__ import annotations

import pytest

from scribe import Scribe

ORTHOPEDIC_VISIT = (
    "Orthopedic follow-up. Patient reports right shoulder pain for six weeks with weakness "
    "overhead. Exam: tenderness over the trapezius, positive empty can test suggesting rotator "
    "cuff tendinopathy. MRI ordered. Continue NSAIDs and home exercise program. Return in four "
    "weeks."
)
MEDICATION_LIST = (
    "Medications: lidocaine 5% patch applied to the low back daily, gabapentin 300 mg three "
    "times a day, ibuprofen as needed. Allergies: none known. Patient uses the lidocaine "
    "patches over the lumbar paraspinals at night."
)
MASSAGE_NOTE = (
    "Massage therapy session, 60 minutes. Swedish massage to the upper trapezius, levator "
    "scapulae and rhomboids with myofascial release to the pectoralis minor. Client tolerated "
    "pressure well. Recommended stretching at home."
)
EXERCISE_NOTE = (
    "Therapeutic exercise: clamshells and side-lying hip abduction to strengthen the right "
    "gluteus medius; bridges for the hamstrings. Patient tolerated exercise well. Progress "
    "resistance next week."
)
CHIROPRACTIC_NOTE = (
    "Chiropractic adjustment to C5-6 and T4. Soft tissue work to the left levator scapulae and "
    "upper trapezius. Ice at home, twenty minutes twice a day."
)
INTAKE_HISTORY = (
    "New patient intake. Neck pain since a car accident in March, worse with computer work. "
    "Her sister had dry needling for back pain and she wants to know more. Tight upper traps "
    "and SCM on palpation. Plan: postural education, cervical ROM exercises."
)
EDUCATION_NOTE = (
    "Patient asked whether dry needling could help her neck. We discussed the risks and "
    "benefits of needling the upper trapezius. She would like to think about it and will call "
    "back."
)
NEEDLE_EMG = (
    "Needle EMG of the right deltoid and biceps brachii showed no denervation. Nerve conduction "
    "studies of the median and ulnar nerves were normal."
)

CONTROLS = [
    pytest.param(ORTHOPEDIC_VISIT, id="orthopedic-visit"),
    pytest.param(MEDICATION_LIST, id="medication-list"),
    pytest.param(MASSAGE_NOTE, id="massage-note"),
    pytest.param(EXERCISE_NOTE, id="exercise-note"),
    pytest.param(CHIROPRACTIC_NOTE, id="chiropractic-note"),
    pytest.param(INTAKE_HISTORY, id="intake-history"),
    pytest.param(EDUCATION_NOTE, id="education-discussion"),
    pytest.param(NEEDLE_EMG, id="needle-emg"),
]


@pytest.mark.parametrize("text", CONTROLS)
def test_negative_controls_nothing_treated_nothing_billed(scribe: Scribe, text: str) -> None:
    result = scribe.extract(text)
    treated = [(m.name, m.laterality) for m in result.note.muscles if m.status == "treated"]
    assert treated == []
    assert [g.id for g in result.note.groups if g.status == "treated"] == []
    assert result.coding.muscle_count == 0
    assert result.coding.lines == []


@pytest.mark.parametrize(
    ("text", "named"),
    [
        (ORTHOPEDIC_VISIT, "trapezius"),
        (MASSAGE_NOTE, "levator-scapulae"),
        (EXERCISE_NOTE, "gluteus-medius"),
        (CHIROPRACTIC_NOTE, "levator-scapulae"),
    ],
)
def test_negative_controls_named_muscles_stay_visible(
    scribe: Scribe, text: str, named: str
) -> None:
    note = scribe.extract(text).note
    ids = {m.id for m in note.muscles} | {m.id for m in note.other_mentions}
    assert named in ids


def test_negative_controls_medication_list_injects_nothing(scribe: Scribe) -> None:
    note = scribe.extract(
        "Medications: lidocaine 5% patch, gabapentin 300 mg three times a day."
    ).note
    assert note.injectate.status != "injected"
    assert [s.name for s in note.injectate.substances if s.status == "injected"] == []


def test_negative_controls_lidocaine_patch_alone_is_not_an_injection(scribe: Scribe) -> None:
    note = scribe.extract("Lidocaine patches to the low back at night.").note
    assert note.injectate.status != "injected"
