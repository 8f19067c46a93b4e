"""What a small recogniser writes of a dictation that did not needle: a run-on that denies the
needling first and then seems to needle ("no dry needling today ... when I needled in the
right ... and go today"), "did not needled", a plan taken back with a later visit named after
its denial, needling "as needed" as a plan, the pause
commas that must not shorten how far a word of time reaches; and what speakers of the aloud/
set say: words said anew after "scratch that", "we did four muscles" before the list, "those
weren't done", needles "in each" after "so", a cue between two ratings that each have one; a
finding's own side ("twitches at L5 on the left, and the psoas ...") before a name said again."""

from __future__ import annotations

from helpers import claim_lines
from spacy.language import Language

from scribe import Scribe
from scribe.schemas.transcript import Transcript


def _heard(
    scribe: Scribe, text: str
) -> tuple[dict[tuple[str, str], str], set[tuple[str, tuple[str, ...]]]]:
    result = scribe.extract_transcript(
        Transcript(text=text, language="en", duration=30.0, model="tiny.en")
    )
    muscles = {(m.name, m.laterality): m.status for m in result.note.muscles}
    lines = {(line.code, tuple(line.modifiers)) for line in result.coding.lines}
    return muscles, lines


def test_a_run_on_that_denies_the_needling_first_bills_nothing_it_then_seems_to_say(
    scribe: Scribe,
) -> None:
    text = (
        "okay, short note, no dry needling today, he had a fever over the weekend, so we are "
        "holding it, I needled him in the left, infraspinatus ten days, and go today, I felt "
        "trigger points in the left, teres minor, with referral into the arm, so just soft "
        "tissue work today"
    )
    muscles, lines = _heard(scribe, text)
    assert lines == set()
    assert muscles.get(("teres minor", "left")) != "treated"


def test_did_not_needled_as_a_recogniser_writes_it_is_a_denial(scribe: Scribe) -> None:
    text = (
        "dry needling to the right gluteus medius today, I did not needled the right piriformis "
        "because she was too sore, no injectate"
    )
    muscles, lines = _heard(scribe, text)
    assert muscles[("piriformis", "right")] == "negated"
    assert lines == {("20560", ())}


def test_a_plan_for_today_taken_back_keeps_its_later_visit_apart(scribe: Scribe) -> None:
    text = (
        "he came in for a booked needling session today and we had planned a needled the left "
        "soleus again, but we held off, so no needling today, we will revisit needling once "
        "his bruising settles"
    )
    muscles, lines = _heard(scribe, text)
    assert lines == set()
    assert muscles.get(("soleus", "left")) in ("negated", "planned")


def test_plans_said_in_passing_are_plans(scribe: Scribe) -> None:
    as_needed = (
        "recertified for six more visits with dry needling as needed to the left gluteus "
        "minimus, exercise only today"
    )
    assert _heard(scribe, as_needed)[0] == {("gluteus minimus", "left"): "planned"}
    assert claim_lines(scribe, as_needed) == set()


def test_a_recogniser_s_pause_commas_do_not_shorten_a_time_s_reach(scribe: Scribe) -> None:
    text = (
        "so, last week, if you remember, we did the, left, upper trap, and she was sore, "
        "today I needled the right upper trapezius, no injectate"
    )
    muscles, lines = _heard(scribe, text)
    assert muscles[("upper trapezius", "left")] == "historical"
    assert lines == {("20560", ())}


def test_only_said_of_the_procedure_leaves_its_muscles_to_it(scribe: Scribe) -> None:
    text = (
        "lidocaine into the right infraspinatus then on the left he didn't want more shots "
        "so we did dry needling only no medication into the left teres minor and the left "
        "posterior deltoid he had trigger points with taut bands in both"
    )
    muscles, _ = _heard(scribe, text)
    assert muscles[("teres minor", "left")] == "treated"
    assert muscles[("posterior deltoid", "left")] == "treated"


def test_an_injection_not_wanted_does_not_deny_the_needling_said_after_so(
    scribe: Scribe,
) -> None:
    text = (
        "he did not want an injection so it was dry needling only to the right quadratus "
        "lumborum and the right piriformis, no injectate"
    )
    assert claim_lines(scribe, text) == {("20560", ())}
    muscles = {(m.name, m.laterality): m.status for m in scribe.extract(text).note.muscles}
    assert set(muscles.values()) == {"treated"}


def test_words_said_anew_after_scratch_that_keep_the_procedure(scribe: Scribe) -> None:
    text = (
        "dry needling today to the right gluteus medius sorry no scratch that the left gluteus "
        "medius and the left piriformis, no injectate"
    )
    muscles = {(m.name, m.laterality): m.status for m in scribe.extract(text).note.muscles}
    assert muscles[("gluteus medius", "left")] == "treated"
    assert muscles[("piriformis", "left")] == "treated"
    assert muscles.get(("gluteus medius", "right")) != "treated"
    assert claim_lines(scribe, text) == {("20560", ())}


def test_we_did_a_number_of_muscles_reaches_the_list_after_it(scribe: Scribe) -> None:
    text = (
        "so we did four muscles today let me list them the right QL the right gluteus medius "
        "the right gluteus minimus and the right piriformis no injectate"
    )
    assert claim_lines(scribe, text) == {("20561", ())}


def test_a_pronoun_that_denies_the_muscles_just_named(scribe: Scribe) -> None:
    text = (
        "DN to the R UT today. I looked at the left scalenes and the left SCM, those weren't "
        "done today."
    )
    muscles = {(m.name, m.laterality): m.status for m in scribe.extract(text).note.muscles}
    assert muscles[("scalenes", "left")] == "negated"
    assert muscles[("sternocleidomastoid", "left")] == "negated"


def test_needles_in_each_after_so_are_per_muscle(scribe: Scribe) -> None:
    text = (
        "I needled the left QL, the left gluteus medius and the left piriformis, so three "
        "muscles total two needles in each, twitch in the piriformis"
    )
    assert scribe.extract(text).note.rationale.needles_used() == 6


def test_a_cue_between_two_ratings_each_with_its_own_goes_to_the_first(scribe: Scribe) -> None:
    text = "DN R QL. he rated it a six out of ten walking before and a three walking after"
    pain = scribe.extract(text).note.rationale.pain
    assert pain.before is not None and pain.before.value == 6
    assert pain.after is not None and pain.after.value == 3


def test_a_side_corrected_in_words_a_recogniser_garbled(scribe: Scribe) -> None:
    text = (
        "so today, dry needling to the left infraspinatus, sorry no scratch, but the right "
        "infraspinatus and the right teres minor, no injectate"
    )
    muscles, lines = _heard(scribe, text)
    assert muscles == {
        ("infraspinatus", "right"): "treated",
        ("teres minor", "right"): "treated",
    }
    assert lines == {("20560", ())}


def test_a_findings_side_is_no_side_for_a_name_said_again_after_it(scribe: Scribe) -> None:
    # one sentence, as a recogniser writes it: "on the left" is where the twitches were
    text = (
        "I needled the lumbar multifidus left and right at L4 and L5 and the right psoas major, "
        "8 needles total, nice twitch response is at L5 on the left and the psoas reproduced "
        "his groin ache, no injectate"
    )
    muscles, _ = _heard(scribe, text)
    assert set(muscles) == {("multifidus lumborum", "bilateral"), ("psoas major", "right")}


def test_a_findings_side_still_sides_a_name_said_first_after_it(scribe: Scribe) -> None:
    text = (
        "twitch responses on the left and right, and the gluteus medius was needled on the "
        "left and right, no injectate"
    )
    muscles, _ = _heard(scribe, text)
    assert set(muscles) == {("gluteus medius", "bilateral")}


def test_what_the_patient_cannot_do_negates_no_finding_after_it(scribe: Scribe) -> None:
    # the limitation and the findings in one run-on: "can't climb ... without stopping" is
    # what she cannot do, so the trigger points after it were found, and the injection into
    # them (its drug misheard, its dose said) is a trigger point injection
    text = (
        "she can't climb the stairs at home without stopping halfway, trigger points in the "
        "right QL and the right glute med, and injected them with a quarter percent you've "
        "been making two milliliters each, and I dry needled the right piriformis and the TFL, "
        "no injectate into those"
    )
    _, lines = _heard(scribe, text)
    assert lines == {("20552", ()), ("20560", ("59",))}


def test_a_finding_not_found_is_still_denied(scribe: Scribe, nlp: Language) -> None:
    for text, finding in [
        ("I couldn't feel a taut band in the right QL", "taut band"),
        ("he can't sit for long and there was no twitch in the QL", "twitch"),
        ("she can't reach up, and I couldn't palpate any trigger points", "trigger points"),
    ]:
        doc = nlp(text)
        [status] = [s._.status for s in doc.spans["targets"] if s.text == finding]
        assert status == "negated", text


def test_a_drug_said_with_or_anything_else_injected_is_denied(scribe: Scribe) -> None:
    # "no lidocaine or anything else was injected" with its "no" lost: "anything" asks for a
    # negation, so the drug was not given and the muscle was dry needled
    for said in (
        "No lidocaine or anything else was injected into the left upper trapezius, it was dry "
        "needling only, and I also needled the left levator scapula.",
        "she can't play through a rehearsal right now in the lidocaine, or anything else was "
        "injected into the left upper trapezius. It was dry needling only, and I also needled "
        "the left levator scapula",
    ):
        _, lines = _heard(scribe, said)
        assert lines == {("20560", ())}, said


def test_a_name_said_again_takes_back_the_side_it_took_from_another_name(
    scribe: Scribe,
) -> None:
    text = (
        "no lidocaine, or anything else was inducted into the left upper trapezius, it was dry "
        "needling only, and I also needled the left levator scapulae, the right upper "
        "trapezius, was tender too, but I held it to date with responses in the upper trap and "
        "the levator pain, 5 to 2"
    )
    muscles, _ = _heard(scribe, text)
    assert ("levator scapulae", "right") not in muscles
    assert muscles[("levator scapulae", "left")] == "treated"


def test_a_name_said_again_for_the_other_side_keeps_that_side(scribe: Scribe) -> None:
    text = (
        "so today I needled the left masseter and the left temporalis, and on the right side "
        "just the masseter, no substance injected, dry needling only"
    )
    muscles, lines = _heard(scribe, text)
    assert muscles[("masseter", "left")] == muscles[("masseter", "right")] == "treated"
    assert lines == {("20561", ())}


def test_a_procedure_the_patient_cannot_have_is_still_denied(scribe: Scribe) -> None:
    # only verbs of what a patient does make a limitation: "cannot have dry needling" denies
    for text in (
        "He cannot have dry needling of the left QL today because of his anticoagulant.",
        "She can't tolerate needling so the left QL was not needled today.",
    ):
        assert scribe.extract(text).coding.lines == [], text
    # and a drug not used stays denied: "without using" is no limitation
    result = scribe.extract("I dry needled the right QL without using any lidocaine.")
    assert [line.code for line in result.coding.lines] == ["20560"]


def test_a_later_clause_of_its_own_takes_no_needling_from_the_run_on_before_it(
    scribe: Scribe,
) -> None:
    """In a recogniser's run-on, a name the clinician's opinion is about ("I think her left
    psoas is involved"), a name that "also had a trigger point", and one "there was a trigger
    point in" are clauses of their own: the needling said before them reaches none of them,
    nor does any earlier procedure word of the sentence."""
    muscles, lines = _heard(
        scribe,
        "both gave good twitches so I dry needled the left QL and the left glute med no "
        "injectate, she tolerated it fine, I think her left iliopsoas is involved too, so we "
        "will needle that next week",
    )
    assert muscles[("quadratus lumborum", "left")] == "treated"
    assert muscles.get(("iliopsoas", "left"), "mentioned") != "treated"
    assert lines == {("20560", ())}
    muscles, lines = _heard(
        scribe,
        "needled the right tib anterior and the right EDL, four needles, no injectate, there "
        "was a trigger point in the right peroneus longus too, the right soleus also had a "
        "taut band, but only the tib anterior and the EDL got needled today",
    )
    assert muscles[("fibularis longus", "right")] == "palpated_only"
    assert muscles[("soleus", "right")] == "palpated_only"
    assert lines == {("20560", ())}


def test_a_run_on_mixed_session_keeps_the_injection_before_its_dry_needling(
    scribe: Scribe,
) -> None:
    """A recogniser's one sentence that names both procedures at its start, finds trigger
    points in four muscles, gives one of them a dosed drug and "then" dry needles the rest:
    the drug is that muscle's injection, and reaches none of the exam's other names."""
    muscles, lines = _heard(
        scribe,
        "procedure note for trigger point injection and dry needling, left hip, she has had "
        "buttock pain for months, on exam a tender trigger point in the left piriformis and "
        "taut bands in the left glute med, the left glute minimus and the left TFL, consent "
        "was signed, so the left piriformis got one cc of 1% lidocaine mixed with 20 "
        "milligrams of triamcinolone, under ultrasound, then the left glute med, glute "
        "minimus and TFL were dry needled, no medication into those, just the needle",
    )
    assert muscles[("piriformis", "left")] == "treated"
    assert lines == {("20552", ()), ("20561", ("59",))}
