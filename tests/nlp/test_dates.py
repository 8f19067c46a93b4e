"""Dates of another day than the note's date of service put a procedure line in the past."""

from __future__ import annotations

import pytest

from scribe import Scribe
from scribe.nlp.dates import days_in


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("TDN performed 02/11 to R ECRB", [(2, 11)]),
        ("last on 10/3", [(10, 3)]),
        ("Date: 03/19/2026", [(3, 19)]),
        ("2026-03-19", [(3, 19)]),
        ("pain 5/10 -> 2/10, strength 4/5", []),  # scores, not dates
        ("02/30 and 13/01", []),  # no such day
    ],
)
def test_dates_written_as_dates_only(text: str, days: list[tuple[int, int]]) -> None:
    assert [day for day, _, _ in days_in(text)] == days


def _codes(scribe: Scribe, text: str) -> list[str]:
    return [line.code for line in scribe.extract(text).coding.lines]


def test_dates_a_procedure_dated_another_day_is_past(scribe: Scribe) -> None:
    text = (
        "PT Daily Note   DOS 02/18/2026\n"
        "Assessment (02/11): TDN performed 02/11 to R ECRB and R supinator with good LTR.\n"
        "Treatment 02/18: TDN R ECRB and R brachioradialis. No injectate. Tolerated well.\n"
    )
    assert _codes(scribe, text) == ["20560"]


def test_dates_need_a_date_of_service(scribe: Scribe) -> None:
    text = "TDN performed 02/11 to R ECRB, R supinator and R brachioradialis. No injectate."
    assert _codes(scribe, text) == ["20561"]


def test_dates_of_other_things_do_not_date_the_procedure(scribe: Scribe) -> None:
    text = (
        "DOS: 12/03/2026\n"
        "TrP dry needling (consent on file 11/05/26) to R ECRB, R ECRL and R supinator. "
        "No injectate.\n"
    )
    assert _codes(scribe, text) == ["20561"]


def test_dates_a_needling_log_of_earlier_visits_is_not_billed(scribe: Scribe) -> None:
    text = (
        "Date: 03/19/2026\n"
        "Needling log\n"
        "01/22  L fibularis longus  needled, LTR\n"
        "01/29  L tibialis posterior  needled, LTR x2\n"
        "Today: DN L soleus. No substance injected. Tolerated well.\n"
    )
    assert _codes(scribe, text) == ["20560"]
    statuses = {m.name: m.status for m in scribe.extract(text).note.muscles}
    assert statuses["fibularis longus"] == "historical"


def test_dates_an_onset_date_is_no_date_of_service(scribe: Scribe) -> None:
    text = (
        "Onset date: 01/02/2026\n"
        "Treatment 03/19/2026: TDN R ECRB, R supinator and R brachioradialis. No injectate.\n"
    )
    assert _codes(scribe, text) == ["20561"]


def test_dates_a_date_of_an_earlier_session_in_brackets_does_not_date_today(
    scribe: Scribe,
) -> None:
    text = (
        "DOS 02/18/2026\n"
        "TDN to R ECRB, R supinator and R brachioradialis (see note of 02/11) "
        "with good LTR. No injectate.\n"
    )
    assert _codes(scribe, text) == ["20561"]


def test_dates_a_needling_log_row_of_another_day_is_past(scribe: Scribe) -> None:
    text = (
        "Daily note   DOS 09/15/2026\n"
        "NEEDLING LOG\n"
        "| Date       | Muscles needled              |\n"
        "| 08/25/2026 | L gluteus medius, L piriformis |\n"
        "| 09/01/2026 | L piriformis, L QL             |\n"
        "Today: DN L gluteus medius only, 2 needles. No injectate. Tolerated well.\n"
    )
    assert _codes(scribe, text) == ["20560"]
    result = scribe.extract(text)
    treated = {m.name for m in result.note.muscles if m.status == "treated"}
    assert treated == {"gluteus medius"}


def test_dates_a_day_past_the_tenth_leading_a_line_is_a_date() -> None:
    assert [day for day, _, _ in days_in("  10/14 DN R supinator")] == [(10, 14)]
    assert [day for day, _, _ in days_in("pain 7/10\n4/5 strength")] == []
    assert [day for day, _, _ in days_in("Visit 3 of 12, 10/14 DN")] == []


def test_dates_a_summary_s_final_visit_is_the_date_of_service(scribe: Scribe) -> None:
    text = (
        "Discharge summary\n"
        "Treatment over the episode:\n"
        "  10/06 DN R gastrocnemius, R soleus\n"
        "  10/20 DN R soleus, R tibialis posterior\n"
        "Final visit 11/03/2026: dry needling R soleus, 2 needles, no injectate. Tolerated.\n"
    )
    result = scribe.extract(text)
    treated = {m.name for m in result.note.muscles if m.status == "treated"}
    assert treated == {"soleus"}


def test_dates_a_late_entry_names_the_encounter_it_documents(scribe: Scribe) -> None:
    # the first date is the day the entry was written; the encounter's follows "for ... on"
    text = (
        "Addendum written 04/03/2031 for office visit on 04/02/2031.\n"
        "Sore after TDN to the L infraspinatus on 03/28/2031\n"
        "(L teres minor, L rhomboid major). Exercises updated.\n"
    )
    result = scribe.extract(text)
    # the list on the next line shares the time of the procedure it goes on from
    assert {(m.name, m.status) for m in result.note.muscles} == {
        ("infraspinatus", "historical"),
        ("teres minor", "historical"),
        ("rhomboid major", "historical"),
    }
    assert result.coding.lines == []


def test_dates_a_date_after_today_is_the_date_of_service(scribe: Scribe) -> None:
    text = (
        "Needling log\n"
        "11/02/2030  L infraspinatus  3 needles  LTR\n"
        "11/09/2030  L teres minor    2 needles  LTR\n"
        "Today 11/09/2030: tolerated well, no injectate.\n"
    )
    result = scribe.extract(text)
    assert {(m.name, m.status) for m in result.note.muscles} == {
        ("infraspinatus", "historical"),
        ("teres minor", "treated"),
    }


def test_dates_a_service_date_after_other_words_on_its_line_is_the_service_day(
    scribe: Scribe,
) -> None:
    # (the "EVALUATION" of the line's title is not the label of the date)
    text = (
        "PROGRESS NOTE / RE-EVALUATION (Visit 8)          DOS: 03/03/2026\n"
        "| Date             | Muscles needled          | Injectate |\n"
        "|------------------|--------------------------|-----------|\n"
        "| 02/10/2026       | R glute med, R QL        | none      |\n"
        "| 03/03/2026 today | R QL, L QL               | none      |\n"
        "Tol well.\n"
    )
    statuses = {(m.name, m.laterality): m.status for m in scribe.extract(text).note.muscles}
    assert statuses[("gluteus medius", "right")] == "historical"
    assert _codes(scribe, text) == ["20560"]
