"""Assertion: one status per muscle mention (DOMAIN.md section 3; extraction issue, section 3).

treated | negated | planned | historical | palpated_only; muscles named with no sign of
treatment are kept as mentions. Negation is scoped by what it negates.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from helpers import status_by_id
from spacy.language import Language

from scribe import Scribe
from scribe.schemas.note import Note

NoteOf = Callable[[str], Note]


def test_assertion_scoped_negation_negates_the_drug_not_the_muscle(note_of: NoteOf) -> None:
    note = note_of(
        "Dry needling to the upper trapezius. No lidocaine was injected into the upper trapezius."
    )
    assert status_by_id(note) == {"upper-trapezius": "treated"}
    # alone, the sentence denies the drug: the muscle is not negated (nor said to be needled)
    alone = note_of("No lidocaine was injected into the upper trapezius.")
    assert alone.muscles == []
    assert [m.id for m in alone.other_mentions] == ["upper-trapezius"]
    assert [(s.name, s.status) for s in note.injectate.substances] == [("lidocaine", "negated")]
    assert note.injectate.status == "none_confirmed"


def test_assertion_scoped_negation_keeps_the_dry_needling_code(scribe: Scribe) -> None:
    result = scribe.extract(
        "Dry needling to the right upper trapezius. "
        "No lidocaine was injected into the upper trapezius."
    )
    assert [(m.id, m.laterality, m.status) for m in result.note.muscles] == [
        ("upper-trapezius", "right", "treated")
    ]
    assert [line.code for line in result.coding.lines] == ["20560"]


@pytest.mark.parametrize(
    ("text", "negated"),
    [
        ("Piriformis not needled today. Dry needled R glute med.", "piriformis"),
        ("DN to R glute med. R piriformis was not needled.", "piriformis"),
        ("DN to R UT. L levator deferred.", "levator-scapulae"),
        ("DN to the R UT. Infraspinatus held today.", "infraspinatus"),
        ("Pt declined DN to R UT. DN performed to L levator scapulae.", "upper-trapezius"),
        ("Held the R piriformis today. DN to R QL.", "piriformis"),
        # too much of something to needle it
        ("DN to R QL. The R piriformis was too deep to needle today.", "piriformis"),
        ("DN to R QL. She was too sore to needle the R piriformis.", "piriformis"),
    ],
)
def test_assertion_not_needled_is_negated(note_of: NoteOf, text: str, negated: str) -> None:
    found = status_by_id(note_of(text))
    assert found[negated] == "negated"
    assert sorted(found.values()) == ["negated", "treated"]


@pytest.mark.parametrize(
    ("text", "planned"),
    [
        ("DN to R QL today. Plan to needle supraspinatus next visit.", "supraspinatus"),
        ("DN to R QL. May needle scalenes if symptoms persist.", "scalenes"),
        ("DN to R QL. If symptoms persist we may needle the scalenes.", "scalenes"),
        ("DN to R QL. We'll consider needling the piriformis.", "piriformis"),
        ("DN to R infraspinatus today. Plan: DN to R supraspinatus next visit.", "supraspinatus"),
        # the procedure to begin later
        ("DN to R QL today. Will begin TDN to the R piriformis at visit 3.", "piriformis"),
        (
            "DN to R QL today; we will start dry needling the R TFL once cleared.",
            "tensor-fasciae-latae",
        ),
    ],
)
def test_assertion_plans_are_planned(note_of: NoteOf, text: str, planned: str) -> None:
    found = status_by_id(note_of(text))
    assert found[planned] == "planned"
    assert sorted(found.values()) == ["planned", "treated"]


@pytest.mark.parametrize(
    ("text", "historical"),
    [
        ("R infraspinatus previously needled. DN to R UT today.", "infraspinatus"),
        ("Last session we needled the left piriformis. Today DN to L glute med.", "piriformis"),
        ("S/p DN to L glute med last week. Today DN to L piriformis.", "gluteus-medius"),
    ],
)
def test_assertion_history_is_historical(note_of: NoteOf, text: str, historical: str) -> None:
    found = status_by_id(note_of(text))
    assert found[historical] == "historical"
    assert sorted(found.values()) == ["historical", "treated"]


def test_assertion_needled_before_and_again_today_is_treated(note_of: NoteOf) -> None:
    note = note_of("R UT previously needled with good results. R UT needled again today.")
    assert status_by_id(note) == {"upper-trapezius": "treated"}


def test_assertion_palpated_only_versus_needled(note_of: NoteOf) -> None:
    note = note_of("Trigger points palpated in rhomboid; only the levator was needled.")
    assert status_by_id(note) == {"rhomboid": "palpated_only", "levator-scapulae": "treated"}


def test_assertion_palpated_only_is_not_counted(scribe: Scribe) -> None:
    result = scribe.extract(
        "TrPs palpated in the R rhomboid major and R levator scapulae. "
        "Only the R levator scapulae was dry needled."
    )
    assert status_by_id(result.note) == {
        "rhomboid-major": "palpated_only",
        "levator-scapulae": "treated",
    }
    assert result.coding.muscle_count == 1


def test_assertion_anaphora_both_needled(note_of: NoteOf) -> None:
    note = note_of("TrPs in R UT and levator. Both needled.")
    assert status_by_id(note) == {"upper-trapezius": "treated", "levator-scapulae": "treated"}


def test_assertion_status_cue_quotes_the_deciding_words(note_of: NoteOf) -> None:
    text = "Piriformis not needled today. Dry needled R glute med."
    note = note_of(text)
    piriformis = next(m for m in note.muscles if m.id == "piriformis")
    cue = piriformis.mentions[0].status_cue
    assert cue is not None
    assert "not needled" in cue.text
    assert text[cue.start : cue.end] == cue.text


def test_assertion_untreated_mentions_stay_in_the_note(note_of: NoteOf) -> None:
    note = note_of(
        "Plan to needle supraspinatus next visit. Piriformis not needled. "
        "Previously needled the L QL. DN to R UT."
    )
    assert {m.id: m.status for m in note.muscles} == {
        "supraspinatus": "planned",
        "piriformis": "negated",
        "quadratus-lumborum": "historical",
        "upper-trapezius": "treated",
    }


def test_assertion_complaint_only_muscle_is_not_treated(note_of: NoteOf) -> None:
    note = note_of(
        "Patient reports tightness in the upper trapezius. "
        "Dry needling to the right levator scapulae today."
    )
    found = status_by_id(note)
    assert found["levator-scapulae"] == "treated"
    assert found.get("upper-trapezius") != "treated"


def test_assertion_negated_finding_is_marked(note_of: NoteOf) -> None:
    note = note_of("No LTR elicited; no jump sign. DN to R UT.")
    kinds = {(f.kind, f.negated) for f in note.rationale.findings}
    assert ("local_twitch_response", True) in kinds
    assert ("jump_sign", True) in kinds


def test_assertion_sets_a_status_on_every_target(nlp: Language) -> None:
    doc = nlp("TrPs in R UT. Plan to needle L QL. No lidocaine. DN performed.")
    assert all(span._.status is not None for span in doc.spans["targets"])


@pytest.mark.parametrize(
    "sentence",
    [
        "Because of a bupivacaine allergy, TPIs were not used; the L supinator was dry needled.",
        "He is allergic to bupivacaine, so the L supinator was dry needled instead of injected.",
    ],
)
def test_assertion_allergy_names_the_drug_without_giving_it(note_of: NoteOf, sentence: str) -> None:
    note = note_of(sentence)
    assert [s.status for s in note.injectate.substances if s.name == "bupivacaine"] == ["mentioned"]
    assert note.injectate.status != "injected"


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Dry needling of the R gluteus minimus was offered; he refused.", "negated"),
        ("TPI to the L scalenes was offered, but the patient declined.", "negated"),
        ("Dry needling of the R gluteus minimus was offered for next week.", "planned"),
    ],
)
def test_assertion_offered_then_declined_is_not_done(
    note_of: NoteOf, text: str, status: str
) -> None:
    assert {m.status for m in note_of(text).muscles} == {status}
