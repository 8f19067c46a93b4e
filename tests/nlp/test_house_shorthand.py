"""Shorthand of other houses: the action word of a name shortened ("ext digitorum"), the next
treatment as "Rx" or "tx", "Tol. well", and an addendum's "omitted in error"."""

from __future__ import annotations

import pytest
from helpers import claim_lines, muscle_statuses

from scribe import Scribe


@pytest.mark.parametrize(
    ("short", "name"),
    [
        ("ext digitorum", "extensor digitorum"),
        ("ext. pollicis longus", "extensor pollicis longus"),
        ("flex carpi ulnaris", "flexor carpi ulnaris"),
        ("flex. digitorum superficialis", "flexor digitorum superficialis"),
    ],
)
def test_a_shortened_action_word_names_the_muscle(scribe: Scribe, short: str, name: str) -> None:
    text = f"TDN L {short} x2 needles, no injectate."
    assert muscle_statuses(scribe, text) == {(name, "left"): "treated"}


@pytest.mark.parametrize("next_one", ["next Rx", "next tx", "next treatment"])
def test_the_next_treatment_plans_its_muscle(scribe: Scribe, next_one: str) -> None:
    text = f"DN: L glut med x2 needles. Nil injectate.\n?L piriformis {next_one}."
    assert muscle_statuses(scribe, text) == {
        ("gluteus medius", "left"): "treated",
        ("piriformis", "left"): "planned",
    }
    assert claim_lines(scribe, text) == {("20560", ())}


def test_tol_with_a_full_stop_is_tolerance(scribe: Scribe) -> None:
    rationale = scribe.extract("DN L glut med x2. Nil injectate. Tol. well. NAD post.").note
    assert rationale.rationale.tolerance is not None
    assert rationale.rationale.tolerance.text.startswith("Tol. well")


@pytest.mark.parametrize(
    "late_entry",
    [
        "Late entry for today's visit, omitted in error: R abductor hallucis was also needled "
        "this session.",
        "Addendum: the R abductor hallucis was also dry needled today; this was omitted from the "
        "original note.",
    ],
)
def test_an_addendum_adds_what_the_note_left_out(scribe: Scribe, late_entry: str) -> None:
    text = f"Tx: TDN R soleus, no injectate.\n\n{late_entry}"
    assert muscle_statuses(scribe, text) == {
        ("soleus", "right"): "treated",
        ("abductor hallucis", "right"): "treated",
    }
    assert claim_lines(scribe, text) == {("20560", ())}


def test_a_muscle_omitted_today_is_still_not_needled(scribe: Scribe) -> None:
    text = "Dry needling to the R QL, no injectate. The R glute med was omitted today (bruising)."
    assert muscle_statuses(scribe, text) == {
        ("quadratus lumborum", "right"): "treated",
        ("gluteus medius", "right"): "negated",
    }
