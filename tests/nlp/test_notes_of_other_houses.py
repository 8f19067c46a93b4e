"""Conventions of notes written elsewhere (the ledger/ golden set's authors): Medicare's
acupuncture benefit named in a dry needling note, asides in brackets, template fields left
empty, unchecked boxes of complaints, credentials and scope-of-practice lines, needling still
to come, muscles that name an exercise, a name struck out as it is said, and activity "as
tolerated"."""

from __future__ import annotations

from helpers import claim_lines, muscle_statuses

from scribe import Scribe


def test_the_acupuncture_benefit_named_in_a_dry_needling_note_is_no_acupuncture(
    scribe: Scribe,
) -> None:
    text = (
        "DRY NEEDLING - lumbar, billed under the Medicare acupuncture benefit (NCD 30.3.3).\n"
        "Needles placed: L QL (3), R QL (3), L iliocostalis lumborum (2). Nothing injected. "
        "Tolerated well."
    )
    assert claim_lines(scribe, text) == {("20561", ())}
    # acupuncture done is still acupuncture
    done = "Acupuncture performed at points over the L QL, R QL and L iliocostalis lumborum."
    assert claim_lines(scribe, done) == set()


def test_a_clause_end_inside_brackets_does_not_end_the_procedure_before_them(
    scribe: Scribe,
) -> None:
    text = (
        "Procedure: FDN (functional dry needling; solid needles only, no drug injected), with "
        "verbal consent: R infraspinatus, R teres minor."
    )
    assert muscle_statuses(scribe, text) == {
        ("infraspinatus", "right"): "treated",
        ("teres minor", "right"): "treated",
    }
    assert claim_lines(scribe, text) == {("20560", ())}


def test_an_empty_dose_field_of_a_template_injects_nothing(scribe: Scribe) -> None:
    text = (
        "[X] Dry needling: L levator scapulae, L upper trapezius. No medication injected.\n"
        "[ ] Trigger point injection   Drug: __________   Amount: ___ mL   Sites: ________\n"
        "Pt tolerated well."
    )
    result = scribe.extract(text)
    assert result.note.injectate.status == "none_confirmed"
    assert [p.id for p in result.coding.prompts if p.id == "muscle-names-missing"] == []
    assert claim_lines(scribe, text) == {("20560", ())}


def test_a_complaint_in_an_unchecked_box_is_no_diagnosis(scribe: Scribe) -> None:
    text = (
        "Complaint: [ ] Low back pain  [X] Neck pain  [ ] Headache\n"
        "Dry needling to the R upper trapezius and R levator scapulae, nothing injected."
    )
    codes = [d.code for d in scribe.extract(text).coding.diagnoses]
    assert codes == ["M54.2"]


def test_credentials_and_scope_of_practice_report_no_needling(scribe: Scribe) -> None:
    text = (
        "Clinician: R. Osei, PT (certified in Gunn IMS; the practice act permits PTs to "
        "perform DN)\nS: R shoulder pain. O: TrP R infraspinatus. Manual therapy only today."
    )
    prompts = [p.id for p in scribe.extract(text).coding.prompts]
    assert "muscle-names-missing" not in prompts
    assert claim_lines(scribe, text) == set()


def test_muscles_that_name_an_exercise_are_not_planned_for_needling(scribe: Scribe) -> None:
    text = (
        "TDN R upper trapezius, no injectate, tolerated well. "
        "Reviewed HEP: levator and scalene self-stretches, pec minor stretch."
    )
    assert muscle_statuses(scribe, text) == {("upper trapezius", "right"): "treated"}
    # a plan of needling is still a plan
    planned = "TDN R upper trapezius, no injectate. Plan: DN to the R levator scapulae next visit."
    assert muscle_statuses(scribe, planned)[("levator scapulae", "right")] == "planned"


def test_a_name_struck_out_as_it_is_said_holds_no_conflict(scribe: Scribe) -> None:
    text = (
        "so I needled the left infraspinatus and the left teres minor and the left "
        "subscapularis, no wait, strike the subscapularis, we did not do the subscapularis "
        "today, nothing injected"
    )
    result = scribe.extract(text)
    statuses = {(m.name, m.laterality): m.status for m in result.note.muscles}
    assert statuses[("subscapularis", "left")] == "negated"
    assert "status-conflict" not in [p.id for p in result.coding.prompts]
    assert claim_lines(scribe, text) == {("20560", ())}


def test_activity_as_tolerated_is_no_tolerance_of_the_procedure(scribe: Scribe) -> None:
    text = "DN L gastrocnemius, nothing injected. Return to running as tolerated."
    assert scribe.extract(text).note.rationale.tolerance is None
    said = "DN L gastrocnemius, nothing injected. He tolerated the needling well."
    assert scribe.extract(said).note.rationale.tolerance is not None


def test_a_part_written_after_its_muscle_as_pick_lists_sort_it(scribe: Scribe) -> None:
    text = (
        "| Muscle               | Side | Needles |\n"
        "| Trapezius, upper     | R    | 2       |\n"
        "| Deltoid, posterior   | R    | 1       |\n"
        "Dry needling as above, no injectate, tolerated well."
    )
    assert muscle_statuses(scribe, text) == {
        ("upper trapezius", "right"): "treated",
        ("posterior deltoid", "right"): "treated",
    }
    # a list that goes on with the next name keeps its names
    listed = "DN R upper trapezius, middle trapezius, lower trapezius; no injectate."
    assert set(muscle_statuses(scribe, listed)) == {
        ("upper trapezius", "right"),
        ("middle trapezius", "right"),
        ("lower trapezius", "right"),
    }


def _needles(scribe: Scribe, text: str) -> int | None:
    counts = scribe.extract(text).note.rationale.needle_counts
    totals = [c.count for c in counts if c.total]
    return totals[0] if totals else (sum(c.count for c in counts) if counts else None)


def test_needles_written_after_each_name_are_added_up(scribe: Scribe) -> None:
    listed = (
        "DN (solid needles, nothing injected): R infraspinatus x3, R teres minor x1, "
        "R posterior deltoid (2)."
    )
    assert _needles(scribe, listed) == 6
    # a list that wraps after a comma goes on
    wrapped = "TDN, 0.25 x 40 mm needles: R UT x3 needles, R levator x2,\n   R rhomboid major x1."
    assert _needles(scribe, wrapped) == 6
    # twitches counted after the names are not needles, nor the sites of an injection
    twitches = (
        "Dry needling to R UT and R levator scapulae; "
        "LTR in upper trapezius x2 and levator scapulae x1."
    )
    assert _needles(scribe, twitches) is None
    sites = (
        "TPI, lidocaine 1% 0.5 mL a site, 25 g needle: "
        "L upper trapezius (2), L levator scapulae (1)."
    )
    assert _needles(scribe, sites) is None


def test_a_change_of_angle_said_without_its_unit_after_the_motion(scribe: Scribe) -> None:
    said = (
        "I needled the right infraspinatus. Shoulder flexion went from one forty to one sixty five."
    )
    assert scribe.extract(said).note.rationale.rom
    # numbers that measure no angle are no range of motion
    for text in (
        "I needled the right infraspinatus. Rotation exercises 10 to 15 reps daily.",
        "I needled the right infraspinatus. Pain went from 7 to 3 with flexion.",
    ):
        assert not scribe.extract(text).note.rationale.rom, text


def test_a_rating_said_after_the_session_once_the_pain_before_is_known(scribe: Scribe) -> None:
    def pain(text: str) -> tuple[float | None, float | None]:
        p = scribe.extract(text).note.rationale.pain
        return (p.before.value if p.before else None, p.after.value if p.after else None)

    assert pain("Pain was a seven. DN to R UT, no injectate. Afterwards he was a four.") == (7, 4)
    # alone, a rating with no pain word is no pain
    assert pain("DN to R UT, no injectate. Afterwards he was a four.") == (None, None)


def test_a_name_said_again_at_once_with_another_side_corrects_the_side(scribe: Scribe) -> None:
    text = (
        "on exam a taut band in the right infraspinatus, I mean left infraspinatus, so I "
        "needled the left infraspinatus, nothing injected"
    )
    assert muscle_statuses(scribe, text) == {("infraspinatus", "left"): "treated"}
    # two sides said one after the other are both sides
    both = "I needled the right infraspinatus and the left infraspinatus, nothing injected"
    assert set(muscle_statuses(scribe, both)) == {
        ("infraspinatus", "right"),
        ("infraspinatus", "left"),
    }


def test_a_muscle_only_palpated_is_not_needled(scribe: Scribe) -> None:
    text = (
        "trigger points in the left masseter and the left temporalis and the right temporalis "
        "was tender too but it is not the main problem so I just palpated it, then dry needling "
        "to the left masseter and the left temporalis, no injectate, then we did tongue "
        "posture exercises"
    )
    assert muscle_statuses(scribe, text) == {
        ("masseter", "left"): "treated",
        ("temporalis", "left"): "treated",
        ("temporalis", "right"): "palpated_only",
    }
    assert claim_lines(scribe, text) == {("20560", ())}


def test_sides_said_after_names_as_speech_runs_on(scribe: Scribe) -> None:
    text = (
        "dry needling the upper trap's bilaterally levator scapula on both sides and the right "
        "splenius capitis nothing injected"
    )
    assert muscle_statuses(scribe, text) == {
        ("upper trapezius", "bilateral"): "treated",
        ("levator scapulae", "bilateral"): "treated",
        ("splenius capitis", "right"): "treated",
    }


def test_ways_of_writing_found_in_the_rounds_set(scribe: Scribe) -> None:
    # a twitch denied is no sign of needling
    palpated = (
        "right rhomboid major tender no twitch, right teres minor tender no twitch. "
        "I only needled the right infraspinatus, nothing injected."
    )
    assert muscle_statuses(scribe, palpated)[("infraspinatus", "right")] == "treated"
    assert claim_lines(scribe, palpated) == {("20560", ())}
    # another clinician's needling, and "I didn't" is no "I did"
    colleague = (
        "I needled the right glute med, no injectate. My colleague Priya needled her left "
        "piriformis yesterday, I didn't touch the left side today."
    )
    assert muscle_statuses(scribe, colleague) == {("gluteus medius", "right"): "treated"}
    # a part's qualifier after its muscle
    romance = "Dry needling (no drug injected) of trapezius superior Rt. Tolerated."
    assert muscle_statuses(scribe, romance) == {("upper trapezius", "right"): "treated"}
    # a template's procedure field left "N/A" reports nothing done
    telehealth = (
        "Telehealth check-in, no hands-on care.\nDry needling performed today: N/A\nMuscles: N/A"
    )
    prompts = [p.id for p in scribe.extract(telehealth).coding.prompts]
    assert "muscle-names-missing" not in prompts


def test_a_bare_list_before_the_one_procedure_that_names_no_muscle(scribe: Scribe) -> None:
    said = (
        "left shoulder. infraspinatus, teres minor and the posterior deltoid, all left side. "
        "the infraspinatus had a taut band. dry needling, no injectate, tolerated well."
    )
    assert claim_lines(scribe, said) == {("20561", ())}
    # an exam's list is not the procedure's, nor one with words of its own
    for text in (
        "Exam: L infraspinatus, L teres minor.\nDry needling performed, no injectate.",
        "L infraspinatus and L teres minor tender. Dry needling performed, no injectate.",
    ):
        assert claim_lines(scribe, text) == set(), text


def test_a_count_said_as_the_needling_verbs_object(scribe: Scribe) -> None:
    def stated(text: str) -> list[int]:
        return [c.value for c in scribe.extract(text).note.stated_muscle_counts]

    said = (
        "I palpated a lot, then I only needled two, the right infraspinatus and the right levator"
    )
    assert stated(said) == [2]
    assert stated("I needled the right infraspinatus two times, nothing injected") == []


def test_a_total_on_the_next_line_is_not_the_line_above(scribe: Scribe) -> None:
    text = (
        "Dry needling, no injectate.\n  L masseter: 3 needles\n  L temporalis: 2 needles\n"
        "  Total 5 needles. Tolerated well."
    )
    assert _needles(scribe, text) == 5


def test_a_stop_before_a_colon_ends_no_sentence(scribe: Scribe) -> None:
    text = (
        "Findings: M. levator scapulae sin.: TrP latent, only palpated.\n"
        "Therapy: dry needling of the R upper trapezius, no injectate."
    )
    muscles = muscle_statuses(scribe, text)
    assert muscles[("upper trapezius", "right")] == "treated"
    assert [s for (name, _), s in muscles.items() if name == "levator scapulae"] == [
        "palpated_only"
    ]
