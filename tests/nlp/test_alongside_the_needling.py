"""What stands beside the needling in a note or a recogniser's run-on, and must not be billed as
it or take it away: other procedures (botulinum toxin rows under their own heading, acupuncture,
a trigger point injection's checkbox heading above a "Muscles:" line), a student's palpation
before the clinician's own needling, a name that is the subject of another time's clause, plans
said in the present ("next time maybe I needle"), a pronoun back to a name past what the exam
found, habitual days of another provider, boxes that name two procedures, ruled lines and
continuation rows of a "|" flowsheet, needle counts added up after their label."""

from __future__ import annotations

from helpers import heard as _heard
from helpers import read as _read
from helpers import transcript

from scribe import Scribe


def _lines(result: object) -> set[tuple[str, tuple[str, ...]]]:
    return {(line.code, tuple(line.modifiers)) for line in result.coding.lines}  # type: ignore[attr-defined]


def test_each_head_with_its_own_trigger_point_counts_in_a_run_on(scribe: Scribe) -> None:
    text = (
        "left calf today the left medial gastrocnemius had its own trigger point referring to "
        "the heel and that limits her running the left lateral gastrocnemius had a separate "
        "trigger point with a taut band and that limits her squatting i needled the medial "
        "gastroc and the lateral gastroc on the left no injectate"
    )
    result = scribe.extract_transcript(transcript(text))
    # two heads of one muscle, each with its own trigger point and limitation: two, not one
    assert result.coding.muscle_count == 2


def test_the_clinicians_own_needling_does_not_reach_the_palpation_before_it(
    scribe: Scribe,
) -> None:
    text = (
        "left hip pain, my resident did the palpation and found taut bands in the left gluteus "
        "medius the left piriformis and the left quadratus lumborum, consent from the patient, "
        "I did the needling myself, the glute med and the piriformis, um, twitch responses in "
        "both, and we left the quadratus lumborum alone today, palpated only, no injectate"
    )
    muscles, lines = _heard(scribe, text)
    assert muscles[("quadratus lumborum", "left")] == "palpated_only"
    assert lines == {"20560"}


def test_a_name_that_is_the_subject_of_another_times_clause_is_not_todays(
    scribe: Scribe,
) -> None:
    text = (
        "so right infraspinatus and right teres minor that's what got needled today no injectate "
        "the right supraspinatus was the one we did two weeks ago pain four down to two"
    )
    muscles, lines = _heard(scribe, text)
    assert muscles[("supraspinatus", "right")] == "historical"
    assert lines == {"20560"}


def test_rows_under_a_chemodenervation_heading_are_not_dry_needled(scribe: Scribe) -> None:
    text = (
        "PROCEDURE 1: Chemodenervation, onabotulinumtoxinA, EMG-guided\n"
        "  Muscle              Side   Units\n"
        "  Splenius capitis    R      50\n"
        "  Levator scapulae    R      40\n"
        "PROCEDURE 2: Dry needling (no injectate)\n"
        "  L upper trapezius - active TrP, LTR\n"
    )
    muscles, lines = _read(scribe, text)
    assert ("splenius capitis", "right") not in muscles
    assert muscles[("upper trapezius", "left")] == "treated"
    assert lines == {"20560"}


def test_a_muscles_line_under_an_injections_checkbox_heading_is_injected(
    scribe: Scribe,
) -> None:
    text = (
        "[X] Procedure A: Trigger point injections\n"
        "    Muscles: L infraspinatus, L teres minor - active TrPs, jump sign\n"
        "    Injectate: 1% lidocaine 1 mL per muscle\n"
        "[X] Procedure B: Dry needling (needle insertion without injection)\n"
        "    Muscles: L posterior deltoid - taut band, LTR\n"
        "    Injectate: none\n"
    )
    result = scribe.extract(text)
    assert _lines(result) == {("20552", ()), ("20560", ("59",))}


def test_a_time_to_come_before_the_clinicians_present_verb_plans(scribe: Scribe) -> None:
    muscles, _ = _read(
        scribe,
        "I needled the right upper trapezius today. Next time maybe I needle the right "
        "rhomboid major if it is still tight.",
    )
    assert muscles[("rhomboid major", "right")] == "planned"
    muscles, _ = _read(
        scribe, "Risks were explained and I needle the right rhomboid major today, twitch noted."
    )
    assert muscles[("rhomboid major", "right")] == "treated"


def test_a_name_put_before_its_plan_is_planned(scribe: Scribe) -> None:
    muscles, _ = _read(
        scribe,
        "Dry needled the left gluteus medius, no injectate. The left piriformis I'll consider "
        "needling next visit.",
    )
    assert muscles[("piriformis", "left")] == "planned"


def test_a_pronoun_points_back_past_what_the_exam_found(scribe: Scribe) -> None:
    muscles, _ = _read(
        scribe,
        "Dry needled the right soleus. Right tibialis posterior I checked, no trigger point, "
        "I did not needle it.",
    )
    assert muscles[("tibialis posterior", "right")] == "negated"


def test_acupuncture_in_the_note_keeps_the_line_and_says_so(scribe: Scribe) -> None:
    result = scribe.extract(
        "Acupuncture at GB21 and LI4 today, 20 minutes. Then dry needled the R upper trapezius, "
        "LTR, no injectate."
    )
    assert _lines(result) == {("20560", ())}
    assert "acupuncture-in-note" in {p.id for p in result.coding.prompts}
    result = scribe.extract(
        "No acupuncture today. Dry needled the R upper trapezius, LTR, no injectate."
    )
    assert "acupuncture-in-note" not in {p.id for p in result.coding.prompts}


def test_another_providers_days_and_a_box_of_two_procedures(scribe: Scribe) -> None:
    result = scribe.extract(
        "She sees the acupuncturist across town on Mondays. Dry needled the L levator scapulae, "
        "twitch, no injectate."
    )
    assert "acupuncture-in-note" not in {p.id for p in result.coding.prompts}
    result = scribe.extract(
        "[x] Dry needling, no injectate: R piriformis (TrP, LTR)\n"
        "[ ] Acupuncture / electroacupuncture\n"
    )
    assert not any(p.kind == "acupuncture" and p.time == "today" for p in result.note.procedures)


def test_a_flowsheet_after_a_ruled_line_and_its_continuation_rows(scribe: Scribe) -> None:
    text = (
        "S: L neck pain 6/10; cannot check blind spot.\n"
        "----------------------------------------------------\n"
        "Intervention   | Detail                              | CPT\n"
        "Manual therapy | STM L scalenes                      | 97140\n"
        "Dry needling   | L splenius capitis - TrP, LTR       | 20561\n"
        "               | L levator scapulae - TrP, jump sign |\n"
        "               | L upper trapezius - TrP, taut band  |\n"
        "               | Needles 2/2/3. No injectate.        |\n"
    )
    result = scribe.extract(text)
    statuses = {(m.name, m.laterality): m.status for m in result.note.muscles}
    assert statuses[("levator scapulae", "left")] == "treated"
    assert statuses[("upper trapezius", "left")] == "treated"
    assert _lines(result) == {("20561", ())}
    assert result.note.rationale.needles_used() == 7


def test_needles_added_up_after_their_label(scribe: Scribe) -> None:
    result = scribe.extract(
        "Dry needling: R QL, R gluteus medius. Needles: 3 + 2. No injectate; LTR in both."
    )
    assert result.note.rationale.needles_used() == 5


def test_a_needling_with_its_own_back_reference_survives_a_later_hold(scribe: Scribe) -> None:
    text = (
        "trigger points with taut bands in the left upper trapezius and the left levator "
        "scapula dry needled both no injectate left scalenes I am holding because of arm "
        "tingling"
    )
    muscles, lines = _heard(scribe, text)
    assert muscles[("upper trapezius", "left")] == "treated"
    assert lines == {"20560"}


def test_a_past_time_reaches_a_list_that_repeats_its_preposition(scribe: Scribe) -> None:
    muscles, _ = _read(
        scribe,
        "She had botulinum toxin from neurology last week, in the right SCM and in the right "
        "upper trapezius. Today I dry needled the left levator scapulae, no injectate.",
    )
    assert muscles[("upper trapezius", "right")] == "historical"


def test_the_needling_talked_over_and_then_not_done_at_all_bills_nothing(scribe: Scribe) -> None:
    text = (
        "the plan was dry needling today so i checked the left calf and found taut bands in the "
        "left soleus and the left medial gastrocnemius went over the needling with her and she "
        "signed the consent form but her blood pressure was high so we ended up not needling any "
        "of them we will try again next week"
    )
    muscles, lines = _heard(scribe, text)
    assert lines == set()
    assert muscles.get(("soleus", "left")) != "treated"


def test_a_muscle_brought_up_and_refused_is_not_billed(scribe: Scribe) -> None:
    text = (
        "dry needled the right infraspinatus and the right teres minor no injectate i brought up "
        "the right subscapularis but he would rather not have a needle in there so we didn't"
    )
    muscles, lines = _heard(scribe, text)
    assert muscles[("subscapularis", "right")] != "treated"
    assert lines == {"20560"}


def test_a_muscle_whose_strength_was_graded_is_the_exams(scribe: Scribe) -> None:
    text = (
        "objective the right tibialis anterior is four out of five and the right peroneus longus "
        "has trigger points with taut bands procedure dry needling consent on file we needled "
        "the right peroneus longus with two needles twitch responses no injectate"
    )
    muscles, lines = _heard(scribe, text)
    assert muscles.get(("tibialis anterior", "right")) != "treated"
    assert lines == {"20560"}


def test_a_plan_whose_subject_follows_its_name_plans_that_name_only(scribe: Scribe) -> None:
    text = (
        "i dry needled the biceps femoris on both sides taut bands in both and the right "
        "semitendinosus nothing injected the left semitendinosus we may needle next week"
    )
    muscles, lines = _heard(scribe, text)
    assert muscles[("semitendinosus", "right")] == "treated"
    assert muscles[("semitendinosus", "left")] == "planned"
    assert lines == {"20561"}


def test_a_dose_said_aloud_leaves_the_injection_its_own_muscles(scribe: Scribe) -> None:
    text = (
        "trigger points in the left upper trap and the left levator plus a taut band in the left "
        "supraspinatus consent signed trigger point injections with one percent lidocaine half a "
        "c c each into "
        "the left upper trap and levator the left supraspinatus was dry needled only no "
        "injectate into that one"
    )
    _, lines = _heard(scribe, text)
    assert lines == {"20552", "20560"}


def test_a_name_before_the_clinicians_own_verb_is_that_verbs(scribe: Scribe) -> None:
    text = (
        "i injected the right vastus lateralis and the right vastus medialis with point five "
        "percent bupivacaine two cc each and then the right sartorius i just dry needled no "
        "medication into the sartorius"
    )
    _, lines = _heard(scribe, text)
    assert lines == {"20552", "20560"}
