"""Trigger-point rationale and session response (DOMAIN.md section 8; extraction issue,
section 3): findings, functional limitation, pain and ROM before/after, tolerance, consent,
needle counts and stated muscle counts."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from scribe import Scribe
from scribe.nlp.counts import compile_lowercase
from scribe.nlp.extensions import same_length_lower
from scribe.schemas.note import Note

NoteOf = Callable[[str], Note]


def kinds(note: Note) -> set[str]:
    return {f.kind for f in note.rationale.findings if not f.negated}


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Palpable taut band in the R UT.", "taut_band"),
        ("Positive jump sign in the R UT.", "jump_sign"),
        ("Local twitch response elicited in the R UT.", "local_twitch_response"),
        ("LTR x2 in the R UT.", "local_twitch_response"),
        ("Active trigger point in the R UT.", "trigger_point"),
        ("TrP in the R UT refers to the temple.", "referred_pain"),
        ("Needling the R UT reproduced her familiar headache.", "symptom_reproduction"),
        # the patient's own symptom called by another word than pain
        ("Pressing on the R UT gave her that exact ache she gets at work.", "symptom_reproduction"),
        ("The R UT brought on his usual ache.", "symptom_reproduction"),
        ("In the R UT, she said that's the exact cramp she gets.", "symptom_reproduction"),
        ("TTP over the R UT.", "tenderness"),
    ],
)
def test_rationale_finding_kinds(note_of: NoteOf, sentence: str, kind: str) -> None:
    note = note_of(f"{sentence} Dry needling to the R UT.")
    assert kind in kinds(note)


def test_rationale_findings_quote_their_words_and_muscle(note_of: NoteOf) -> None:
    text = "Palpable taut band in the R UT with jump sign and local twitch response. DN to R UT."
    note = note_of(text)
    assert kinds(note) >= {"taut_band", "jump_sign", "local_twitch_response"}
    for finding in note.rationale.findings:
        assert text[finding.start : finding.end] == finding.text
        assert finding.muscle_ids == ["upper-trapezius"]
    [muscle] = note.muscles
    assert set(muscle.findings) >= {"taut_band", "jump_sign", "local_twitch_response"}


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("Referred pain to the temple. DN to R UT.", "temple"),
        (
            "TrP in the L glute min refers down the lateral thigh. DN to L glute min.",
            "lateral thigh",
        ),
        # an adverb before the direction
        ("DN to L gastroc; the TrP referred straight down into the heel.", "heel"),
        # the pain named between the verb and its direction, as second-language speakers say it
        ("TrP in L glute min, it refer the pain to the knee. DN to L glute min.", "knee"),
        # "out to", "back into": the direction said with an adverb of its own
        ("TrPs in the R opponens pollicis, referring out to the thumb tip.", "thumb tip"),
        ("TrP in the L QL referred back into the buttock. DN to L QL.", "buttock"),
    ],
)
def test_rationale_referral_target(note_of: NoteOf, text: str, target: str) -> None:
    [referral] = [f for f in note_of(text).rationale.findings if f.kind == "referred_pain"]
    assert referral.referral_target is not None
    assert referral.referral_target.text == target
    start, end = referral.referral_target.start, referral.referral_target.end
    assert text[start:end] == target


def test_rationale_negated_findings_are_marked_negated(note_of: NoteOf) -> None:
    note = note_of("No LTR elicited; no jump sign. DN to R UT.")
    assert kinds(note) == set()
    assert {f.kind for f in note.rationale.findings if f.negated} == {
        "local_twitch_response",
        "jump_sign",
    }


@pytest.mark.parametrize(
    ("sentence", "limitation"),
    [
        (
            "Unable to turn head to check blind spot when driving.",
            "Unable to turn head to check blind spot when driving",
        ),
        (
            "Difficulty sitting through a one hour meeting.",
            "Difficulty sitting through a one hour meeting",
        ),
        ("She can't lift her grandson.", "can't lift her grandson"),
        ("He can not kneel in the garden.", "can not kneel in the garden"),
        ("She is finding it hard to type all day.", "finding it hard to type all day"),
        ("He hasn't been able to garden since May.", "hasn't been able to garden since May"),
        ("She keeps cutting her walks short.", "cutting her walks short"),
        ("He has been leaving school early.", "leaving school early"),
        ("Walking for more than a block is limited.", "Walking for more than a block is limited"),
        ("Kneeling on the R knee still restricted.", "Kneeling on the R knee still restricted"),
    ],
)
def test_rationale_functional_limitation_span(
    note_of: NoteOf, sentence: str, limitation: str
) -> None:
    text = f"DN to R UT. {sentence}"
    spans = note_of(text).rationale.functional_limitations
    assert [s.text for s in spans] == [limitation]
    assert text[spans[0].start : spans[0].end] == limitation


def test_rationale_pain_alone_is_not_a_functional_limitation(note_of: NoteOf) -> None:
    note = note_of("Neck pain 6/10. Dry needling to the R UT.")
    assert note.rationale.functional_limitations == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Tolerated DN without difficulty.",
        "No difficulty noted.",
        "Swelling in the knee reduced.",
        "Needling on the left limited to two muscles.",
    ],
)
def test_rationale_no_difficulty_is_no_functional_limitation(
    note_of: NoteOf, sentence: str
) -> None:
    assert note_of(f"DN to R UT. {sentence}").rationale.functional_limitations == []


@pytest.mark.parametrize(
    ("sentence", "before", "after"),
    [
        ("Pain seven out of ten before, three out of ten after.", 7, 3),
        ("Pain went from 6 to 2.", 6, 2),
        ("NPRS 7/10 -> 3/10.", 7, 3),
        ("Pain 8/10 pre-tx, 3/10 post-tx.", 8, 3),
        ("3/10 post-tx, down from 7/10 pre-tx.", 7, 3),
        # spoken: the value after its cue, or a fall after a comma
        ("Her pain was an eight and afterwards about a five.", 8, 5),
        ("Pain was six, now a two.", 6, 2),
        ("Pain four, after, um, one.", 4, 1),
        ("Pain eight, down to three.", 8, 3),
        ("Pain was a seven coming in and about a three leaving.", 7, 3),
        # one value said of both: no change
        ("Pain five out of ten before and after, unchanged.", 5, 5),
        ("NPRS 4/10 both pre and post.", 4, 4),
        ("Pain was seven prior and two following.", 7, 2),
        ("Pain 6/10 before and after treatment 2/10.", 6, 2),
        # the value after its cue before the session, and the speaker's subject between
        ("Pain before needling nine and after two.", 9, 2),
        ("Pain before treatment was a 5, after 1.", 5, 1),
        ("Pain nine before two after.", 9, 2),
        ("Her pain was an eight and now it's about a five.", 8, 5),
        ("Coming in he was a five and he left at a two.", 5, 2),
        # a slash parts the two timed ratings, as it parts no scale
        ("VAS: before 8 / after 5.", 8, 5),
    ],
)
def test_rationale_pain_before_and_after(
    note_of: NoteOf, sentence: str, before: float, after: float
) -> None:
    text = f"Dry needling to the R UT. {sentence}"
    pain = note_of(text).rationale.pain
    assert pain.before is not None and pain.after is not None
    assert (pain.before.value, pain.after.value) == (before, after)
    for measure in (pain.before, pain.after):
        assert text[measure.start : measure.end] == measure.text


def test_rationale_a_distance_after_a_cue_is_no_pain_rating(note_of: NoteOf) -> None:
    pain = note_of("The pain starts after about 3 miles. Dry needling to the R UT.").rationale.pain
    assert pain.before is None and pain.after is None


@pytest.mark.parametrize(
    "sentence",
    [
        "He can't read for more than twenty minutes before one starts.",
        "She gets headaches, and before one of them hits she feels it in the neck.",
    ],
)
def test_rationale_a_number_that_is_a_subject_is_no_pain_rating(
    note_of: NoteOf, sentence: str
) -> None:
    text = f"{sentence} I needled the right upper trapezius. Pain was five out of ten going in."
    pain = note_of(text).rationale.pain
    assert pain.before is not None and pain.before.value == 5


@pytest.mark.parametrize("place", ["Visit 6/10", "Session #4/8", "Visit: 3/12"])
def test_rationale_the_place_of_a_visit_in_its_course_is_no_pain_rating(
    note_of: NoteOf, place: str
) -> None:
    pain = note_of(f"{place}. Neck pain 7/10. DN to the R UT. Post 2/10.").rationale.pain
    assert pain.before is not None and pain.before.value == 7


def test_rationale_pain_before_only(note_of: NoteOf) -> None:
    pain = note_of("NPRS 6/10 on arrival. Dry needling to the R UT.").rationale.pain
    assert pain.before is not None and pain.before.value == 6
    assert pain.after is None


def test_rationale_rom_before_and_after_degrees(note_of: NoteOf) -> None:
    note = note_of("DN to R UT. Cervical rotation improved from 50 to 70 degrees.")
    [rom] = note.rationale.rom
    assert (rom.before_degrees, rom.after_degrees, rom.improved) == (50, 70, True)
    assert rom.motion is not None and "rotation" in rom.motion


def test_rationale_rom_degrees_in_separate_phrases(note_of: NoteOf) -> None:
    note = note_of("Cervical rotation 50 degrees before and 70 degrees after DN to R UT.")
    [rom] = note.rationale.rom
    assert (rom.before_degrees, rom.after_degrees) == (50, 70)


def test_rationale_no_rom_without_a_measure(note_of: NoteOf) -> None:
    assert note_of("DN to R UT. Tolerated well.").rationale.rom == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Pt tolerated well.",
        "Tol well.",
        "She tolerated it fine.",
        "He tolerate good.",
        "She tolerates the needling well.",
        "Patient is tolerating good.",
        "He handled it really well.",
    ],
)
def test_rationale_tolerance(note_of: NoteOf, sentence: str) -> None:
    tolerance = note_of(f"DN to R UT. {sentence}").rationale.tolerance
    assert tolerance is not None
    assert tolerance.text == sentence


@pytest.mark.parametrize(
    "sentence",
    ["Verbal consent obtained.", "Consent on file.", "She consented to dry needling."],
)
def test_rationale_consent(note_of: NoteOf, sentence: str) -> None:
    consent = note_of(f"DN to R UT. {sentence}").rationale.consent
    assert consent is not None
    assert consent.text == sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "Patient declined consent.",
        "Consent was not obtained.",
        "She has not consented to needling yet.",
        pytest.param(
            "Patient did not consent to dry needling today.",
        ),
        # a consent missing from the chart, or still to come
        "Signed consent not found in the chart.",
        "DN may start when the consent form is returned signed.",
        "Will review the needling consent at the next visit.",
    ],
)
def test_rationale_consent_negated_is_not_consent(note_of: NoteOf, sentence: str) -> None:
    assert note_of(f"R UT palpated. {sentence}").rationale.consent is None


def test_rationale_no_tolerance_or_consent_when_not_said(note_of: NoteOf) -> None:
    rationale = note_of("Dry needling to the R UT.").rationale
    assert rationale.tolerance is None
    assert rationale.consent is None


def test_rationale_needle_counts_are_recorded(note_of: NoteOf) -> None:
    note = note_of("Dry needling to the R UT and R levator with 24 needles total.")
    assert [(c.count, c.total) for c in note.rationale.needle_counts] == [(24, True)]


@pytest.mark.parametrize(
    ("text", "needles"),
    [
        # per muscle, one per side, in the count's sentence or the one before
        ("I dry needled the R supinator and the R brachioradialis, two needles in each.", 4),
        ("Dry needling to the upper trapezius bilaterally. One needle each.", 2),
        # the total said again is not more needles
        ("I needled the left QL and the left piriformis, three in each, so six needles.", 6),
    ],
)
def test_rationale_needles_per_muscle_are_multiplied_out(
    note_of: NoteOf, text: str, needles: int
) -> None:
    counts = note_of(text).rationale.needle_counts
    totals = [c.count for c in counts if c.total]
    assert (totals[0] if totals else sum(c.count for c in counts)) == needles


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Dry needling to the R UT and R levator with 24 needles total. No injectate.", "20560"),
        ("Dry needling to the R UT with 12 needles. No injectate.", "20560"),
        ("Three needles each in R UT, R levator and R rhomboid major. No injectate.", "20561"),
    ],
)
def test_rationale_needle_counts_never_decide_the_code(
    scribe: Scribe, text: str, code: str
) -> None:
    result = scribe.extract(text)
    assert [line.code for line in result.coding.lines] == [code]
    assert result.coding.muscle_count == len(result.note.muscles)


def test_rationale_stated_muscle_count(note_of: NoteOf) -> None:
    note = note_of("Three muscles were dry needled: R UT, R levator and R rhomboid major.")
    assert [c.value for c in note.stated_muscle_counts] == [3]


def test_rationale_other_counts_are_not_muscle_counts(note_of: NoteOf) -> None:
    note = note_of("DN to R UT and R levator. Two twitch responses. 8 needles. Seen x3 wks.")
    assert note.stated_muscle_counts == []


def test_rationale_stated_count_disagreeing_with_names_follows_the_names(scribe: Scribe) -> None:
    result = scribe.extract("Three muscles were dry needled: R UT and R levator. No injectate.")
    assert [c.value for c in result.note.stated_muscle_counts] == [3]
    assert result.coding.muscle_count == 2
    assert [line.code for line in result.coding.lines] == ["20560"]


def test_rationale_lower_case_text_keeps_every_offset() -> None:
    # "İ" lower-cases to two characters: it is kept, so later offsets do not move
    text = "İliopsoas: 3 NEEDLES"
    lowered = same_length_lower(text)
    assert len(lowered) == len(text)
    assert lowered.endswith("3 needles")


def test_rationale_a_lower_case_pattern_may_not_name_a_capital() -> None:
    assert compile_lowercase(r"\bx\s*(?P<n>\d+)\s+needles?\b").search("x 3 needles")
    with pytest.raises(ValueError, match="capital"):
        compile_lowercase(r"\bNeedles\b")


def test_rationale_tolerance_evidence_is_its_clause(note_of: NoteOf) -> None:
    note = note_of("DN to R UT. She tolerated it well, no medication was injected.")
    assert note.rationale.tolerance is not None
    assert note.rationale.tolerance.text == "She tolerated it well"


def test_rationale_evidence_in_unpunctuated_speech_is_the_words_around_the_cue(
    note_of: NoteOf,
) -> None:
    run_on = (
        "okay so today we did dry needling to the right upper trapezius and the levator "
        "scapulae with local twitch responses in both and she gave verbal consent before we "
        "started and she tolerated the treatment well and she is unable to sit at her desk "
        "for more than twenty minutes because of the neck pain and we will see her next week"
    )
    rationale = note_of(run_on).rationale
    assert rationale.consent is not None and rationale.tolerance is not None
    assert "verbal consent" in rationale.consent.text
    assert "tolerated the treatment well" in rationale.tolerance.text
    for evidence in (rationale.consent, rationale.tolerance):
        assert len(evidence.text.split()) <= 2 * 10 + 3
    [limitation] = rationale.functional_limitations
    assert limitation.text.startswith("unable to sit")
    assert len(limitation.text.split()) <= 2 + 10


@pytest.mark.parametrize(
    ("sentence", "before", "after"),
    [
        # a before and an after value, each with its timing, rate pain without the word
        ("He walked in at a six and was leaving at a two.", 6, 2),
        ("An eight before and a four after.", 8, 4),
        ("Nine before, five afterward.", 9, 5),
        ("He arrived at a six and said about a three when he left.", 6, 3),
        # the value after a fall takes its timing from the verb, not the cue of the one before
        ("Her pain was a seven and went down to a five.", 7, 5),
        ("Pain started at a six and came down to a two.", 6, 2),
        # a rating said with its article, timed by a cue some words away
        ("His pain on arrival was a nine and by the end he rated it a four.", 9, 4),
        ("Pain at the start of the visit was a five, at the end she called it a one.", 5, 1),
        # the scale said as "over ten", or "from ten" as some speakers put it
        ("Pain seven over ten pre, four over ten post.", 7, 4),
        ("Pain before six from ten, after three from ten.", 6, 3),
        # a fall said with its verb between the two values
        ("Pain seven out of ten dropping to two.", 7, 2),
        ("Her soreness was a six going down to a three.", 6, 3),
        # "post" with the procedure's name, and the speaker's "she says" before the value
        ("Pain seven, post needling two.", 7, 2),
        ("At first he say the pain is seven, after he say three.", 7, 3),
        # a cue opening the next clause is that clause's value's, not the one before it
        ("Pain was a nine, after the needling she guessed about a five.", 9, 5),
        # a headache rated from one value to another
        ("Her headache went from a six to a three during the visit.", 6, 3),
        # "and after it was": the cue opens the clause of the value after it
        ("Pain on the stairs was a six out of ten and after it was about a three.", 6, 3),
        # "after is", as a speaker of English as a second language says it
        ("Pain before is seven, after is four.", 7, 4),
    ],
)
def test_rationale_pain_said_in_speech(
    note_of: NoteOf, sentence: str, before: int, after: int
) -> None:
    pain = note_of(f"DN to R UT. {sentence}").rationale.pain
    assert pain.before is not None and pain.after is not None
    assert (pain.before.value, pain.after.value) == (before, after)


@pytest.mark.parametrize(
    "sentence",
    [
        "He came in at seven and left at three.",
        "Two before lunch.",
        # a measure said with its article is no rating, even beside the word pain
        "Pain began after a two-week trip and a five hour drive.",
        "Pain under a two inch scar, worse lifting a ten pound bag.",
    ],
)
def test_rationale_no_pain_from_a_lone_value_or_clock_times(note_of: NoteOf, sentence: str) -> None:
    pain = note_of(f"DN to R UT. {sentence}").rationale.pain
    assert pain.before is None and pain.after is None


@pytest.mark.parametrize(
    ("text", "before", "after"),
    [
        # the subjective report is the value on arrival, whatever its cue words say
        ("S: Low back pain 5/10 after yard work.\nA: Post-adjustment pain 3/10.\n", 5, 3),
        (
            "Subjective: R shoulder pain 6/10; unable to reach behind her back.\n\n"
            "Post: pain 3/10.\n",
            6,
            3,
        ),
        # a value said on arrival outside the history wins over the history's report
        (
            "History: average pain now 4/10.\n\n"
            "PAIN TODAY: 5/10 on arrival.\nResponse: Pain 2/10.\n",
            5,
            2,
        ),
        ("Pre-tx pain (NPRS): 7\nDN R QL.\nPost-tx pain (NPRS): 3\n", 7, 3),
    ],
)
def test_rationale_pain_in_whole_notes(
    note_of: NoteOf, text: str, before: float, after: float
) -> None:
    pain = note_of(text).rationale.pain
    assert pain.before is not None and pain.after is not None
    assert (pain.before.value, pain.after.value) == (before, after)


def test_rationale_a_date_is_no_pain_rating(note_of: NoteOf) -> None:
    pain = note_of("Patient: TEST, A   DOB 10/10/1987\nDN R UT. Pain 2/10 after.\n").rationale.pain
    assert pain.before is None or pain.before.value != 10


def test_rationale_history_ranges_are_no_value_after(note_of: NoteOf) -> None:
    text = "History: Pain: current 6/10, best 3/10, worst 8/10.\nPlan: DN R UT next visit.\n"
    pain = note_of(text).rationale.pain
    assert pain.before is not None and pain.before.value == 6
    assert pain.after is None


@pytest.mark.parametrize(
    "sentence",
    [
        "Has stopped going to her running club because of the headaches.",
        "Running is now limited to 1 mile before the pain comes on.",
    ],
)
def test_rationale_activity_given_up_or_limited(note_of: NoteOf, sentence: str) -> None:
    assert note_of(f"DN to R UT. {sentence}").rationale.functional_limitations


def test_rationale_a_needle_size_is_no_count(note_of: NoteOf) -> None:
    text = (
        "Dry needling: R UT - 2 needles, R levator - 1 needle, L splenius capitis - 1 needle.\n"
        "Sterile 0.25 x 40 needles, no injection of any substance.\n"
    )
    counts = note_of(text).rationale.needle_counts
    assert sorted(c.count for c in counts) == [1, 1, 2]


@pytest.mark.parametrize(
    ("field", "consented"),
    [
        ("Consent:  [ ] verbal   [ ] written   [ ] on file", False),
        ("Consent: N/A today", False),
        ("Consent: ______", False),
        ("Written consent for dry needling will be obtained next session.", False),
        ("Consent:  [x] verbal   [ ] written", True),
    ],
)
def test_rationale_consent_fields_of_templates(
    note_of: NoteOf, field: str, consented: bool
) -> None:
    note = note_of(f"DN to R UT. No injectate.\n{field}\n")
    assert (note.rationale.consent is not None) == consented


def test_pain_cues_said_before_the_scale_name_belong_to_the_value_after_it(
    scribe: Scribe,
) -> None:
    """ "Pre VAS 7   Post VAS 2": "Post" is the label of the second rating, not a cue said
    after the first."""
    pain = scribe.extract("DN to L piriformis. Pre VAS 7   Post VAS 2").note.rationale.pain
    assert pain is not None and pain.before is not None and pain.after is not None
    assert (pain.before.value, pain.after.value) == (7.0, 2.0)


@pytest.mark.parametrize(
    "line",
    [
        "PRE-PROCEDURE PAIN: 6/10   POST: 1/10",
        "Pain pre: 6/10 post: 1/10",
        "PRE = 6/10, POST = 1/10",
    ],
)
def test_rationale_a_cue_that_labels_the_next_value_is_its_own(scribe: Scribe, line: str) -> None:
    pain = scribe.extract(f"TPI R rhomboid major.\n{line}\n").note.rationale.pain
    assert pain is not None and pain.before is not None and pain.after is not None
    assert (pain.before.value, pain.after.value) == (6.0, 1.0)


@pytest.mark.parametrize(
    "text",
    [
        "Trigger point injections to the R UT and R levator with 1% lidocaine, 1 mL each.",
        "Trigger point dry needling to the R UT and R levator. No injectate.",
        "Trigger-point needling of the R UT and R levator, nothing injected.",
        # the method's name
        "DN (a trigger point approach) to the R UT and R levator, nothing injected.",
        "Needled the R UT and R levator using a trigger point technique. No injectate.",
    ],
)
def test_rationale_the_procedure_s_name_is_no_trigger_point_found(
    note_of: NoteOf, text: str
) -> None:
    assert "trigger_point" not in kinds(note_of(text))


def test_rationale_a_trigger_point_found_before_its_needling_is_still_one(note_of: NoteOf) -> None:
    note = note_of("Active trigger point in the R UT. Trigger point dry needling to the R UT.")
    assert "trigger_point" in kinds(note)


def test_rationale_a_finding_in_an_empty_box_is_not_found(note_of: NoteOf) -> None:
    text = (
        "Findings: [x] Taut band   [ ] Jump sign   [x] LTR   [ ] Referred pain\n"
        "Dry needling: R gluteus medius, R piriformis. Injectate: none.\n"
    )
    assert kinds(note_of(text)) == {"taut_band", "local_twitch_response"}


@pytest.mark.parametrize(
    "text",
    [
        "I needled the left infraspinatus, and she said that's my shoulder pain.",
        "DN L glute min x2, she goes yep that's exactly the spot.",
        "TrP R UT, recognised by the patient as his typical headache. DN R UT x2.",
        "Taut band in the R levator; pt identified it as her usual neck ache.",
        # said of then: "he said that was his headache"
        "The right SCM referred behind the eye, and he said that was his headache.",
    ],
)
def test_rationale_the_patient_recognising_the_pain_is_symptom_reproduction(
    note_of: NoteOf, text: str
) -> None:
    assert "symptom_reproduction" in kinds(note_of(text))


@pytest.mark.parametrize(
    "text",
    [
        "DN R UT x2. Pt says that's the pain clinic she went to last year.",
        "That's her pain, she says, every morning. Plan: DN next visit.",
        "I needled the left infraspinatus, and she said that is fine.",
    ],
)
def test_rationale_no_recognition_without_a_muscle_or_a_pain_of_her_own(
    note_of: NoteOf, text: str
) -> None:
    assert "symptom_reproduction" not in kinds(note_of(text))


@pytest.mark.parametrize(
    "sentence",
    ["Today she rated her neck pain a seven out of ten.", "Today, her neck pain: 7/10."],
)
def test_rationale_a_lone_rating_is_the_value_before(note_of: NoteOf, sentence: str) -> None:
    # ("Today" holds no "to" cue: a cue is never found in a word cut in two)
    pain = note_of(f"DN to R UT. {sentence}").rationale.pain
    assert pain.before is not None and pain.before.value == 7
    assert pain.after is None


@pytest.mark.parametrize(
    "text",
    ["TrP L piriformis refers → post thigh. TDN L piriformis x2.", "TrP R UT refers -> temple."],
)
def test_rationale_a_referral_written_with_an_arrow(note_of: NoteOf, text: str) -> None:
    assert "referred_pain" in kinds(note_of(text))


def test_rationale_an_arrow_between_ratings_is_no_referral(note_of: NoteOf) -> None:
    assert "referred_pain" not in kinds(note_of("TDN R UT x2. Pain 7/10 -> 3/10."))


def test_rationale_a_rating_after_the_session_is_not_a_count_of_sessions(note_of: NoteOf) -> None:
    pain = note_of("DN to R UT. Pain on arrival 6/10. Pain after session 2/10.").rationale.pain
    assert pain.before is not None and pain.before.value == 6
    assert pain.after is not None and pain.after.value == 2
    # a count of sessions is still none
    assert note_of("DN to R UT. Session 3/10 of the plan of care.").rationale.pain.before is None


@pytest.mark.parametrize(
    ("text", "before", "after"),
    [
        # "now" before the note reports the procedure is the pain on arrival
        ("Interval: now back to 6/10.\nDN to L QL. Post: pain 3/10.", 6.0, 3.0),
        ("Pain now 6/10.\nDN to L QL. Pain 3/10 post.", 6.0, 3.0),
        # and after it, the pain after
        ("Pain 7/10. DN to L QL. Now 3/10.", 7.0, 3.0),
        # "to" before no value times nothing: "unable to run"
        ("Hx: hip pain, VAS 6/10, unable to run > 10 min.\nDN R glut med. VAS 2/10.", 6.0, 2.0),
    ],
)
def test_rationale_pain_now_and_to_are_timed_by_where_they_stand(
    note_of: NoteOf, text: str, before: float, after: float
) -> None:
    pain = note_of(text).rationale.pain
    assert pain.before is not None and pain.after is not None
    assert (pain.before.value, pain.after.value) == (before, after)


def test_rationale_a_consent_field_answered_not_obtained_is_no_consent(note_of: NoteOf) -> None:
    note = note_of("Consent:  not obtained today (procedure not performed)\nDN to R UT deferred.")
    assert note.rationale.consent is None


@pytest.mark.parametrize(
    "text",
    [
        "TrP in the R UT. Patient referred out to ortho for the shoulder. DN to R UT.",
        "TrP in the R UT. Will refer back to her physician for the headaches. DN to R UT.",
    ],
)
def test_rationale_a_care_referral_is_no_referred_pain(note_of: NoteOf, text: str) -> None:
    assert "referred_pain" not in {f.kind for f in note_of(text).rationale.findings}
