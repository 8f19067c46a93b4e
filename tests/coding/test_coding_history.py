"""Session history: limits are checked, not only recalled, when earlier dates are given."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from scribe.coding import BillingRules, code
from scribe.schemas.context import EncounterContext
from scribe.schemas.note import Note

NoteBuilder = Callable[[Mapping[str, Any]], Note]
TWO = {"muscles": ["right quadratus-lumborum", "right gluteus-medius"]}
DAY = dt.date(2026, 3, 30)


def _weekly(count: int, *, last: dt.date = DAY - dt.timedelta(days=7)) -> list[dt.date]:
    return [last - dt.timedelta(days=7 * i) for i in range(count)]


def _clbp(prior: list[dt.date], session: int | None = None) -> EncounterContext:
    return EncounterContext(
        payer="medicare", clbp=True, provider="md", dos=DAY, session_number=session,
        prior_session_dates=prior,
    )  # fmt: skip


def test_history_session_number_comes_from_earlier_dates(
    build_note: NoteBuilder, rules: BillingRules
) -> None:
    result = code(build_note(TWO), _clbp(_weekly(12)), rules=rules)
    assert [line.modifiers for line in result.lines] == [["KX"]]
    assert "kx-required" in {p.id for p in result.prompts}


def test_history_twelve_weeks_of_sessions_exceed_the_90_day_window(
    build_note: NoteBuilder, rules: BillingRules
) -> None:
    result = code(build_note(TWO), _clbp(_weekly(12)), rules=rules)
    window = [p for p in result.prompts if "within 90 days" in p.message]
    assert window and window[0].id == "clbp-session-limit"


def test_history_over_twenty_sessions_a_year_is_not_covered(
    build_note: NoteBuilder, rules: BillingRules
) -> None:
    result = code(build_note(TWO), _clbp(_weekly(20)), rules=rules)
    assert result.lines == []
    assert {"clbp-session-limit"} <= {p.id for p in result.prompts if p.severity == "error"}


def test_history_sessions_older_than_a_year_do_not_count(
    build_note: NoteBuilder, rules: BillingRules
) -> None:
    old = _weekly(25, last=DAY - dt.timedelta(days=400))
    result = code(build_note(TWO), _clbp(old), rules=rules)
    assert [line.modifiers for line in result.lines] == [[]]


def test_history_stated_session_number_wins_over_the_count(
    build_note: NoteBuilder, rules: BillingRules
) -> None:
    result = code(build_note(TWO), _clbp(_weekly(2), session=14), rules=rules)
    assert [line.modifiers for line in result.lines] == [["KX"]]


def test_history_payer_frequency_limit_is_checked(
    build_note: NoteBuilder, rules_with: Callable[..., BillingRules]
) -> None:
    rules = rules_with("examples/practice-payer-policy.yaml")
    context = EncounterContext(payer="commercial", dos=DAY, prior_session_dates=_weekly(4))
    prompts = code(build_note(TWO), context, rules=rules).prompts
    assert [p.severity for p in prompts if p.id == "payer-frequency-limit"] == ["error"]
    within = EncounterContext(payer="commercial", dos=DAY, prior_session_dates=_weekly(2))
    prompts = code(build_note(TWO), within, rules=rules).prompts
    assert "payer-frequency-limit" not in {p.id for p in prompts}
