"""What a recogniser writes, read as the clinician said it: words it writes for others
(lexicons/asr.yaml ``heard_as``), pauses written as commas, sentences no one writes, and
"just dry needling" against a drug it misheard into being."""

from __future__ import annotations

import re

import pytest
from helpers import transcript

from scribe import Scribe
from scribe.config import Settings
from scribe.lexicons import read_model
from scribe.nlp.normalize import normalize, read_as_meant
from scribe.pipeline import AudioExtractionResult, ExtractionResult
from scribe.schemas.lexicon import AsrLexicon


def lines(result: ExtractionResult | AudioExtractionResult) -> list[tuple[str, tuple[str, ...]]]:
    return sorted((line.code, tuple(line.modifiers)) for line in result.coding.lines)


def test_reading_as_meant_keeps_the_words_heard_for_evidence() -> None:
    confusions = [(re.compile(r"\binduct(?=ed\b)", re.I), "inject")]
    source = read_as_meant(normalize("Then I Inducted the right UT"), confusions)
    assert source.text == "Then I Injected the right UT"
    start, end = source.to_original(7, 15)
    assert source.original[start:end] == "Inducted"


MIXED = (
    "exam showed trigger points in the right upper trapezius and levator scapulae, I inducted "
    "the upper trapezius with 1% lidocaine 2 mL, and then the levator scapulae I dry needled "
    "only, no inductate into the levator, she tolerated both"
)


def test_reading_a_recognisers_inducted_as_injected(scribe: Scribe) -> None:
    result = scribe.extract_transcript(transcript(MIXED))
    assert lines(result) == [("20552", ()), ("20560", ("59",))]
    [trapezius] = [m for m in result.note.muscles if m.name == "upper trapezius"]
    assert trapezius.techniques == ["injection"]
    cues = [
        mention.status_cue.text
        for mention in trapezius.mentions
        if mention.status == "treated" and mention.status_cue is not None
    ]
    assert "inducted" in cues  # the note quotes what the recogniser wrote


def test_reading_as_meant_is_for_transcripts_only(scribe: Scribe) -> None:
    typed = scribe.extract(MIXED.replace(", I inducted", ".\nI inducted"))
    # (the dosed lidocaine still makes an injection of its own; "inducted" is no word of one)
    assert "inducted" not in {p.text for p in typed.note.procedures}
    heard = scribe.extract_transcript(transcript(MIXED))
    assert "inducted" in {p.text for p in heard.note.procedures}


def test_reading_known_medication_as_no_medication(scribe: Scribe) -> None:
    text = (
        "dry needling to the left supraspinatus infraspinatus and posterior deltoid, trigger "
        "points in all of them, known medication was injected, she tolerated it well"
    )
    assert lines(scribe.extract_transcript(transcript(text))) == [("20561", ())]


def test_reading_know_before_needles_as_no(scribe: Scribe) -> None:
    text = (
        "the plan was dry needling to the left quadratus lumborum but he picked option three, "
        "known dry needling at all today, we did manual therapy"
    )
    assert lines(scribe.extract_transcript(transcript(text))) == []
    heard = "I dry needled the left upper trapezius, know injectate, she tolerated it well"
    prompts = {p.id for p in scribe.extract_transcript(transcript(heard)).coding.prompts}
    assert "injectate-statement-missing" not in prompts


def test_reading_tried_needled_as_dry_needled(scribe: Scribe) -> None:
    said = (
        "I injected the right upper trapezius with lidocaine, the right infraspinatus I tried "
        "needled only"
    )
    assert lines(scribe.extract_transcript(transcript(said))) == [("20552", ()), ("20560", ("59",))]


def test_trying_needling_later_stays_a_plan() -> None:
    heard_as = read_model(Settings().lexicon_dir / "asr.yaml", AsrLexicon).heard_as
    confusions = [(re.compile(c.heard, re.I), c.meant) for c in heard_as]
    said = "we'll try needling again next week"
    assert read_as_meant(normalize(said), confusions).text == said


def test_a_negation_in_a_long_transcript_sentence_reaches_only_the_words_after_it(
    scribe: Scribe,
) -> None:
    # the recogniser's commas are pauses: "can't" does not reach the lidocaine 30 words on
    said = (
        "he is sleeping on his right side and can't lift his toner without pain exam show, "
        "trigger points with taut bands in the right upper trapezius, levator scapulae, "
        "rhomboid major, and infraspinatus, after verbal consent, I injected the upper "
        "trapezius and levator with a mix of 1% lidocaine and marcaine. And then the rhomboid "
        "major, and the infraspinatus, I dry needled only."
    )
    assert lines(scribe.extract_transcript(transcript(said))) == [
        ("20552", ()),
        ("20560", ("59",)),
    ]


def test_a_word_the_recogniser_glued_to_un_is_read(scribe: Scribe) -> None:
    # "uh nothing injected into them" written "unnothing"
    said = (
        "trigger point in the right levator scapulae, injected with one milliliter of 1% "
        "lidocaine, then dry needled the right upper trapezius, splenius capitis and "
        "semispinalis capitis, unnothing injected into them, just the needle"
    )
    assert lines(scribe.extract_transcript(transcript(said))) == [
        ("20552", ()),
        ("20561", ("59",)),
    ]


def test_a_filler_the_recogniser_glued_after_injected_is_read_apart(scribe: Scribe) -> None:
    # "no saline, nothing injected um" written "no selenothin, injectedum"
    said = (
        "neck pain, I did the upper traps on both sides, and then on the left the levator "
        "scapulae and the infraspinatus, a couple good twitches, no medication, no selenothin, "
        "injectedum, she tolerated it well"
    )
    assert lines(scribe.extract_transcript(transcript(said))) == [("20561", ())]


def test_will_after_a_possessive_is_no_plan(scribe: Scribe) -> None:
    # "she gave verbal consent" heard as "she gave her will consent"
    said = (
        "we discussed the risks and she gave her will consent dry needling was done to the "
        "upper traps bilaterally and to the right levator scapulae no medication was injected"
    )
    assert lines(scribe.extract_transcript(transcript(said))) == [("20561", ())]
    planned = "she will need dry needling to the right levator scapulae next week"
    assert lines(scribe.extract_transcript(transcript(planned))) == []


@pytest.mark.parametrize(
    "said",
    [
        "I needled the right upper trapezius, needles only nothing, injective",
        "I needled the right upper trapezius, she gets no injective",
        "I needled the right upper trapezius, nothing one injected",
    ],
)
def test_injectate_statements_heard_as_other_words_are_read_as_meant(
    scribe: Scribe, said: str
) -> None:
    note = scribe.extract_transcript(transcript(said)).note
    assert note.injectate.status == "none_confirmed"
    assert lines(scribe.extract_transcript(transcript(said))) == [("20560", ())]


def test_needled_spelt_with_a_doubled_e_is_needled(scribe: Scribe) -> None:
    said = (
        "After getting her consent, we dry needleed the left levator scapulae, infraspinatus, "
        "and the supraspinatus. She couldn't lift her arm to wash her hair before today. There "
        "were twitch responses in need infraspinatus, no injectate, she tolerated it well."
    )
    assert lines(scribe.extract_transcript(transcript(said))) == [("20561", ())]


def test_no_inject_to_is_no_injectate(scribe: Scribe) -> None:
    said = (
        "today I went after the right gluteus medius and the right gluteus minimus, both had "
        "trigger points, he still can't bend down without pain, no inject to use consent verbal"
    )
    assert lines(scribe.extract_transcript(transcript(said))) == [("20560", ())]


def test_today_said_in_the_sentence_before_a_generic_verb_dates_it(scribe: Scribe) -> None:
    # a recogniser ended a sentence at the pause: "two muscles today. I did the right ..."
    said = (
        "Okay, this is Sandra, on three muscles today. I did the right upper trap, the levator "
        "scapula, and the rhomboid, all on the right. She had a jump sign in the upper trap, "
        "consent on file no injectate came in at a six, tolerated it well."
    )
    assert lines(scribe.extract_transcript(transcript(said))) == [("20561", ())]


def test_a_visit_counted_under_the_acupuncture_benefit_is_no_acupuncture(scribe: Scribe) -> None:
    # "under the acupuncture benefit", the benefit misheard
    said = (
        "Medicare patient, session number six of 12 under the acupuncture menidid, hum, I "
        "needled the right QL, the right iliocostalis lumborum, and the right gluteus maximus, "
        "nothing was injected, she tolerated it well"
    )
    assert lines(scribe.extract_transcript(transcript(said))) == [("20561", ())]


def test_kneeled_with_an_object_is_needled(scribe: Scribe) -> None:
    said = "I kneeled the left upper trapezius and the levator scapulae, no injectate"
    assert lines(scribe.extract_transcript(transcript(said))) == [("20560", ())]


def test_normal_sailing_is_normal_saline(scribe: Scribe) -> None:
    said = (
        "trigger point injections, neck, she reacts to anesthetics so we use normal sailing "
        "only, one cc into each of the left levator scapulae and the left rhomboid major"
    )
    result = scribe.extract_transcript(transcript(said))
    assert lines(result) == [("20552", ())]
    assert {s.name for s in result.note.injectate.substances if s.status == "injected"} == {
        "normal saline"
    }


def test_an_amount_into_each_named_muscle_reports_the_injection_of_the_drug_before(
    scribe: Scribe,
) -> None:
    # the recogniser's full stop between the drug and its amount
    said = (
        "trigger point injections, neck, we used normal saline only, no anesthetics. about one "
        "cc into each the left levator scapulae and the left rhomboid major, tolerated well"
    )
    result = scribe.extract_transcript(transcript(said))
    assert {(m.name, m.status) for m in result.note.muscles} == {
        ("levator scapulae", "treated"),
        ("rhomboid major", "treated"),
    }
    assert lines(result) == [("20552", ())]


def test_names_and_the_needling_heard_as_other_words_are_read(scribe: Scribe) -> None:
    said = (
        "consent on file, meetled the right interior scaling and the right middle scaling and "
        "the pack miner on the right, no injectate, she tolerated it fine"
    )
    result = scribe.extract_transcript(transcript(said))
    assert {(m.name, m.laterality, m.status) for m in result.note.muscles} == {
        ("anterior scalene", "right", "treated"),
        ("middle scalene", "right", "treated"),
        ("pectoralis minor", "right", "treated"),
    }
    assert lines(result) == [("20561", ())]


def prompt_ids(result: ExtractionResult | AudioExtractionResult) -> set[str]:
    return {p.id for p in result.coding.prompts}


def test_a_recording_that_speaks_of_a_procedure_nothing_could_code_is_not_silent(
    scribe: Scribe,
) -> None:
    # "I dry needled the medial gastrocnemius ..." heard as "eye dry, leadled, the ..."
    said = (
        "a trigger point deep in the soleus, which is the neck, vein eye dry, leadled, the "
        "medial gastro nemius and the soleus on the right, no injectate, he tolerated it fine"
    )
    result = scribe.extract_transcript(transcript(said))
    assert lines(result) == []
    [prompt] = [p for p in result.coding.prompts if p.id == "asr-procedure-unread"]
    assert {e.text for e in prompt.evidence} >= {"no injectate"}
    # typed, the same words are the clinician's own: no such prompt
    assert "asr-procedure-unread" not in prompt_ids(scribe.extract(said))


def test_needling_said_done_beside_a_denial_and_muscles_only_examined_is_not_silent(
    scribe: Scribe,
) -> None:
    # one sentence without a pause: "needles only" no longer reaches the muscles needled
    said = (
        "okay so today right quadratus lumborum and the right gluteus medius taut bands in both "
        "with referral into the buttock we skipped the left quadratus lumborum today she was "
        "too sore on that side from gardening i plan to needle the right piriformis next week "
        "needles only nothing injected consented verbally tolerated it well"
    )
    result = scribe.extract_transcript(transcript(said))
    assert lines(result) == []
    [prompt] = [p for p in result.coding.prompts if p.id == "asr-procedure-unread"]
    assert any("needles only" in e.text for e in prompt.evidence)


def test_a_plan_for_next_week_does_not_explain_a_session_said_dry(scribe: Scribe) -> None:
    # "twitches in both" misheard, and no word left that names the needling
    said = (
        "so both glutes and then the right lumbar multifidus, those were the ones with trigger "
        "points, which is in both, so that's what we did dry, no injectate, probably the right "
        "piriformis next week too, tolerated fine"
    )
    result = scribe.extract_transcript(transcript(said))
    assert lines(result) == []
    [prompt] = [p for p in result.coding.prompts if p.id == "asr-procedure-unread"]
    assert {e.text for e in prompt.evidence} >= {"no injectate"}


@pytest.mark.parametrize(
    "said",
    [
        # a first visit: needling planned, and only the examination tolerated
        "trigger points in the right upper trapezius, we will start dry needling the right "
        "upper trapezius next visit, she tolerated the evaluation well",
        # a session declined: the note says why nothing was billed
        "she declined dry needling to the right upper trapezius today, we did soft tissue "
        "work instead and she tolerated it well",
        # billed
        "I dry needled the right upper trapezius, no injectate, she tolerated it well",
        # nothing that shows a procedure
        "neck pain for a month, worse at work, we talked about dry needling",
        # some muscles denied, the rest only examined, and no word that needling was done
        "taut bands in the right quadratus lumborum we skipped the left quadratus lumborum "
        "today she was too sore nothing injected she tolerated the exercises well",
    ],
)
def test_a_recording_whose_note_explains_its_claim_gets_no_unread_prompt(
    scribe: Scribe, said: str
) -> None:
    assert "asr-procedure-unread" not in prompt_ids(scribe.extract_transcript(transcript(said)))


def test_unneedled_stays_a_word() -> None:
    heard_as = read_model(Settings().lexicon_dir / "asr.yaml", AsrLexicon).heard_as
    confusions = [(re.compile(c.heard, re.I), c.meant) for c in heard_as]
    said = "the unneedled side stayed tender"
    assert read_as_meant(normalize(said), confusions).text == said


def test_a_plan_at_the_end_of_a_long_transcript_sentence_reaches_back_only_a_few_words(
    scribe: Scribe,
) -> None:
    said = (
        "mid-back session, pain between the shoulder blades, can't sit at his desk more than "
        "an hour, dry needled on the right the rhomboid major, then on the left the lower "
        "trapezius, lots of twitching on the right side, he tolerated it fine, next visit will "
        "add thoracic extension mobility work"
    )
    result = scribe.extract_transcript(transcript(said))
    assert {(m.name, m.status) for m in result.note.muscles} == {
        ("rhomboid major", "treated"),
        ("lower trapezius", "treated"),
    }
    # a plan joined to its time, said after its name: the names before are the needling's
    said_too = (
        "runner with pain at the front of both knees, I dry needled the vastus lateralis on both "
        "sides, taut bands in both, and the right vastus medialis, nothing injected, the left "
        "vastus medialis we may needle next week if she is still sore there"
    )
    result = scribe.extract_transcript(transcript(said_too))
    assert {(m.name, m.laterality, m.status) for m in result.note.muscles} == {
        ("vastus lateralis", "bilateral", "treated"),
        ("vastus medialis", "right", "treated"),
        ("vastus medialis", "left", "planned"),
    }
    # a plan said right after its name still plans it
    said = said + ", and maybe the left serratus posterior superior next time"
    result = scribe.extract_transcript(transcript(said))
    assert ("serratus posterior superior", "planned") in {
        (m.name, m.status) for m in result.note.muscles
    }


def test_a_denial_inside_a_run_on_holds_a_later_needling_for_review(scribe: Scribe) -> None:
    said = (
        "we did dry needling on visits two through six to the left quadratus lumborum and it "
        "helped a lot, today was adjustments and soft tissue only, no needles at all, she is "
        "still tender over the left quadratus lumborum. if she's up for it, think about "
        "needling the left piriformis instead."
    )
    result = scribe.extract_transcript(transcript(said))
    assert result.coding.lines == []
    assert "status-conflict" in [p.id for p in result.coding.prompts]


def test_a_denial_in_the_middle_of_a_run_on_takes_back_the_needling_before_it(
    scribe: Scribe,
) -> None:
    said = (
        "we did dry needling to the right infraspinatus and since then it's been exercise and "
        "manual work only no needling today, just the re-assessment, shoulder flexion is up to "
        "145 from 120, there's still a taut band in the infraspinatus, so we recertify the plan "
        "of care for four more weeks, two times a week with dry needling as needed to the right "
        "infraspinatus and posterior deltoid"
    )
    assert scribe.extract_transcript(transcript(said)).coding.lines == []


@pytest.mark.parametrize(
    "object_said",
    ["we did not needle, the left sternocleidomastoid today", "but I didn't needle, those"],
)
def test_a_denial_of_its_own_object_in_a_run_on_leaves_the_needling_before_it(
    scribe: Scribe, object_said: str
) -> None:
    said = (
        "so I needled the left upper trapezius and the left levator scapulae, the paraspinals "
        f"were guarded, {object_said}, no injection of anything, she tolerated it"
    )
    result = scribe.extract_transcript(transcript(said))
    assert lines(result) == [("20560", ())]


def test_an_injection_whose_dose_was_said_keeps_it_when_its_drug_was_misheard(
    scribe: Scribe,
) -> None:
    # "bupivacaine" heard as "beep of aching": the dose still says something went in, and the
    # later "nothing was injected into those" is said of the muscles needled dry
    said = (
        "after written consent, trigger point injections into the left quadratus lumborum, and "
        "the left gluteus medius with point five percent beep of aching about two cc per "
        "muscle then, a dry needling with no injection to the piriformis and the tensor fascia "
        "lata on the left. Nothing at all was injected into those, she tolerated both well."
    )
    assert lines(scribe.extract_transcript(transcript(said))) == [
        ("20552", ()),
        ("20560", ("59",)),
    ]


def test_know_said_by_someone_stays_the_verb() -> None:
    heard_as = read_model(Settings().lexicon_dir / "asr.yaml", AsrLexicon).heard_as
    confusions = [(re.compile(c.heard, re.I), c.meant) for c in heard_as]
    for said in ("you know needling helps", "I know needles scare her", "a known needle phobia"):
        assert read_as_meant(normalize(said), confusions).text == said


def test_just_dry_needling_outweighs_a_drug_left_unnamed(scribe: Scribe) -> None:
    text = (
        "the left supraspinatus, infraspinatus and posterior deltoid, trigger points in all of "
        "them, good twitch, medication was injected, just dry needling, tolerated well"
    )
    assert lines(scribe.extract(text)) == [("20561", ())]


def test_just_dry_needling_leaves_a_named_drug_injected(scribe: Scribe) -> None:
    text = (
        "Trigger point injection to the R upper trapezius with 1% lidocaine 1 mL. "
        "L levator scapulae: dry needling only. Tolerated well."
    )
    assert lines(scribe.extract(text)) == [("20552", ()), ("20560", ("59",))]


def test_nothing_injected_with_a_pause_written_as_a_comma(scribe: Scribe) -> None:
    for said in ("just the needles nothing, injected", "injectate nothing, injected"):
        text = (
            "dry needled the left glute med, the piriformis and the tensor fascia lata, "
            f"{said} got twitches in the glute med, tolerated it fine"
        )
        result = scribe.extract(text)
        assert lines(result) == [("20561", ())], said
        assert result.note.injectate.status == "none_confirmed", said


def test_a_negation_reaches_only_nearby_words_in_a_sentence_no_one_writes(
    scribe: Scribe,
) -> None:
    # one recogniser "sentence" of 70 words: "without pain" does not reach the lidocaine
    text = (
        "this is the doctor dictating on a patient with right neck and shoulder blade pain, he "
        "has difficulty sleeping on his right side and can't lift his toddler without pain, exam "
        "showed trigger points with taut bands in the right upper trapezius, levator scapulae, "
        "rhomboid major and infraspinatus, after verbal consent I injected the upper trapezius "
        "and the levator with a mix of 1% lidocaine and marcaine, and then the rhomboid major "
        "and the infraspinatus I dry needled only, he tolerated everything well"
    )
    assert lines(scribe.extract(text)) == [("20552", ()), ("20560", ("59",))]


def test_reading_drug_names_heard_as_words_like_them(scribe: Scribe) -> None:
    text = (
        "trigger point injection to the right infraspinatus with bupovacane and one milliliter "
        "of kennelog, then dry needling to the right upper trapezius with no injectate"
    )
    result = scribe.extract_transcript(transcript(text))
    assert {(s.name, s.status) for s in result.note.injectate.substances} == {
        ("bupivacaine", "injected"),
        ("triamcinolone", "injected"),
    }
    assert lines(result) == [("20552", ()), ("20560", ("59",))]


def test_reading_drug_names_leaves_common_words_and_other_letters_alone(
    scribe: Scribe,
) -> None:
    # "marking" is an English word; "arcane" does not begin like "marcaine"
    text = (
        "dry needling to the right upper trapezius, marking the arcane points, no injectate, "
        "tolerated well"
    )
    assert scribe.extract_transcript(transcript(text)).note.injectate.substances == []


def test_reading_to_needled_as_the_plans_verb(scribe: Scribe) -> None:
    text = (
        "we talked through dry needling but she wasn't comfortable with it so we held off, "
        "there's a trigger point in the right piriformis, plan for next visitors to needled the "
        "right piriformis and the right gluteus maximus if she's agreeable"
    )
    result = scribe.extract_transcript(transcript(text))
    assert not [m for m in result.note.muscles if m.status == "treated"]
    assert lines(result) == []


def _treated(result: AudioExtractionResult) -> set[tuple[str, str]]:
    return {(m.name, m.laterality) for m in result.note.muscles if m.status == "treated"}


def test_reading_a_name_by_its_first_word_and_the_sound_of_the_next(scribe: Scribe) -> None:
    # the first word heard right, the next garbled but beginning as the name's second word
    # does, and only one name of that first word beginning so
    said = "dry needled the left splenius servikus and the left tensor fassiola, no injectate"
    assert _treated(scribe.extract_transcript(transcript(said))) == {
        ("splenius cervicis", "left"),
        ("tensor fasciae latae", "left"),
    }


def test_a_position_word_is_no_names_first_word(scribe: Scribe) -> None:
    # "lateral decubitus" is a position, not the lateral deltoid (a report written as one
    # paragraph is read as a recogniser's text)
    text = (
        "She was placed in the left lateral decubitus position, and the medications were "
        "administered."
    )
    assert scribe.extract(text).note.muscles == []


def test_reading_a_one_word_name_that_begins_with_the_same_sound(scribe: Scribe) -> None:
    # "ileopsoza": spelt from "ile", heard from "ili", as iliopsoas sounds
    said = "dry needling to the left ileopsoza, one needle, no injectate"
    assert _treated(scribe.extract_transcript(transcript(said))) == {("iliopsoas", "left")}


def test_an_injection_with_its_dose_was_given_whatever_the_drug_was_heard_as(
    scribe: Scribe,
) -> None:
    # "Marcaine" heard as "marking": the dose says a drug went in, so the injection is kept
    said = (
        "trigger points in the right gluteus medius and the right piriformis, I injected the "
        "gluteus medius with marking point five percent, three cc, then the piriformis was dry "
        "needled only, nothing injected there"
    )
    result = scribe.extract_transcript(transcript(said))
    assert lines(result) == [("20552", ()), ("20560", ("59",))]


def test_a_bare_injected_without_a_dose_in_a_needling_note_stays_no_injection(
    scribe: Scribe,
) -> None:
    said = (
        "dry needled the right upper trapezius, good twitch, medication was injected, just dry "
        "needling today"
    )
    assert lines(scribe.extract_transcript(transcript(said))) == [("20560", ())]


def test_a_closing_denial_reaches_back_over_a_recognisers_pause_commas(scribe: Scribe) -> None:
    # the recogniser writes a comma at each pause; they break no clause of the speaker's
    said = (
        "i needled the left gluteus medius, the left piriformis, was sore as well, but i held "
        "it this time, no injectate"
    )
    result = scribe.extract_transcript(transcript(said))
    assert {(m.name, m.status) for m in result.note.muscles} == {
        ("gluteus medius", "treated"),
        ("piriformis", "negated"),
    }


def test_a_whole_visit_denial_inside_a_run_on_takes_back_its_needling(scribe: Scribe) -> None:
    # "no dry needling today" heard without its "no", then "assessment only", then a plan
    said = (
        "trigger points in the left quadratus lumborum and the left gluteus medius, dry "
        "needling today, assessment only, we may needle the left piriformis down the road"
    )
    result = scribe.extract_transcript(transcript(said))
    assert result.coding.lines == []
    assert {(m.name, m.status) for m in result.note.muscles} >= {("piriformis", "planned")}


def test_each_before_a_name_opens_the_subject_of_the_procedure_after_it(scribe: Scribe) -> None:
    # the full stop before "each" was lost: the injection is said of the quadratus lumborum
    # only, not of the muscles named before "each" and dry needled afterwards
    said = (
        "trigger points in the quadratus lumborum on both sides. and in the right gluteus "
        "medius, gluteus minimus, each quadratus lumborum, got a trigger point, injection, one "
        "cc of lidocaine per side, the right gluteus medius, gluteus minimus, i dry needled only"
    )
    result = scribe.extract_transcript(transcript(said))
    injected = {m.name for m in result.note.muscles if "injection" in m.techniques}
    assert injected == {"quadratus lumborum"}


@pytest.mark.parametrize("spoken", [False, True])
def test_a_denial_of_the_other_side_leaves_the_muscle_needled(scribe: Scribe, spoken: bool) -> None:
    # a recogniser writes a comma at each pause, so the denial is in the muscle's clause
    text = "I dry needled the right infraspinatus, no needling today on the left."
    result = scribe.extract_transcript(transcript(text)) if spoken else scribe.extract(text)
    assert [(m.name, m.laterality, m.status) for m in result.note.muscles] == [
        ("infraspinatus", "right", "treated")
    ]
    assert [line.code for line in result.coding.lines] == ["20560"]


@pytest.mark.parametrize("tail", ["palpated, only, not needled.", "palpated, only."])
def test_palpated_only_with_a_pause_inside_it(scribe: Scribe, tail: str) -> None:
    text = (
        "today I needled the left masseter and the left temporalis, and the left lateral "
        f"pterygoid had a tender trigger point as well, but that one was {tail} no injectate"
    )
    result = scribe.extract_transcript(transcript(text))
    statuses = {m.name: m.status for m in result.note.muscles}
    assert statuses["lateral pterygoid"] == "palpated_only"
    assert lines(result) == [("20560", ())]


def test_palpated_and_then_only_a_side_stays_as_said(scribe: Scribe) -> None:
    text = "I palpated, only the left was tender, so I needled the left upper trap, no injectate"
    result = scribe.extract_transcript(transcript(text))
    assert {m.name: m.status for m in result.note.muscles} == {"upper trapezius": "treated"}


def test_a_side_taken_back_between_the_procedure_and_its_list(scribe: Scribe) -> None:
    text = (
        "So I needled on the right. Sorry, I mean the left side. The upper trapezius and the "
        "levator scapulae. No injectate. Tolerated well."
    )
    result = scribe.extract_transcript(transcript(text))
    assert {(m.name, m.laterality, m.status) for m in result.note.muscles} == {
        ("upper trapezius", "left", "treated"),
        ("levator scapulae", "left", "treated"),
    }
    assert lines(result) == [("20560", ())]


def test_an_injection_there_is_into_the_muscle_named_before(scribe: Scribe) -> None:
    text = (
        "There was an exquisitely tender trigger point in the right gluteus medius with the "
        "jump sign. So after verbal consent, I did a trigger point injection there with normal "
        "saline. She tolerated it fine."
    )
    result = scribe.extract_transcript(transcript(text))
    assert {(m.name, m.status) for m in result.note.muscles} == {("gluteus medius", "treated")}
    assert lines(result) == [("20552", ())]


@pytest.mark.parametrize(
    ("said", "name"),
    [
        ("the left super -spinatus", "supraspinatus"),
        ("the left semi -tendinosus", "semitendinosus"),
        ("the left lateral head of the gastric meanness", "lateral gastrocnemius"),
    ],
)
def test_a_name_heard_in_pieces_or_as_other_words(scribe: Scribe, said: str, name: str) -> None:
    result = scribe.extract_transcript(transcript(f"I needled {said}, no -injectate"))
    assert [(m.name, m.laterality, m.status) for m in result.note.muscles] == [
        (name, "left", "treated")
    ]
    assert lines(result) == [("20560", ())]


def test_a_pause_written_as_a_hyphen_leaves_the_words_quoted_as_heard(scribe: Scribe) -> None:
    text = "I needled the left super -spinatus, no injectate"
    result = scribe.extract_transcript(transcript(text))
    [muscle] = result.note.muscles
    assert [m.text for m in muscle.mentions] == ["super -spinatus"]


def test_consent_dated_to_the_first_visit_does_not_date_the_needling_after_it(
    scribe: Scribe,
) -> None:
    said = (
        "she says pressure over the gluteus medius is her usual ache consent signed at the "
        "first visit needled the lumbar multifidus and the gluteus medius on the left no "
        "medication injected tolerated well"
    )
    result = scribe.extract_transcript(transcript(said))
    assert {(m.name, m.status) for m in result.note.muscles} == {
        ("multifidus lumborum", "treated"),
        ("gluteus medius", "treated"),
    }


def test_a_feeling_said_at_the_end_of_a_run_on_is_not_a_complaint_of_its_list(
    scribe: Scribe,
) -> None:
    said = (
        "so today I dry needled the left infraspinatus, the left teres minor and the upper "
        "trapezius, nothing injected today, tolerated well, I let Dr. Felt know how she did"
    )
    result = scribe.extract_transcript(transcript(said))
    assert {m.name for m in result.note.muscles if m.status == "treated"} == {
        "infraspinatus",
        "teres minor",
        "upper trapezius",
    }
    # near a name, a feeling is still a complaint
    said = "her right upper trapezius felt tight all week, no needling today"
    result = scribe.extract_transcript(transcript(said))
    assert [m.status for m in result.note.muscles] != ["treated"]
