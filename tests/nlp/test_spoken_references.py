"""Words of a dictation that point at a muscle named elsewhere: a side said alone before the
list, a denial or a plan whose object ("that one", "it") comes before its verb or after the
name, and "the" name said again in a sentence of findings."""

from __future__ import annotations

from scribe import Scribe


def muscles(scribe: Scribe, text: str) -> dict[tuple[str, str], str]:
    return {(m.name, m.laterality): m.status for m in scribe.extract(text).note.muscles}


def test_a_side_said_alone_opens_the_list_after_the_procedure(scribe: Scribe) -> None:
    text = "TDN today. Right side. Infraspinatus, teres minor. No injectate. Tolerated."
    assert muscles(scribe, text) == {
        ("infraspinatus", "right"): "treated",
        ("teres minor", "right"): "treated",
    }


def test_a_denial_with_its_object_first_points_back(scribe: Scribe) -> None:
    text = (
        "I needled the right supraspinatus. The right infraspinatus was sore as well, but that "
        "one I didn't needle today."
    )
    assert muscles(scribe, text) == {
        ("supraspinatus", "right"): "treated",
        ("infraspinatus", "right"): "negated",
    }


def test_a_plan_said_after_the_muscle_points_back(scribe: Scribe) -> None:
    text = (
        "I needled the left soleus. The left tibialis posterior is irritable too, we'll probably "
        "needle it next week."
    )
    assert muscles(scribe, text) == {
        ("soleus", "left"): "treated",
        ("tibialis posterior", "left"): "planned",
    }


def test_the_name_said_again_with_findings_keeps_its_first_side(scribe: Scribe) -> None:
    text = (
        "I needled the levator scapulae on both sides and then the right scalenes. Got a twitch "
        "on the left levator, and the scalenes referred into his arm."
    )
    assert muscles(scribe, text) == {
        ("levator scapulae", "bilateral"): "treated",
        ("scalenes", "right"): "treated",
    }


def test_a_muscle_taken_back_as_it_is_said_is_not_needled(scribe: Scribe) -> None:
    text = (
        "Dry needling to the right soleus, hold on, scratch that, wrong chart. For this patient "
        "I dry needled the left gastrocnemius, no injectate."
    )
    assert muscles(scribe, text) == {
        ("soleus", "right"): "negated",
        ("gastrocnemius", "left"): "treated",
    }
