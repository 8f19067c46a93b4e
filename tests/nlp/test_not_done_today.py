"""A procedure the note names but says was not done today: the visit ended before it, it was
put off, it was only the plan, or the speaker says what they would have done. Each sentence
follows one that needled another muscle, so the claim must keep that one and only that one:
a muscle billed that was not needled is a false claim."""

from __future__ import annotations

import pytest

from scribe import Scribe

DONE = "Dry needling of the right upper trapezius was performed with a local twitch response."


@pytest.mark.parametrize(
    "not_done",
    [
        "He couldn't stay for the needling of the left quadratus lumborum.",
        "Patient left before the dry needling of the left quadratus lumborum.",
        "She had to leave before we could needle the left quadratus lumborum.",
        "No time for needling the left quadratus lumborum today, next visit.",
        "We ran out of time for the left quadratus lumborum.",
        "I would have needled the left quadratus lumborum but she was on anticoagulants.",
        "Left quadratus lumborum needling was postponed.",
        "Left quadratus lumborum needling was put off until her INR is checked.",
        "Dry needling of the left quadratus lumborum was planned.",
        "Dry needling of the left quadratus lumborum was planned but she had a fever, so we "
        "held it.",
        "Needling of the left quadratus lumborum was stopped before the needle went in.",
        "Plan was dry needling to the left quadratus lumborum, but she arrived late.",
        "She preferred not to have the left quadratus lumborum needled today.",
        "Needling the left quadratus lumborum would likely help; we will wait for imaging.",
        "Dry needling to the left quadratus lumborum was discussed; she will think about it.",
        "The left quadratus lumborum was assessed for needling.",
        "Dry needling of the left quadratus lumborum is recommended.",
        "Trigger point injection to the left quadratus lumborum: not indicated at this time.",
        "Hold DN to the left quadratus lumborum x 1 week post-op.",
        "Dry needling of the left quadratus lumborum: N/A today.",
        "TPI left quadratus lumborum - pending insurance authorization.",
        "Awaiting consent before dry needling the left quadratus lumborum.",
        "Left quadratus lumborum: DN attempted, aborted due to a vasovagal response.",
        "DN was attempted to the left quadratus lumborum but aborted due to dizziness.",
        "If symptoms persist, dry needling of the left quadratus lumborum may be trialed.",
        "Needling of the left quadratus lumborum was requested but not done due to time.",
        "Patient is scheduled for dry needling of the left quadratus lumborum on 12/10.",
        "Offered TPI to the left quadratus lumborum; pt declined.",
        "Offered TPI to the left quadratus lumborum. Pt declined.",
        "Offered TPI to the left quadratus lumborum today; pt deferred.",
        "Needling of the left quadratus lumborum not clinically indicated today.",
        "Needle phobia; DN to the left quadratus lumborum not attempted.",
        "RTC 1 wk for DN to the left quadratus lumborum.",
        "F/u in 2 weeks for DN to the left quadratus lumborum.",
        "Follow up next week for dry needling of the left quadratus lumborum.",
        "Referred to PT for dry needling of the left quadratus lumborum.",
        "Orders: PT referral for dry needling of the left quadratus lumborum - order placed.",
        "DN to the left quadratus lumborum: to be scheduled.",
        "Pt unable to tolerate positioning for DN to the left quadratus lumborum, so this was "
        "not done.",
        "Pt changed her mind about DN to the left quadratus lumborum.",
        "Pt reports DN to the left quadratus lumborum at outside clinic helped.",
        "Left quadratus lumborum considered for injection; not treated today.",
        "She had to go, so the left quadratus lumborum did not get needled today.",
        "Pt asked to stop before the left quadratus lumborum.",
        "Left quadratus lumborum examined, NAD, not treated.",
        "The left quadratus lumborum is sore too but she has a rash over the left flank so I held "
        "it today.",
        "Left quadratus lumborum last needled 03/02; clear on palpation today.",
        "Needling L quadratus lumborum: cancelled.",
        "Proposed: TDN L quadratus lumborum.",
        "Goals: tolerate DN to the L quadratus lumborum without vasovagal response.",
        "Pending: DN L quadratus lumborum once cleared by cardiology.",
        "Recommendation: trial of DN to L quadratus lumborum.",
        "Unable to perform DN to L quadratus lumborum due to positioning.",
        "Dry needling of L quadratus lumborum may be appropriate at a later date.",
        "Informed consent for TPI to L quadratus lumborum reviewed; pt will decide at next visit.",
        "Authorization requested for TPI to L quadratus lumborum.",
        "Discussed TPI vs DN to L quadratus lumborum; pt chose neither today.",
        "Pt arrived late; session limited to manual therapy, DN to L quadratus lumborum not "
        "completed.",
        "TDN to L quadratus lumborum attempted, pt unable to tolerate insertion, procedure "
        "aborted.",
        "Dry needling to L quadratus lumborum planned for 12/14.",
        "L quadratus lumborum DN scheduled 12/14.",
        "L quadratus lumborum also tight - will needle after her physician clears her.",
    ],
)
def test_a_procedure_not_done_today_is_not_billed(scribe: Scribe, not_done: str) -> None:
    for text in (f"{DONE} {not_done}", f"{not_done} {DONE}"):
        result = scribe.extract(text)
        statuses = {(m.name, m.laterality): m.status for m in result.note.muscles}
        assert statuses[("upper trapezius", "right")] == "treated"
        assert statuses[("quadratus lumborum", "left")] != "treated"
        assert [(line.code, line.units) for line in result.coding.lines] == [("20560", 1)]


@pytest.mark.parametrize(
    "done",
    [
        "Dry needling of the left quadratus lumborum was planned and performed.",
        "I needled the left quadratus lumborum before the right upper trapezius.",
        "There was no time lost; the left quadratus lumborum was needled.",
        "The plan was carried out: dry needling of the left quadratus lumborum.",
        "Dry needling to the left quadratus lumborum was discussed, consented and performed.",
        "The left quadratus lumborum was assessed for needling and needled with two passes.",
        "Left quadratus lumborum: DN attempted, then stopped after one pass due to pain; LTR x1.",
        "Here for follow up for DN to the left quadratus lumborum; needled today with LTR x2.",
        "Offered TPI to the left quadratus lumborum; pt agreed and tolerated it well.",
        "Referred to PT for dry needling. Dry needling of the left quadratus lumborum performed.",
    ],
)
def test_the_words_of_a_procedure_not_done_leave_one_done_billed(scribe: Scribe, done: str) -> None:
    statuses = {(m.name, m.laterality): m.status for m in scribe.extract(done).note.muscles}
    assert statuses[("quadratus lumborum", "left")] == "treated"


@pytest.mark.parametrize(
    "not_done",
    [
        "he couldn't stay for the needling of the left ql so that will be next time",
        "no time for the left ql today",
        "i would have needled the left ql too but she was short on time",
        "the left ql needling was postponed",
        "i offered her a trigger point injection for the left ql but she declined",
        "the left ql i was going to do but she had to go so it did not get needled",
        "and um i'm referring her to p t for dry needling of the left ql as well",
        "she'll follow up next week for the left ql",
        "the left ql i looked at but did not treat",
        "i considered the left ql but didn't needle it",
        "she wanted to wait on the left ql",
        "just the needles, the left ql, is tight too, but she has a game so i'll needle the left "
        "ql on monday",
        "i was also gonna do the left ql but we ran short on time",
        "and the left ql is next on my list for thursday",
        "the left ql she asked me to leave alone",
        "the left ql we're holding off on because of the rash",
        "the left ql i'm holding today because of the rash",
        "left ql was on the plan but she was too sore",
    ],
)
def test_a_procedure_not_done_in_a_run_on_transcript_is_not_billed(
    scribe: Scribe, not_done: str
) -> None:
    text = f"today i dry needled the right upper trap and got a nice twitch {not_done}"
    result = scribe.extract(text)
    statuses = {(m.name, m.laterality): m.status for m in result.note.muscles}
    assert set(statuses) == {("upper trapezius", "right"), ("quadratus lumborum", "left")}
    assert statuses[("upper trapezius", "right")] == "treated"
    assert statuses[("quadratus lumborum", "left")] in {"negated", "planned"}
    assert [(line.code, line.units) for line in result.coding.lines] == [("20560", 1)]


def test_a_procedure_aborted_with_its_reason_in_the_next_sentence_is_not_billed(
    scribe: Scribe,
) -> None:
    result = scribe.extract(
        "Left quadratus lumborum: DN attempted. Aborted due to a vasovagal response."
    )
    assert [m.status for m in result.note.muscles] == ["negated"]
    assert result.coding.lines == []


@pytest.mark.parametrize(
    "text",
    [
        "Dry needling performed: No\nMuscles: L gluteus medius, L piriformis",
        "Dry needling performed today? N\nTarget muscles: L gluteus medius, L piriformis",
        "DN: none today. Muscles assessed: L gluteus medius, L piriformis.",
        "Consent for dry needling of the left gluteus medius signed today. "
        "Treatment to begin next visit.",
        "Informed consent obtained for DN to the L gluteus medius. Pt wishes to proceed next week.",
        "Informed consent obtained for DN to the L gluteus medius; pt wishes to proceed next week.",
        "Consent for TPI to the L gluteus medius signed, pt would like to start next visit.",
    ],
)
def test_a_template_or_consent_that_says_the_procedure_is_not_today_bills_nothing(
    scribe: Scribe, text: str
) -> None:
    result = scribe.extract(text)
    assert all(m.status != "treated" for m in result.note.muscles)
    assert result.coding.lines == []


@pytest.mark.parametrize(
    "text",
    [
        "Dry needling performed: Yes\nMuscles: L gluteus medius",
        "Dry needling performed: no complications. Muscles: L gluteus medius.",
        "Informed consent obtained for DN to the L gluteus medius. Needled with 3 passes, LTR x2.",
        "DN performed to the L gluteus medius with LTR; pt wishes to proceed next week with the R.",
    ],
)
def test_a_template_or_consent_of_a_procedure_done_keeps_it_billed(
    scribe: Scribe, text: str
) -> None:
    result = scribe.extract(text)
    assert [(m.name, m.status) for m in result.note.muscles] == [("gluteus medius", "treated")]
    assert [line.code for line in result.coding.lines] == ["20560"]


def test_a_procedure_named_for_today_and_declined_sentences_later_is_not_billed(
    scribe: Scribe,
) -> None:
    result = scribe.extract(
        "He came in for trigger point injections with lidocaine into both upper trapezius "
        "muscles today. Exam shows taut bands in both. He can't look up to paint. Pain 6/10. "
        "After we talked it through he declined the injections today."
    )
    assert all(m.status != "treated" for m in result.note.muscles)
    assert result.coding.lines == []


def test_a_procedure_said_done_stays_billed_when_more_is_declined_sentences_later(
    scribe: Scribe,
) -> None:
    result = scribe.extract(
        "Trigger point injections into both upper trapezius muscles today, 1 mL lidocaine each, "
        "LTR x2. Exam shows taut bands in both. He can't look up to paint. Pain 6/10 -> 3/10. "
        "He declined further injections today."
    )
    assert [line.code for line in result.coding.lines] == ["20552"]


def test_surface_electrical_stimulation_is_no_needling(scribe: Scribe) -> None:
    result = scribe.extract(
        "E-stim 10 min: IFC to L quadratus lumborum, unattended (G0283)\n"
        "Dry needling: L gluteus medius, no injectate. Tolerated well."
    )
    treated = {m.name for m in result.note.muscles if m.status == "treated"}
    assert treated == {"gluteus medius"}


def test_cupping_is_no_acupuncture_and_leaves_the_needling_billed(scribe: Scribe) -> None:
    result = scribe.extract(
        "today i dry needled the right upper trap with a good twitch, no injectate, the left ql "
        "got some cupping instead"
    )
    statuses = {(m.name, m.laterality): m.status for m in result.note.muscles}
    assert statuses[("upper trapezius", "right")] == "treated"
    assert [line.code for line in result.coding.lines] == ["20560"]


def test_a_needle_taken_away_before_it_went_in_said_clauses_later_is_no_needling(
    scribe: Scribe,
) -> None:
    result = scribe.extract(
        "Needled the right adductor pollicis dry, no injectate. Then I went for the right "
        "opponens pollicis, had the needle on the skin, and he jerked his hand back, so I took it "
        "away before it went in and we left that one alone."
    )
    statuses = {m.name: m.status for m in result.note.muscles}
    assert statuses == {"adductor pollicis": "treated", "opponens pollicis": "negated"}


def test_a_muscle_said_to_have_settled_down_is_no_object_of_the_needling_before_it(
    scribe: Scribe,
) -> None:
    result = scribe.extract(
        "Last week we did the left QL and the left glute med, and he said the glute med really "
        "settled down, so today I went back into the left QL, no injectate."
    )
    statuses = {m.name: m.status for m in result.note.muscles}
    assert statuses["gluteus medius"] == "historical"
    assert [line.code for line in result.coding.lines] == ["20560"]


def test_an_addendum_that_says_the_injection_was_written_in_error_voids_it(
    scribe: Scribe,
) -> None:
    result = scribe.extract(
        "Procedure: TPI w/ 1% lidocaine 1 mL to R UT and R levator scapulae. LTR x2. Tol well.\n"
        "ADDENDUM: the Procedure line above was carried forward from a template in error. No "
        "lidocaine or any other substance was injected. The procedure performed was dry needling "
        "to R UT and R levator scapulae only."
    )
    assert [line.code for line in result.coding.lines] == ["20560"]
    assert result.note.injectate.status == "none_confirmed"
