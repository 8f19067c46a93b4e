"""medspaCy ConText built from lexicons/context_rules.yaml."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from spacy.language import Language
from spacy.tokens import Doc

from scribe import Scribe
from scribe.lexicons import load_lexicons
from scribe.nlp.context import context_regex_rules, context_rules
from scribe.schemas.lexicon import ContextRuleSet


def test_context_every_rule_of_the_file_is_loaded() -> None:
    lexicon = load_lexicons().context
    rules = context_rules(lexicon) + context_rules(lexicon, apart=True)
    rules += [rule for _, rule in context_regex_rules(lexicon)]
    rules += [rule for _, rule in context_regex_rules(lexicon, apart=True)]
    expected = sum(len(s.literals) + len(s.patterns) + len(s.regexes) for s in lexicon.rule_sets)
    assert len(rules) == expected
    assert {r.category for r in rules} == {s.category for s in lexicon.rule_sets}


def _negated(nlp: Language, text: str) -> dict[str, bool]:
    doc = nlp(text)
    return {
        span.text.lower(): any(m.category == "NEGATED_EXISTENCE" for m in span._.modifiers)
        for span in doc.spans["targets"]
        if span.label_ in ("FINDING", "SUBSTANCE")
    }


def test_context_an_inline_heading_ends_the_negation_before_it(nlp: Language) -> None:
    found = _negated(nlp, "No jump sign. CLINICAL HISTORY: taut band of the neck.")
    assert found == {"jump sign": True, "taut band": False}
    found = _negated(nlp, "No jump sign  Exam Findings: taut band of the neck.")
    assert found == {"jump sign": True, "taut band": False}


def test_context_a_heading_keeps_the_negation_that_answers_it(nlp: Language) -> None:
    found = _negated(nlp, "Local Twitch Response: none. Botulinum Toxin: none.")
    assert found == {"local twitch response": True, "botulinum toxin": True}


def test_context_a_heading_of_procedure_words_keeps_them(nlp: Language) -> None:
    doc = nlp("Dry Needling: right upper trapezius.")
    [muscle] = [s for s in doc.spans["targets"] if s.label_ == "MUSCLE"]
    assert {"TREATED", "NEEDLED"} & {m.category for m in muscle._.modifiers}


def test_context_negation_of_a_substance_does_not_reach_the_muscle(nlp: Language) -> None:
    doc = nlp("No lidocaine was injected into the upper trapezius.")
    categories = {
        span.label_: {m.category for m in span._.modifiers} for span in doc.spans["targets"]
    }
    assert "NEGATED_EXISTENCE" in categories["SUBSTANCE"]
    assert not categories["MUSCLE"] & {"NEGATED_EXISTENCE", "NOT_TREATED"}


def test_context_not_needled_modifies_the_muscle(nlp: Language) -> None:
    doc = nlp("Piriformis not needled today.")
    [muscle] = [s for s in doc.spans["targets"] if s.label_ == "MUSCLE"]
    assert "NOT_TREATED" in {m.category for m in muscle._.modifiers}


def test_context_modifiers_stay_in_their_sentence(nlp: Language) -> None:
    doc = nlp("Plan to needle the supraspinatus next visit. Dry needling to the infraspinatus.")
    infraspinatus = next(s for s in doc.spans["targets"] if s._.entry_id == "infraspinatus")
    assert "PLANNED" not in {m.category for m in infraspinatus._.modifiers}


def _modifier_texts(doc: Doc, category: str) -> list[str]:
    return [
        doc[m.modifier_span[0] : m.modifier_span[1]].text
        for m in doc._.context_graph.modifiers
        if m.category == category
    ]


def test_context_regular_expressions_match_whole_tokens_only(nlp: Language) -> None:
    doc = nlp("Needles at GB 21, LI4 and ST-36 near the upper trapezius.")
    assert _modifier_texts(doc, "ACUPUNCTURE") == ["GB 21", "LI4", "ST-36"]
    # the same letters inside a longer word or number are no point name
    doc = nlp("HGB21 and LI400 noted near the upper trapezius.")
    assert _modifier_texts(doc, "ACUPUNCTURE") == []


def test_context_rule_set_refuses_a_broken_regular_expression() -> None:
    with pytest.raises(ValidationError, match=r"regexes\[0\]"):
        ContextRuleSet(category="X", direction="PSEUDO", regexes=["(unclosed"])


def test_context_a_contracted_not_negates_what_follows(nlp: Language) -> None:
    found = _negated(nlp, "He didn't want any lidocaine. There wasn't a jump sign.")
    assert found == {"lidocaine": True, "jump sign": True}


def _statuses(scribe: Scribe, text: str) -> dict[str, str]:
    return {m.name: m.status for m in scribe.extract(text).note.muscles}


def test_context_a_plan_word_in_brackets_does_not_reach_past_them(scribe: Scribe) -> None:
    text = (
        "P: Dry needling (risks reviewed and written consent signed): R infraspinatus, "
        "R teres minor. No injectate. Tolerated well."
    )
    assert _statuses(scribe, text) == {"infraspinatus": "treated", "teres minor": "treated"}
    # outside brackets the plan word still plans
    planned = "Reviewed dry needling to R infraspinatus and R teres minor with the patient."
    assert set(_statuses(scribe, planned).values()) == {"planned"}


def test_context_a_rule_about_who_may_needle_reports_no_needling(scribe: Scribe) -> None:
    text = (
        "Tx: therapeutic exercise 2 units. Note: an aide may not perform dry needling; "
        "none was done today."
    )
    prompts = {p.id for p in scribe.extract(text).coding.prompts}
    assert "muscle-names-missing" not in prompts


@pytest.mark.parametrize(
    "text",
    [
        "Planned dry needling to the left gluteus medius today but he declined.",
        "Dry needling to the left gluteus medius and left piriformis again today, but the "
        "patient declined, she has a flight to catch.",
    ],
)
def test_context_a_refusal_closing_the_clause_takes_it_back(scribe: Scribe, text: str) -> None:
    assert set(_statuses(scribe, text).values()) == {"negated"}
    assert scribe.extract(text).coding.lines == []


def test_context_a_refusal_of_something_else_leaves_the_needling(scribe: Scribe) -> None:
    text = "Dry needled the left gluteus medius today but she declined the steroid injection."
    assert _statuses(scribe, text) == {"gluteus medius": "treated"}


def test_context_a_denial_after_a_list_reaches_every_name_of_it(scribe: Scribe) -> None:
    # the rule's max_scope counts words: a long list with sides still takes the whole list
    note = scribe.extract(
        "Dry needling was not done today. L UT, L levator scapulae and L rhomboid major were not "
        "needled."
    ).note
    assert {m.name: m.status for m in note.muscles} == {
        "upper trapezius": "negated",
        "levator scapulae": "negated",
        "rhomboid major": "negated",
    }


def test_context_a_singular_denial_after_a_list_keeps_its_own_reach(scribe: Scribe) -> None:
    # "was": the words before it are not all said to be palpated only
    note = scribe.extract(
        "I needled the left infraspinatus, the left teres minor and the left posterior deltoid "
        "was palpated only, no injectate"
    ).note
    statuses = {m.name: m.status for m in note.muscles}
    assert statuses["infraspinatus"] == "treated"
    assert statuses["posterior deltoid"] == "palpated_only"


@pytest.mark.parametrize(
    "text",
    [
        "I dry needled the R supraspinatus and R infraspinatus, the R teres minor was not needled.",
        "DN to the R supraspinatus and R infraspinatus today; the R teres minor wasn't needled.",
        "Needled R supraspinatus, R infraspinatus, the R teres minor was not treated.",
    ],
)
def test_context_a_singular_denial_after_a_clause_is_said_of_its_own_subject(
    scribe: Scribe, text: str
) -> None:
    # the comma parts the subject of "was not needled" from the clause of the needling
    statuses = {m.name: m.status for m in scribe.extract(text).note.muscles}
    assert statuses == {
        "supraspinatus": "treated",
        "infraspinatus": "treated",
        "teres minor": "negated",
    }


def test_context_a_singular_denial_after_a_bare_list_is_said_of_the_list(
    scribe: Scribe,
) -> None:
    note = scribe.extract("DN to the R UT. L UT, L levator was not needled.").note
    assert {(m.name, m.laterality): m.status for m in note.muscles} == {
        ("upper trapezius", "right"): "treated",
        ("upper trapezius", "left"): "negated",
        ("levator scapulae", "left"): "negated",
    }


def test_context_a_status_in_brackets_after_a_name_is_said_of_that_name(scribe: Scribe) -> None:
    note = scribe.extract("DN to the L QL and L glute med (deferred). No injectate.").note
    assert {m.name: m.status for m in note.muscles} == {
        "quadratus lumborum": "treated",
        "gluteus medius": "negated",
    }


def test_context_a_denial_in_brackets_with_its_own_object_stays_inside(scribe: Scribe) -> None:
    injectate = scribe.extract(
        "TPI to the L QL, 0.5 mL sterile saline (she declined lidocaine)."
    ).note.injectate
    assert {s.name: s.status for s in injectate.substances} == {
        "normal saline": "injected",
        "lidocaine": "negated",
    }


def test_context_a_denied_drug_does_not_deny_the_findings_after_it(scribe: Scribe) -> None:
    rationale = scribe.extract(
        "The right teres minor and the posterior deltoid I dry needled, no injectate into "
        "those, good twitch responses."
    ).note.rationale
    assert [(f.kind, f.negated) for f in rationale.findings] == [("local_twitch_response", False)]


def test_context_a_list_of_denied_drugs_stays_denied(scribe: Scribe) -> None:
    substances = scribe.extract(
        "No lidocaine, steroid or saline was injected. Dry needling to the R UT."
    ).note.injectate.substances
    assert {s.status for s in substances} == {"negated"}


def test_context_a_scope_bound_must_name_a_rule_category() -> None:
    lexicon = load_lexicons().context
    data = lexicon.model_dump()
    data["list_bound"] = ["NOT_TREATD"]
    with pytest.raises(ValidationError, match="list_bound names no rule category: NOT_TREATD"):
        type(lexicon).model_validate(data)


@pytest.mark.parametrize(
    "text",
    [
        "DN to R UT but L UT was not needled today.",
        "DN to R UT only, L UT was not needled today.",
        "TDN R UT only; L UT held today.",
    ],
)
def test_context_a_denial_after_a_terminator_does_not_reach_back_past_it(
    scribe: Scribe, text: str
) -> None:
    statuses = {(m.name, m.laterality): m.status for m in scribe.extract(text).note.muscles}
    assert statuses == {
        ("upper trapezius", "right"): "treated",
        ("upper trapezius", "left"): "negated",
    }


def test_context_a_denial_right_after_the_terminator_is_about_the_clause_before(
    scribe: Scribe,
) -> None:
    note = scribe.extract(
        "L masseter: TrP, needled. L lateral pterygoid: likely involved; not needled."
    ).note
    assert {m.name: m.status for m in note.muscles} == {
        "masseter": "treated",
        "lateral pterygoid": "negated",
    }


def test_context_only_after_the_last_name_restricts_it_and_the_clause_goes_on(
    scribe: Scribe,
) -> None:
    note = scribe.extract(
        "Left flexor carpi ulnaris only, one muscle, three needles. Nothing injected."
    ).note
    assert {m.name: m.status for m in note.muscles} == {"flexor carpi ulnaris": "treated"}


@pytest.mark.parametrize(
    "denial",
    [
        "No needling was performed to the right gluteus medius.",
        "No dry needling performed on R glute med.",
        "Dry needling was not performed to the right gluteus medius.",
        "TDN was not done on the R gluteus medius.",
    ],
)
def test_what_a_denied_needling_is_said_of_is_not_needled(scribe: Scribe, denial: str) -> None:
    """ "was performed to" after "no needling" belongs to the denial: the muscle after it is
    not needled, even after a needling of another muscle the sentence before."""
    result = scribe.extract(f"DN to the L piriformis with LTR. {denial}")
    statuses = {(m.name, m.laterality): m.status for m in result.note.muscles}
    assert statuses == {("piriformis", "left"): "treated", ("gluteus medius", "right"): "negated"}


def test_a_refusal_of_two_procedures_joined_by_and_covers_both(scribe: Scribe) -> None:
    """ "declined injections and needling of the L QL": the second procedure's name belongs to
    the refusal, so it does not make the muscle after it treated."""
    result = scribe.extract(
        "DN to the R piriformis with LTR. He declined injections and needling of the L QL."
    )
    statuses = {(m.name, m.laterality): m.status for m in result.note.muscles}
    assert statuses == {
        ("piriformis", "right"): "treated",
        ("quadratus lumborum", "left"): "negated",
    }


@pytest.mark.parametrize(
    "said",
    [
        "No treatment to the L gluteus medius.",
        "L gluteus medius needling was cancelled.",
        "Instead of needling the L gluteus medius we did soft tissue work.",
        "L gluteus medius treated with manual therapy only.",
        "Needling of the L gluteus medius was stopped, before any needle was placed.",
    ],
)
def test_a_muscle_said_not_needled_in_outside_words_is_not_billed(
    scribe: Scribe, said: str
) -> None:
    _glute_med_not_billed(scribe, said)


def _glute_med_not_billed(scribe: Scribe, said: str) -> None:
    """After two muscles needled, the gluteus medius said of in ``said`` is not billed."""
    result = scribe.extract(f"TDN to L piriformis and L QL, LTR, tolerated well. {said}")
    statuses = {m.name: m.status for m in result.note.muscles}
    assert statuses.get("gluteus medius") != "treated"
    assert [line.code for line in result.coding.lines] == ["20560"]


@pytest.mark.parametrize(
    "said",
    [
        "Her massage therapist worked on the L gluteus medius.",
        "The L gluteus medius was treated by her chiropractor.",
        "L gluteus medius stretched post needling.",
    ],
)
def test_another_clinicians_care_or_treatment_is_not_our_needling(
    scribe: Scribe, said: str
) -> None:
    _glute_med_not_billed(scribe, said)


def test_the_notes_own_chiropractor_still_needles(scribe: Scribe) -> None:
    text = "Chiropractor: Dr. Ames. TDN to L piriformis, L QL and L gluteus medius, LTR."
    assert [line.code for line in scribe.extract(text).coding.lines] == ["20561"]


@pytest.mark.parametrize(
    "course",
    [
        "Order: DN to L glute med, L piriformis, L QL x 6 visits.",
        "Authorization: TDN L glute med, L piriformis, L QL approved for 8 visits.",
        "Educated pt on DN to L glute med, L piriformis and L QL.",
    ],
)
def test_an_order_an_authorization_or_education_is_no_needling_today(
    scribe: Scribe, course: str
) -> None:
    result = scribe.extract(f"{course} Today: TDN L TFL only, LTR, tolerated well.")
    treated = {m.name for m in result.note.muscles if m.status == "treated"}
    assert treated == {"tensor fasciae latae"}


@pytest.mark.parametrize(
    "then",
    [", plus soft tissue work to the ITB", ", then STM to the ITB", " and myofascial release"],
)
def test_another_treatment_after_the_needled_list_takes_no_muscle_out(
    scribe: Scribe, then: str
) -> None:
    # a treatment that opens a new item after the list does not treat the names before it
    result = scribe.extract(
        f"Dry needled the L gluteus medius, L piriformis and L TFL{then}. No injectate."
    )
    assert {m.name for m in result.note.muscles if m.status == "treated"} == {
        "gluteus medius",
        "piriformis",
        "tensor fasciae latae",
    }


def test_another_treatment_said_right_after_a_name_is_that_name_s(scribe: Scribe) -> None:
    result = scribe.extract(
        "Dry needled the L gluteus medius, L piriformis stretched. No injectate."
    )
    assert {m.name for m in result.note.muscles if m.status == "treated"} == {"gluteus medius"}


@pytest.mark.parametrize("hands_on", ["holding pressure on", "sustained pressure to"])
def test_pressure_held_on_a_muscle_is_no_needling(scribe: Scribe, hands_on: str) -> None:
    result = scribe.extract(f"Dry needled the right QL, then {hands_on} the left QL for 90 s.")
    assert {(m.name, m.laterality) for m in result.note.muscles if m.status == "treated"} == {
        ("quadratus lumborum", "right")
    }
    assert [(line.code, line.units) for line in result.coding.lines] == [("20560", 1)]
