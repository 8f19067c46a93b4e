"""Procedures are events, muscles their targets (extraction redesign, issue 9).

A muscle is treated only when a dry needling or trigger point injection done today, to the
patient, reaches it; everything else keeps its own status, contradictions are shown, and a
procedure that cannot be coded is never silent.
"""

from __future__ import annotations

import pytest

from scribe import Scribe
from scribe.pipeline import ExtractionResult


def codes(result: ExtractionResult) -> list[str]:
    return sorted(line.code for line in result.coding.lines)


def prompt_ids(result: ExtractionResult) -> set[str]:
    return {p.id for p in result.coding.prompts}


def treated(result: ExtractionResult) -> list[tuple[str, str]]:
    return [(m.id, m.laterality) for m in result.note.muscles if m.status == "treated"]


# --- no procedure, no line --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # operative report: muscles retracted, counts correct, local infiltrated
        "PREOPERATIVE DIAGNOSIS: Cervical radiculopathy.\nANESTHESIA: General.\n"
        "DESCRIPTION OF PROCEDURE: The platysma was divided and the sternocleidomastoid "
        "retracted laterally; the longus colli was elevated. The wound was infiltrated with "
        "0.25% bupivacaine. Sponge and needle counts were correct. No drain was used.",
        # imaging
        "MRI RIGHT SHOULDER\nTECHNIQUE: Multiplanar sequences.\nFINDINGS: Fatty infiltration "
        "of the supraspinatus and infraspinatus muscles. Edema in the teres minor.\n"
        "IMPRESSION: Chronic rotator cuff tear.",
        # needle EMG
        "NERVE CONDUCTION STUDIES: normal.\nNEEDLE EMG: needle examination of the right "
        "deltoid, biceps and triceps showed no denervation.",
        # a physical therapy exam naming weak muscles
        "Objective: gluteus medius 4-/5, tensor fasciae latae tight, piriformis tender. "
        "Plan: strengthening and stretching.",
        # a plan of botulinum toxin, and an exam
        "Exam: spasm in the left trapezius and splenius capitis. Plan: botulinum toxin "
        "injection into the left trapezius, to be scheduled.",
    ],
)
def test_events_notes_without_a_procedure_today_bill_nothing(scribe: Scribe, text: str) -> None:
    result = scribe.extract(text)
    assert codes(result) == []
    assert treated(result) == []


def test_events_acupuncture_needles_are_not_dry_needling(scribe: Scribe) -> None:
    result = scribe.extract(
        "Acupuncture treatment: needles placed at GB21 over the right upper trapezius, LI4 and "
        "ST36 bilaterally, retained 20 minutes. The right infraspinatus point SI11 was needled."
    )
    assert codes(result) == []
    assert treated(result) == []
    assert {p.kind for p in result.note.procedures} == {"acupuncture"}


def test_events_another_persons_needling_is_not_the_patients(scribe: Scribe) -> None:
    result = scribe.extract(
        "The patient's husband came to the visit too. His upper trapezius was needled today. "
        "She reports her neck is better and did her exercises."
    )
    assert codes(result) == []
    assert treated(result) == []
    spouse = scribe.extract("Her husband had dry needling to his right upper trapezius.")
    assert codes(spouse) == []


def test_events_procedure_words_about_other_times_do_not_bill(scribe: Scribe) -> None:
    for text in (
        "Dry needling of the right upper trapezius was held today because of bruising.",
        "Good candidate for dry needling of the left piriformis.",
        "Plan: dry needling to the right gluteus medius next visit.",
        "History: dry needling to the right upper trapezius last year helped.",
        "Did she have dry needling to the upper trapezius before?",
    ):
        result = scribe.extract(text)
        assert codes(result) == [], text


# --- tied to today's procedure --------------------------------------------------------------


def test_events_a_procedure_section_ties_its_list(scribe: Scribe) -> None:
    result = scribe.extract(
        "Subjective: neck pain.\n"
        "Dry needling:\n- R upper trapezius\n- R levator scapulae\n- R rhomboid major\n"
        "No injectate.\n"
    )
    assert treated(result) == [
        ("upper-trapezius", "right"),
        ("levator-scapulae", "right"),
        ("rhomboid-major", "right"),
    ]
    assert codes(result) == ["20561"]
    assert {m.mentions[0].binding for m in result.note.muscles} == {"section"}


def test_events_checkbox_template_bills_only_the_checked_boxes(scribe: Scribe) -> None:
    result = scribe.extract(
        "Dry needling performed today (no injectate). Muscles needled:\n"
        "[x] Right upper trapezius\n"
        "[ ] Left upper trapezius\n"
        "[x] Right levator scapulae\n"
        "[ ] Right rhomboid major\n"
    )
    assert treated(result) == [("upper-trapezius", "right"), ("levator-scapulae", "right")]
    assert codes(result) == ["20560"]


def test_events_checkbox_sides_take_the_checked_side_boxes(scribe: Scribe) -> None:
    result = scribe.extract(
        "MUSCLES NEEDLED TODAY (check muscle and side):\n"
        "☒ Upper trapezius ☒ R ☒ L\n"
        "☒ Levator scapulae ☐ R ☒ L\n"
        "☐ Scalenes ☐ R ☐ L\n"
        "Injectate: none.\n"
    )
    assert sorted(treated(result)) == [
        ("levator-scapulae", "left"),
        ("upper-trapezius", "bilateral"),
    ]
    assert codes(result) == ["20561"]


def test_events_table_rows_are_tied_and_a_deferred_row_is_not(scribe: Scribe) -> None:
    result = scribe.extract(
        "Trigger point dry needling today, no injectate.\n"
        "| Muscle | Side | Needles |\n"
        "|---|---|---|\n"
        "| Gluteus medius | R | 3 |\n"
        "| Piriformis | R | 2 |\n"
        "| Quadratus lumborum | R | 0 | deferred |\n"
    )
    assert treated(result) == [("gluteus-medius", "right"), ("piriformis", "right")]
    statuses = {m.id: m.status for m in result.note.muscles}
    assert statuses["quadratus-lumborum"] == "negated"


def test_events_anaphora_ties_the_muscles_named_before(scribe: Scribe) -> None:
    result = scribe.extract(
        "Taut bands in the R upper trapezius and R levator scapulae. Both were dry needled. "
        "No injectate."
    )
    assert treated(result) == [("upper-trapezius", "right"), ("levator-scapulae", "right")]


def test_events_injected_substance_without_an_injection_word(scribe: Scribe) -> None:
    result = scribe.extract("Lidocaine 1% 2 mL to the right quadratus lumborum trigger point.")
    assert treated(result) == [("quadratus-lumborum", "right")]
    assert codes(result) == ["20552"]
    assert result.note.muscles[0].techniques == ["injection"]


def test_events_mixed_session_keeps_each_technique(scribe: Scribe) -> None:
    result = scribe.extract(
        "Trigger point injection of the right upper trapezius with 1% lidocaine 2 mL. "
        "Dry needling of the left levator scapulae and left rhomboid major, no injectate."
    )
    techniques = {m.id: m.techniques for m in result.note.muscles}
    assert techniques == {
        "upper-trapezius": ["injection"],
        "levator-scapulae": ["needling"],
        "rhomboid-major": ["needling"],
    }
    assert {(line.code, tuple(line.modifiers)) for line in result.coding.lines} == {
        ("20552", ()),
        ("20560", ("59",)),
    }


# --- never silent, never resolved by priority ---------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Trigger point injections were performed today: 1 mL of 1% lidocaine into each of four "
        "trigger points in the low back.",
        "Dry needling to the lumbar paraspinals and the cervical muscles today, 8 needles.",
        "OPERATION: Trigger point injection.\nANESTHESIA: Local.\n"
        "DESCRIPTION: 3 cc of Marcaine was injected into each trigger point.",
    ],
)
def test_events_procedure_without_countable_muscles_raises_an_error(
    scribe: Scribe, text: str
) -> None:
    result = scribe.extract(text)
    assert codes(result) == []
    prompt = next(p for p in result.coding.prompts if p.id == "muscle-names-missing")
    assert prompt.severity == "error"
    assert prompt.evidence
    for evidence in prompt.evidence:
        assert text[evidence.start : evidence.end] == evidence.text


def test_events_treated_and_negated_is_a_conflict_not_a_choice(scribe: Scribe) -> None:
    text = (
        "Dry needling performed to the R upper trapezius and R levator scapulae. "
        "R upper trapezius was not needled today due to bruising."
    )
    result = scribe.extract(text)
    trapezius = next(m for m in result.note.muscles if m.id == "upper-trapezius")
    assert trapezius.status_conflict
    assert trapezius.status == "negated"
    assert treated(result) == [("levator-scapulae", "right")]
    assert codes(result) == ["20560"]
    prompt = next(p for p in result.coding.prompts if p.id == "status-conflict")
    assert prompt.severity == "error"
    assert len(prompt.evidence) >= 2


def test_events_unspecified_side_does_not_merge_into_a_negated_side(scribe: Scribe) -> None:
    result = scribe.extract("Upper trapezius needled. Upper trapezius on the left was not needled.")
    assert ("upper-trapezius", "left") not in treated(result)
    assert treated(result) == [("upper-trapezius", "unspecified")]


def test_events_a_plan_for_a_treated_muscle_is_no_conflict(scribe: Scribe) -> None:
    result = scribe.extract(
        "Dry needling to the R upper trapezius today, no injectate. "
        "Plan: needle the R upper trapezius again next week."
    )
    assert treated(result) == [("upper-trapezius", "right")]
    assert "status-conflict" not in prompt_ids(result)


def test_events_chemodenervation_is_not_a_trigger_point_injection(scribe: Scribe) -> None:
    result = scribe.extract(
        "Diagnosis: cervical dystonia.\n"
        "Procedure: onabotulinumtoxinA injected under EMG guidance: 50 units into the left "
        "sternocleidomastoid and 100 units into the right splenius capitis."
    )
    assert codes(result) == []
    assert treated(result) == []
    assert "chemodenervation-not-tpi" in prompt_ids(result)
    assert [p.kind for p in result.note.procedures if p.time == "today"] == ["chemodenervation"]


def test_events_no_anesthetic_beside_a_toxin_injection_proves_no_dry_needling(
    scribe: Scribe,
) -> None:
    # "no local anesthetic given" speaks of the toxin's injection, and its needle is the
    # injection's: no dry needling line
    result = scribe.extract(
        "Procedure: incobotulinumtoxinA 100 units under EMG guidance, 30-gauge hollow needle.\n"
        "Muscles: R sternocleidomastoid 40 units, L splenius capitis 60 units.\n"
        "No local anesthetic given. Tolerated well."
    )
    assert codes(result) == []
    assert "chemodenervation-not-tpi" in prompt_ids(result)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the injection said with no object, right after the trigger points it went into
        (
            "Active trigger point with a jump sign in the left rhomboid major. Consent signed. "
            "Injected with 1.5 mL of 0.5% bupivacaine.",
            ["20552"],
        ),
        # another site or route named: not a trigger point injection
        (
            "Active trigger point in the left rhomboid major. Injected with 1 mL of 1% "
            "lidocaine into the subacromial bursa.",
            [],
        ),
        ("Active trigger point in the left rhomboid major. Injected 30 mg ketorolac IM.", []),
    ],
)
def test_events_an_injection_said_without_its_object(
    scribe: Scribe, text: str, expected: list[str]
) -> None:
    assert codes(scribe.extract(text)) == expected


def test_events_botulinum_toxin_into_trigger_points_is_a_trigger_point_injection(
    scribe: Scribe,
) -> None:
    result = scribe.extract(
        "Trigger points with taut bands in the left sternocleidomastoid and the right upper "
        "trapezius. Botox 25 units was injected into each of those trigger points."
    )
    assert codes(result) == ["20552"]
    assert "chemodenervation-not-tpi" not in prompt_ids(result)


def test_events_names_that_are_common_words_need_context(scribe: Scribe) -> None:
    bronchoscopy = scribe.extract(
        "The right lower lobe was lavaged with trap A lavage with 100 mL of sterile saline."
    )
    assert bronchoscopy.note.muscles == [] and bronchoscopy.note.other_mentions == []
    cataract = scribe.extract("RF 2.5 mm incision; the lens was removed.")
    assert cataract.note.other_mentions == []
    needled = scribe.extract("DN to R RF and R VL, no injectate.")
    assert treated(needled) == [("rectus-femoris", "right"), ("vastus-lateralis", "right")]


def test_events_credentials_and_topics_are_no_procedure(scribe: Scribe) -> None:
    result = scribe.extract(
        "Therapist: J. Doe, PT, DPT, Cert. DN. Patient read the dry needling handout; "
        "dry needling OK per referring physician. Exam: TTP R upper trapezius."
    )
    assert result.note.procedures == []
    assert "muscle-names-missing" not in prompt_ids(result)


def test_events_every_procedure_points_at_its_words(scribe: Scribe) -> None:
    text = (
        "History: dry needling last month. Today: dry needling to the R gluteus medius, "
        "no injectate. Plan: trigger point injection next visit if no better."
    )
    result = scribe.extract(text)
    times = [(p.kind, p.time) for p in result.note.procedures]
    assert ("dry_needling", "past") in times
    assert ("dry_needling", "today") in times
    assert ("trigger_point_injection", "planned") in times
    for procedure in result.note.procedures:
        assert text[procedure.start : procedure.end] == procedure.text


def test_events_an_anaphor_points_at_the_muscles_of_its_own_sentence(scribe: Scribe) -> None:
    text = (
        "She blames her left infraspinatus for the ache. On palpation the taut bands were in "
        "the left teres minor and posterior deltoid, so those were dry needled."
    )
    treated = {m.name for m in scribe.extract(text).note.muscles if m.status == "treated"}
    assert treated == {"teres minor", "posterior deltoid"}


def test_events_spoken_treatment_verbs_tie_muscles_to_the_proven_procedure(
    scribe: Scribe,
) -> None:
    text = (
        "Dry needling session today. We did the left scalenes and went after the left "
        "pectoralis minor as well. Tolerated well."
    )
    treated = {m.name for m in scribe.extract(text).note.muscles if m.status == "treated"}
    assert treated == {"scalenes", "pectoralis minor"}
    # with no procedure proven, the same verbs bill nothing
    note = scribe.extract("We did the left scalenes and went after the left pectoralis minor.")
    assert not [m for m in note.note.muscles if m.status == "treated"]


def test_events_in_unpunctuated_speech_another_person_reaches_only_the_words_near(
    scribe: Scribe,
) -> None:
    run_on = (
        "jaw follow up she says her husband has heard her grinding her teeth most nights so i "
        "dry needled the left masseter and then the left temporalis and she tolerated it well "
        "nothing injected"
    )
    result = scribe.extract(run_on)
    treated = {(m.name, m.laterality) for m in result.note.muscles if m.status == "treated"}
    assert treated == {("masseter", "left"), ("temporalis", "left")}
    # said of the other person himself, it is still his
    other = scribe.extract(
        "her husband had his left upper trapezius dry needled at another clinic last year"
    )
    assert not [m for m in other.note.muscles if m.status == "treated"]


def test_events_needles_counted_with_no_procedure_named_are_not_silent(scribe: Scribe) -> None:
    # a verbless list after a count: nothing says what was done, so nothing is billed, but the
    # note must not pass in silence
    text = (
        "Seven muscles today. Quadratus lumborum both sides, gluteus medius both sides, lumbar "
        "multifidus both sides and the right piriformis. About twenty needles. No injection "
        "of any substance."
    )
    result = scribe.extract(text)
    assert codes(result) == []
    assert "muscle-names-missing" in prompt_ids(result)
    # acupuncture names its procedure: its needles are not a missing dry needling
    acupuncture = scribe.extract("Acupuncture today, twelve needles at LI4 and ST36.")
    assert "muscle-names-missing" not in prompt_ids(acupuncture)


def test_events_a_today_that_opens_a_clause_does_not_reach_back(scribe: Scribe) -> None:
    text = (
        "Last week we needled the right soleus, today I needled the right quadratus plantae "
        "and the abductor hallucis. No injectate."
    )
    statuses = {m.name: m.status for m in scribe.extract(text).note.muscles}
    assert statuses == {
        "soleus": "historical",
        "quadratus plantae": "treated",
        "abductor hallucis": "treated",
    }


def test_events_a_back_reference_without_a_side_joins_the_side_done(scribe: Scribe) -> None:
    text = (
        "I dry needled the left upper trapezius and the left levator scapulae. The right upper "
        "trapezius was tender too but I held it today. Twitch responses in the upper trap."
    )
    muscles = scribe.extract(text).note.muscles
    treated = {(m.name, m.laterality) for m in muscles if m.status == "treated"}
    assert treated == {("upper trapezius", "left"), ("levator scapulae", "left")}


def test_events_a_bare_injected_in_a_dry_needling_note_bills_no_injection(scribe: Scribe) -> None:
    # a recogniser's "nothing was injected" heard as "nothing one injected", beside a twitch:
    # no substance is named anywhere, so no trigger point injection is billed
    text = (
        "dry needling, right upper trapezius and levator scapulae, then left rhomboid major, "
        "twitch responses in all of them, nothing one injected, she tolerated it well"
    )
    result = scribe.extract(text)
    assert codes(result) == ["20561"]
    # without dry needling in the note, injected trigger points are still an injection
    tpi = scribe.extract("Trigger points in the left levator scapulae were injected today.")
    assert codes(tpi) == ["20552"]


@pytest.mark.parametrize(
    "held",
    [
        "but I'm going to hold off on that one",
        "but she declined that today",
    ],
)
def test_events_a_held_or_declined_pronoun_negates_the_muscle_before(
    scribe: Scribe, held: str
) -> None:
    text = f"I dry needled the left levator scapulae. We discussed the left scalenes {held}."
    statuses = {(m.name, m.laterality): m.status for m in scribe.extract(text).note.muscles}
    assert statuses == {("levator scapulae", "left"): "treated", ("scalenes", "left"): "negated"}


def test_events_but_i_held_it_points_back_at_the_muscle_before(scribe: Scribe) -> None:
    text = (
        "I dry needled the left levator scapulae. The right upper trapezius was tender too but "
        "I held it today."
    )
    statuses = {(m.name, m.laterality): m.status for m in scribe.extract(text).note.muscles}
    assert statuses == {
        ("levator scapulae", "left"): "treated",
        ("upper trapezius", "right"): "negated",
    }


def test_events_a_past_procedure_does_not_reach_past_a_return_to_today(scribe: Scribe) -> None:
    # the past needling reaches only its own muscle; what follows "today" is not history
    text = (
        "Last visit we dry needled the left infraspinatus, today I went into the left teres "
        "minor and the left supraspinatus. Taut bands in both. Nothing was injected."
    )
    statuses = {(m.name, m.laterality): m.status for m in scribe.extract(text).note.muscles}
    assert statuses[("infraspinatus", "left")] == "historical"
    assert statuses[("teres minor", "left")] == "treated"
    assert statuses[("supraspinatus", "left")] == "treated"
    # with no procedure said for today, the muscles after "today" are not billed either
    planned = scribe.extract(
        "Last visit we dry needled the left infraspinatus, today the left teres minor is sore."
    )
    assert codes(planned) == []
    assert all(m.status != "historical" or m.name == "infraspinatus" for m in planned.note.muscles)


# --- run-on speech: one "sentence" for the whole dictation ------------------------------------


def _statuses(scribe: Scribe, text: str) -> dict[tuple[str, str], str]:
    return {(m.name, m.laterality): m.status for m in scribe.extract(text).note.muscles}


def test_run_on_a_past_said_before_the_procedure_is_its_own(scribe: Scribe) -> None:
    text = (
        "last visit we needled the left infraspinatus and she says it helped a lot her husband "
        "says she sleeps better now today i went after the left teres minor instead no "
        "injectate used she tolerated it well"
    )
    statuses = _statuses(scribe, text)
    assert statuses[("infraspinatus", "left")] == "historical"
    assert statuses[("teres minor", "left")] == "treated"


def test_run_on_a_plan_said_long_after_today_is_another_sentences(scribe: Scribe) -> None:
    text = (
        "today i needled the right levator scapulae and the rhomboid major both with taut bands "
        "the levator twitched and sent pain up into her head nothing injected right side bending "
        "was twenty degrees before and thirty after she consented and tolerated it well her "
        "sister is also coming in next week for her shoulder"
    )
    statuses = _statuses(scribe, text)
    assert statuses[("levator scapulae", "right")] == "treated"
    assert statuses[("rhomboid major", "right")] == "treated"


def test_run_on_an_anaphor_belongs_to_the_procedure_words_nearest_it(scribe: Scribe) -> None:
    text = (
        "he thinks it is his left piriformis again but on exam the trigger points were in the "
        "left gluteus medius and minimus so those are what i needled good twitches no injectate"
    )
    statuses = _statuses(scribe, text)
    assert statuses.get(("piriformis", "left")) != "treated"
    assert statuses[("gluteus medius", "left")] == "treated"


def test_run_on_another_persons_words_stop_where_the_clinician_speaks(scribe: Scribe) -> None:
    text = (
        "she drove in from her son's place i needled just the left soleus two needles and a "
        "strong twitch she tolerated it well"
    )
    assert _statuses(scribe, text) == {("soleus", "left"): "treated"}


def test_run_on_a_procedure_does_not_reach_past_the_next_exam_clause(scribe: Scribe) -> None:
    text = (
        "i needled the left tibialis anterior i also palpated trigger points in the left "
        "extensor hallucis longus but only the tibialis was needled no injectate"
    )
    statuses = _statuses(scribe, text)
    assert statuses[("tibialis anterior", "left")] == "treated"
    assert statuses[("extensor hallucis longus", "left")] != "treated"


@pytest.mark.parametrize(
    "text",
    [
        "Dry needling to the R UT, and palpated the L levator scapulae.",
        "I did dry needling to the R UT, then palpated the L levator scapulae.",
    ],
)
def test_a_procedure_does_not_reach_past_an_exam_clause_without_its_subject(
    scribe: Scribe, text: str
) -> None:
    statuses = _statuses(scribe, text)
    assert statuses[("upper trapezius", "right")] == "treated"
    assert statuses.get(("levator scapulae", "left")) != "treated"


def test_run_on_a_procedure_after_its_subject_reaches_only_its_fronted_object(
    scribe: Scribe,
) -> None:
    # "I injected lidocaine into A and B ... C I dry needled only": the injection names its
    # own muscles, the needling takes only the muscle said right before its "I"
    text = (
        "on the left i found trigger points in the upper trapezius the rhomboid major and the "
        "infraspinatus i injected one percent lidocaine into the upper trapezius and the "
        "rhomboid major half a cc each the infraspinatus i dry needled only consent signed"
    )
    result = scribe.extract(text)
    assert codes(result) == ["20552", "20560"]
    techniques = {m.name: m.techniques for m in result.note.muscles if m.status == "treated"}
    assert techniques == {
        "upper trapezius": ["injection"],
        "rhomboid major": ["injection"],
        "infraspinatus": ["needling"],
    }


def test_events_a_muscle_the_patient_asked_about_is_not_treated(scribe: Scribe) -> None:
    text = (
        "I needled the left adductor pollicis, she asked about the right flexor pollicis longus "
        "as well, nothing injected, tolerated well"
    )
    statuses = _statuses(scribe, text)
    assert statuses[("adductor pollicis", "left")] == "treated"
    assert statuses[("flexor pollicis longus", "right")] == "planned"


def test_run_on_procedure_words_after_their_muscle_do_not_reach_an_earlier_list(
    scribe: Scribe,
) -> None:
    # "each QL got a trigger point injection": the injection's own muscle is right before it;
    # the list before that belongs to the dry needling said after it
    text = (
        "trigger points in the left and right quadratus lumborum and in the right gluteus "
        "medius and piriformis each quadratus lumborum got a trigger point injection one cc of "
        "lidocaine per side the right gluteus medius and piriformis i dry needled only"
    )
    result = scribe.extract(text)
    techniques = {
        (m.name, m.laterality): m.techniques for m in result.note.muscles if m.status == "treated"
    }
    assert techniques[("gluteus medius", "right")] == ["needling"]
    assert techniques[("piriformis", "right")] == ["needling"]
    assert ["injection"] in techniques.values()


def test_run_on_but_that_one_was_palpated_only_points_back(scribe: Scribe) -> None:
    text = (
        "i needled the left masseter one needle there was a trigger point in the left lateral "
        "pterygoid too i checked it but that one was palpated only no injectate"
    )
    statuses = _statuses(scribe, text)
    assert statuses[("masseter", "left")] == "treated"
    assert statuses[("lateral pterygoid", "left")] == "palpated_only"


def test_events_what_the_patient_did_not_want_is_not_done(scribe: Scribe) -> None:
    text = (
        "I dry needled the right scalenes. She did not want the left scalenes done today. "
        "Nothing injected."
    )
    statuses = _statuses(scribe, text)
    assert statuses == {("scalenes", "right"): "treated", ("scalenes", "left"): "negated"}


@pytest.mark.parametrize(
    "text",
    [
        "I was going to dry needle the right vastus lateralis today but his INR came back high, "
        "so needling was held today. Manual therapy instead.",
        "The plan had been to needle the left gluteus minimus today but she declined needling "
        "because of a cold.",
        "I had planned to needle the right vastus lateralis today, but we deferred.",
    ],
)
def test_events_a_plan_for_today_cancelled_in_its_sentence_is_negated(
    scribe: Scribe, text: str
) -> None:
    statuses = _statuses(scribe, text)
    assert set(statuses.values()) == {"negated"}
    assert codes(scribe.extract(text)) == []


def test_events_a_plan_to_hold_off_that_was_then_done_is_treated(scribe: Scribe) -> None:
    text = (
        "I was going to hold off on the right levator scapulae today since it was sore but "
        "she asked for it so we did needle it."
    )
    assert _statuses(scribe, text) == {("levator scapulae", "right"): "treated"}
    assert codes(scribe.extract(text)) == ["20560"]


def test_events_a_plan_for_today_the_visit_ran_out_of_time_for_is_not_done(
    scribe: Scribe,
) -> None:
    # (once "planned": the visit ending first says it was not done today, as "no time for")
    text = "I was going to dry needle the right upper trapezius today but ran out of time."
    assert _statuses(scribe, text) == {("upper trapezius", "right"): "negated"}
    assert codes(scribe.extract(text)) == []


def test_events_the_lines_after_an_indication_are_the_procedure(scribe: Scribe) -> None:
    text = (
        "PROCEDURE: Trigger point injection, L shoulder\n"
        "Indication: active trigger points in L infraspinatus with a jump sign.\n"
        "Verbal consent obtained.\n"
        "Injected 1% lidocaine, 2 mL into L infraspinatus.\n"
        "Tolerated well.\n"
    )
    assert _statuses(scribe, text) == {("infraspinatus", "left"): "treated"}
    assert codes(scribe.extract(text)) == ["20552"]


@pytest.mark.parametrize("when", ["last wk", "last tx", "prev visit", "previous tx"])
def test_events_abbreviated_past_times_are_past(scribe: Scribe, when: str) -> None:
    text = f"DN today: L QL. Nothing injected. L piriformis was needled {when}."
    assert _statuses(scribe, text) == {
        ("quadratus lumborum", "left"): "treated",
        ("piriformis", "left"): "historical",
    }


def test_events_a_denied_drug_does_not_deny_an_injection_of_another_time(scribe: Scribe) -> None:
    text = (
        "Dry needling: R UT 3 needles, R levator 2 needles, R supraspinatus 2 needles.\n"
        "No lidocaine into the R UT this time (she had a TPI w/ lidocaine there in March).\n"
        "No injectate used today.\n"
    )
    assert codes(scribe.extract(text)) == ["20561"]
    assert _statuses(scribe, text)[("upper trapezius", "right")] == "treated"


def test_events_both_sides_named_together_keep_each_sides_technique(scribe: Scribe) -> None:
    text = (
        "TPI L UT and L levator scapulae - 1% lidocaine 1 mL each.\n"
        "R UT dry needled; no lidocaine into the R UT.\n"
        "Active TrPs with twitch responses in both UTs. Tolerated well.\n"
    )
    result = scribe.extract(text)
    assert sorted((line.code, tuple(line.modifiers)) for line in result.coding.lines) == [
        ("20552", ()),
        ("20560", ("59",)),
    ]


def test_events_a_bare_line_of_muscles_goes_on_with_the_list_above(scribe: Scribe) -> None:
    text = (
        "TDN - neck and shoulder\n"
        "R UT x2 needles, R levator x1 needle\n"
        "R infraspinatus x2, R pec minor x1\n"
        "No injectate. Tolerated well.\n"
    )
    assert set(_statuses(scribe, text).values()) == {"treated"}
    assert len(_statuses(scribe, text)) == 4


def test_events_a_line_of_palpated_muscles_is_not_the_list_above(scribe: Scribe) -> None:
    text = (
        "TDN R UT x2 needles, R levator x1 needle\n"
        "TrPs also in R infraspinatus, R pec minor\n"
        "No injectate. Tolerated well.\n"
    )
    statuses = _statuses(scribe, text)
    assert statuses[("infraspinatus", "right")] != "treated"
    assert codes(scribe.extract(text)) == ["20560"]


@pytest.mark.parametrize(
    "text",
    [
        "right side today the lumbar multifidus at L four and L five, the quadratus lumborum, and "
        "then on the left the gluteus minimus. nothing injected. the multifidus gave a twitch.",
        "okay so today right quadratus lumborum and the right gluteus medius, taut bands in both. "
        "needles only nothing injected. tolerated it well.",
    ],
)
def test_events_a_verbless_list_after_today_in_a_needling_note(scribe: Scribe, text: str) -> None:
    assert set(_statuses(scribe, text).values()) == {"treated"}


def test_events_a_complaint_after_today_is_not_the_list(scribe: Scribe) -> None:
    text = "Dry needling to the L levator scapulae, nothing injected. Today R UT sore and tight."
    assert codes(scribe.extract(text)) == ["20560"]
    assert _statuses(scribe, text).get(("upper trapezius", "right")) != "treated"


def test_events_a_side_column_checklist_bills_only_checked_rows(scribe: Scribe) -> None:
    text = (
        "DRY NEEDLING - CERVICAL\n"
        "TARGET MUSCLES (check the side needled today)\n"
        "  Muscle                  R      L\n"
        "  Upper trapezius        [x]    [ ]\n"
        "  Levator scapulae       [ ]    [ ]\n"
        "  Splenius capitis       [x]    [x]\n"
        "  Scalenes               [ ]    [ ]\n"
        "Injectate: [x] none   [ ] lidocaine\n"
        "Tolerance: [x] well\n"
    )
    treated = {k for k, v in _statuses(scribe, text).items() if v == "treated"}
    assert treated == {("upper trapezius", "right"), ("splenius capitis", "bilateral")}
    assert codes(scribe.extract(text)) == ["20561"]


def test_events_a_muscle_to_be_addressed_is_planned(scribe: Scribe) -> None:
    text = (
        "Dry needling today: L levator scapulae. Nothing injected.\n"
        "R upper trapezius to be addressed with manual therapy for now.\n"
    )
    assert _statuses(scribe, text)[("upper trapezius", "right")] != "treated"


@pytest.mark.parametrize(
    "line",
    [
        "Last DN (03/03, copied forward): R piriformis and R gluteus maximus.",
        "Copied forward from the last note: DN R piriformis and R gluteus maximus.",
    ],
)
def test_events_the_last_visits_needling_is_not_todays(scribe: Scribe, line: str) -> None:
    text = f"Dry needling: [ ] performed [x] deferred\n{line}\nTx today: exercise.\n"
    assert codes(scribe.extract(text)) == []


def test_events_candidates_for_a_later_session_are_planned(scribe: Scribe) -> None:
    text = (
        "DN today: R UT, R levator. Nothing injected.\n"
        "R rhomboid and R infraspinatus: candidates for dry needling at a later session.\n"
    )
    assert codes(scribe.extract(text)) == ["20560"]
    assert _statuses(scribe, text)[("infraspinatus", "right")] == "planned"


def test_events_a_sentence_that_says_what_was_needled_decides_its_own_names(
    scribe: Scribe,
) -> None:
    text = (
        "DN: R glut med, R TFL. 6 needles in total.\n"
        "TrP also found in L piriformis; only the R glut med and R TFL were needled.\n"
        "Nil injectate.\n"
    )
    assert _statuses(scribe, text)[("piriformis", "left")] == "palpated_only"
    assert codes(scribe.extract(text)) == ["20560"]


def test_events_a_needle_size_does_not_make_a_tpi_note_dry_needling(scribe: Scribe) -> None:
    text = (
        "PROCEDURE: Trigger point injections (2 muscles)\n"
        "TECHNIQUE:\n"
        "Each trigger point fixed between two fingers; 25g 1.5 inch needle; aspiration negative;\n"
        "fanning technique until the twitch responses stopped.\n"
        "Muscles injected: R upper trapezius, R levator scapulae.\n"
        "She tolerated the injections well.\n"
    )
    assert codes(scribe.extract(text)) == ["20552"]


def test_events_an_im_injection_site_is_no_treated_muscle(scribe: Scribe) -> None:
    text = (
        "Procedures today:\n"
        "1. Cyanocobalamin 1000 mcg IM, L deltoid.\n"
        "2. Trigger point injection, R upper trapezius: 1% lidocaine 3 mL.\n"
        "Tolerated all injections well.\n"
    )
    assert codes(scribe.extract(text)) == ["20552"]
    assert _statuses(scribe, text).get(("deltoid", "left")) != "treated"


def test_events_two_titled_procedure_sections_keep_their_techniques(scribe: Scribe) -> None:
    text = (
        "PROCEDURE 1 - TRIGGER POINT INJECTIONS\n"
        "Muscles: R upper trapezius, R levator scapulae.\n"
        "Medication: 1% lidocaine, 2 mL per muscle.\n"
        "PROCEDURE 2 - DRY NEEDLING\n"
        "Muscles: R infraspinatus, R teres minor, R posterior deltoid.\n"
        "No medication was injected into these three muscles.\n"
    )
    result = scribe.extract(text)
    assert sorted((line.code, tuple(line.modifiers)) for line in result.coding.lines) == [
        ("20552", ()),
        ("20561", ("59",)),
    ]


def test_events_no_twitch_is_no_denial_of_the_needling(scribe: Scribe) -> None:
    text = (
        "Dry needling today, no injectate.\n"
        "| Muscle       | Side | Needles | Response |\n"
        "| Soleus       | L    | 2       | LTR x1   |\n"
        "| Gastrocnemius | L    | 2       | no LTR   |\n"
    )
    result = scribe.extract(text)
    assert {m.name: m.status for m in result.note.muscles} == {
        "soleus": "treated",
        "gastrocnemius": "treated",
    }


def test_events_a_yes_no_list_under_a_needled_question_decides_each_row(
    scribe: Scribe,
) -> None:
    text = (
        "DOS 05/04/2026\n"
        "Trigger point dry needling - muscles (needled Y/N):\n"
        "  Infraspinatus R ....... Y (3 needles)\n"
        "  Teres major R ......... N\n"
        "  Posterior deltoid R ... Y (2 needles)\n"
        "No injectate. Tolerated well.\n"
    )
    statuses = {m.name: m.status for m in scribe.extract(text).note.muscles}
    assert statuses == {
        "infraspinatus": "treated",
        "teres major": "negated",
        "posterior deltoid": "treated",
    }


def test_events_a_yes_no_answer_without_a_needled_question_decides_nothing(
    scribe: Scribe,
) -> None:
    text = "Dry needling R infraspinatus today.\nTender to palpation:\n  Teres major R ... no\n"
    statuses = {m.name: m.status for m in scribe.extract(text).note.muscles}
    assert statuses.get("teres major") != "negated"


def test_events_a_legend_grid_gives_treatment_and_sides_by_column(scribe: Scribe) -> None:
    text = (
        "DOS 05/04/2026\n"
        "Needling grid (x = needled)\n"
        "Muscle                R      L\n"
        "Gluteus medius        x      x\n"
        "Piriformis                   x\n"
        "Quadratus lumborum    x\n"
        "No injectate. Tolerated well, LTR in the glutes.\n"
        "Dry needling 25 min.\n"
    )
    result = scribe.extract(text)
    sides = {(m.name, m.laterality) for m in result.note.muscles if m.status == "treated"}
    assert sides == {
        ("gluteus medius", "bilateral"),
        ("piriformis", "left"),
        ("quadratus lumborum", "right"),
    }


def test_events_a_grid_whose_legend_is_not_the_procedure_treats_nothing(scribe: Scribe) -> None:
    text = (
        "Dry needling R QL today.\n\n"
        "Tender points (x = tender)\n"
        "Muscle                R      L\n"
        "Piriformis                   x\n"
    )
    statuses = {m.name: m.status for m in scribe.extract(text).note.muscles}
    assert statuses.get("piriformis") != "treated"


def test_events_the_muscles_listed_after_the_procedure_are_its_muscles(scribe: Scribe) -> None:
    text = (
        "Today I did dry needling for the left hip. The muscles were gluteus medius, "
        "piriformis and tensor fasciae latae, all on the left. Nothing was injected."
    )
    treated = {m.name for m in scribe.extract(text).note.muscles if m.status == "treated"}
    assert treated == {"gluteus medius", "piriformis", "tensor fasciae latae"}


def test_events_a_state_of_the_muscles_is_no_list_of_the_procedure(scribe: Scribe) -> None:
    text = "Dry needling to the L QL. The muscles were tender: L piriformis and L gluteus medius."
    treated = {m.name for m in scribe.extract(text).note.muscles if m.status == "treated"}
    assert treated == {"quadratus lumborum"}


def test_a_twitch_drawn_by_palpation_is_an_exam_finding(scribe: Scribe) -> None:
    # snapping palpation draws a twitch: the exam's, not a needle's
    result = scribe.extract(
        "Exam: TrPs in R levator scapulae and R splenius cervicis with local twitch on "
        "palpation. Dry needling: R upper trapezius (2 needles), LTR x2."
    )
    treated = {m.name for m in result.note.muscles if m.status == "treated"}
    assert treated == {"upper trapezius"}
    assert "local_twitch_response" in {f.kind for f in result.note.rationale.findings}


@pytest.mark.parametrize("value", ["HELD", "deferred", "not done"])
def test_a_procedure_field_whose_value_refuses_it_was_not_done(scribe: Scribe, value: str) -> None:
    result = scribe.extract(f"Treatment today:\n- Dry needling: {value}.\n- Ther-ex 20 min.\n")
    assert not [p for p in result.note.procedures if p.time == "today"]
    assert "muscle-names-missing" not in {p.id for p in result.coding.prompts}


def test_a_procedure_field_that_only_denies_a_drug_was_done(scribe: Scribe) -> None:
    result = scribe.extract("Dry needling: no injectate, L QL x2. Tolerated well.")
    assert [(line.code, line.units) for line in result.coding.lines] == [("20560", 1)]
