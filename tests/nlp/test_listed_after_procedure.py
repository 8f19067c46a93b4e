"""A sentence of nothing but names after the sentence that names the procedure done today
(scribe/nlp/muscle_lists.py ``listed_after_its_procedure``)."""

from __future__ import annotations

from scribe import Scribe


def _treated(scribe: Scribe, text: str) -> set[str]:
    return {m.name for m in scribe.extract(text).note.muscles if m.status == "treated"}


def test_a_bare_list_after_the_procedure_is_its_list(scribe: Scribe) -> None:
    text = (
        "Dry needling note, office worker with neck pain for a month. Right upper trapezius and "
        "levator scapula. No injectate. Tolerated fine."
    )
    assert _treated(scribe, text) == {"upper trapezius", "levator scapulae"}


def test_a_bare_list_after_talk_about_the_procedure_is_not(scribe: Scribe) -> None:
    text = "Dry needling discussed today. Right upper trapezius and levator scapula."
    assert _treated(scribe, text) == set()


def test_a_bare_list_after_a_procedure_with_its_own_muscles_is_not(scribe: Scribe) -> None:
    text = "Dry needling to the left quadratus lumborum today. Right upper trapezius and levator."
    assert _treated(scribe, text) == {"quadratus lumborum"}


def test_a_bare_list_with_its_count_after_the_procedure_is_its_list(scribe: Scribe) -> None:
    result = scribe.extract(
        "Today dry needling for the right hip. The gluteus medius, the piriformis and also "
        "the TFL, three muscles total. Nothing injected."
    )
    treated = {m.name for m in result.note.muscles if m.status == "treated"}
    assert treated == {"gluteus medius", "piriformis", "tensor fasciae latae"}
    assert [(line.code, line.units) for line in result.coding.lines] == [("20561", 1)]


def test_tx_heads_the_treatment_list_and_a_semicolon_goes_on_with_it(scribe: Scribe) -> None:
    """ "Tx:" is the shorthand of "treatment:"; after a semicolon, a bare side and name go on
    with the list; a name after another treatment's words does not."""
    text = "TDN today. Tx: R glute med, piriformis; L QL. Tol well."
    assert _treated(scribe, text) == {"gluteus medius", "piriformis", "quadratus lumborum"}
    text = "TDN today. Tx: R glute med; ice to L QL."
    assert _treated(scribe, text) == {"gluteus medius"}


def test_a_list_indented_under_the_procedure_line_is_its_list(scribe: Scribe) -> None:
    text = (
        "Tx) Trigger point dry needling. Verbal consent. Nothing injected.\n"
        "    R gluteus medius, R piriformis, R TFL (3 muscles).\n"
        "    LTR x2 glute med.\n"
    )
    assert _treated(scribe, text) == {"gluteus medius", "piriformis", "tensor fasciae latae"}


def test_a_listed_muscle_said_later_to_be_palpated_only_is_palpated_only() -> None:
    """Muscles listed first and what was done to each said after: one said "palpated only,
    no needle there" is not needled, though the list's procedure took it in."""
    from scribe import Scribe

    text = (
        "Muscles for today: right ECRB, right extensor digitorum, right brachioradialis and "
        "right pronator teres. ECRB, two needles, big twitch. Extensor digitorum, one needle. "
        "Brachioradialis, palpated only, there is a trigger point but no needle there. "
        "Pronator teres, two needles. All dry needling, no injectate."
    )
    result = Scribe().extract(text)
    statuses = {m.name: m.status for m in result.note.muscles}
    assert statuses["brachioradialis"] == "palpated_only"
    assert statuses["pronator teres"] == "treated"
    assert result.coding.muscle_count == 3
