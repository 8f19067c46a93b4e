"""A procedure of another day said again for today without its verb ("Last time we needled A
and B. Today B again, plus C.")."""

from __future__ import annotations

import pytest

from scribe import Scribe

LAST_TIME = "Last time we needled the left medial gastroc and the soleus."


def statuses(scribe: Scribe, text: str) -> dict[str, str]:
    return {m.name: m.status for m in scribe.extract(text).note.muscles}


@pytest.mark.parametrize(
    "today",
    [
        "Today the soleus again, uh, plus the lateral gastroc and the peroneus longus.",
        "And this time the soleus, the lateral gastroc and the peroneus longus.",
    ],
)
def test_a_verbless_today_after_another_day_says_its_procedure_again(
    scribe: Scribe, today: str
) -> None:
    result = scribe.extract(f"{LAST_TIME} {today} No injectate.")
    assert {m.name: m.status for m in result.note.muscles} == {
        "medial gastrocnemius": "historical",
        "soleus": "treated",
        "lateral gastrocnemius": "treated",
        "fibularis longus": "treated",
    }
    assert [line.code for line in result.coding.lines] == ["20561"]
    [today_event] = [p for p in result.note.procedures if p.time == "today"]
    assert today_event.kind == "dry_needling"


@pytest.mark.parametrize(
    "today",
    [
        # about today's exam, not the needling
        "Today the soleus was tender.",
        "Today the soleus and the lateral gastroc were tender, we held off.",
        # a finding with no verb is not a list of what was done
        "Today the soleus very tender to touch.",
    ],
)
def test_a_today_sentence_with_words_of_its_own_is_not_the_procedure_again(
    scribe: Scribe, today: str
) -> None:
    got = statuses(scribe, f"{LAST_TIME} {today}")
    assert "treated" not in got.values()


def test_no_procedure_of_another_day_before_it_no_procedure_today(scribe: Scribe) -> None:
    got = statuses(scribe, "Calf cramps when running. Today the soleus and the lateral gastroc.")
    assert "treated" not in got.values()
