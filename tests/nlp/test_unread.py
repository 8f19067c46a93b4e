"""Items of a list of needled muscles that name no muscle the lexicon knows
(scribe/nlp/unread.py): the note lists them and the claim gets a prompt, instead of a count
cut short in silence."""

from __future__ import annotations

import pytest

from scribe import Scribe


def test_an_unread_item_of_a_needling_list_is_reported(scribe: Scribe) -> None:
    result = scribe.extract("TDN today: R glute med, pirif x2, GM; R QL. Tol well.")
    assert [item.text for item in result.note.unread_names] == ["pirif x2", "GM"]
    prompts = [p for p in result.coding.prompts if p.id == "muscle-name-unread"]
    assert len(prompts) == 1
    assert [e.text for e in prompts[0].evidence] == ["pirif x2", "GM"]


@pytest.mark.parametrize(
    "text",
    [
        "TDN today: R glute med, piriformis, tolerated well, good response.",
        "DN to R UT, L UT, HEP reviewed, 2 needles each.",
        "DN to R UT and L UT with LTR, after negative aspiration, pincer grasp used.",
        # no muscle needled: nothing to report
        "TDN planned next visit: R glute med, pirif.",
    ],
)
def test_prose_and_known_words_are_not_reported(scribe: Scribe, text: str) -> None:
    result = scribe.extract(text)
    assert result.note.unread_names == []
    assert "muscle-name-unread" not in [p.id for p in result.coding.prompts]
