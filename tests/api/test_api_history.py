"""Session history per patient and payer: the Medicare chronic low back pain session number is
computed from the sessions this service has coded, not typed."""

from __future__ import annotations

import datetime as dt

from api_support import Api

LOW_BACK = (
    "Patient consented. Dry needling to the right lumbar multifidus and right quadratus "
    "lumborum for chronic low back pain with taut bands and twitch responses; she cannot stand "
    "to cook for more than ten minutes. Pain 7/10 before, 4/10 after. No medication injected. "
    "Tolerated well."
)
START = dt.date(2026, 1, 5)


def _session(api: Api, day: dt.date, patient: str = "MRN-7", **context: object) -> dict:
    context = {"payer": "medicare", "clbp": True, "provider": "md", "patient_ref": patient,
               "dos": day.isoformat(), **context}  # fmt: skip
    return api.create_text(LOW_BACK, **context)


def test_api_history_counts_sessions_and_adds_kx_from_the_13th(any_api: Api) -> None:
    api = any_api
    numbers, modifiers = [], []
    for week in range(14):
        body = _session(api, START + dt.timedelta(days=7 * week))
        numbers.append(body["history"]["session_number"])
        modifiers.append(body["coding"]["lines"][0]["modifiers"])
        assert body["history"]["session_number_source"] == "computed"
    assert numbers == list(range(1, 15))
    assert "KX" not in modifiers[11] and "KX" in modifiers[12] and "KX" in modifiers[13]


def test_api_history_keeps_patients_and_payers_apart(any_api: Api) -> None:
    api = any_api
    for week in range(3):
        _session(api, START + dt.timedelta(days=7 * week))
    other_patient = _session(api, START + dt.timedelta(days=30), patient="MRN-8")
    assert other_patient["history"]["session_number"] == 1
    commercial = _session(api, START + dt.timedelta(days=30), payer="commercial", clbp=False)
    assert commercial["history"]["prior_session_dates"] == []
    same = _session(api, START + dt.timedelta(days=30))
    assert same["history"]["session_number"] == 4
    assert len(same["history"]["prior_session_dates"]) == 3


def test_api_history_given_number_wins_and_window_is_checked(any_api: Api) -> None:
    api = any_api
    for day in range(13):  # 13 sessions in 13 days: over 12 in 90 days
        body = _session(api, START + dt.timedelta(days=day))
    window = [p["message"] for p in body["coding"]["prompts"] if p["id"] == "clbp-session-limit"]
    assert any("session 13 within 90 days" in m for m in window), window
    given = _session(api, START + dt.timedelta(days=20), session_number=2)
    assert given["history"]["session_number"] == 2
    assert given["history"]["session_number_source"] == "given"


def test_api_history_ignores_sessions_without_needling(any_api: Api) -> None:
    api = any_api
    api.create_text(
        "Plan to needle the lumbar multifidus next visit.",
        payer="medicare", clbp=True, patient_ref="MRN-9", dos=START.isoformat(),
    )  # fmt: skip
    body = _session(api, START + dt.timedelta(days=7), patient="MRN-9")
    assert body["history"]["prior_session_dates"] == []
    assert body["history"]["session_number"] == 1


def test_api_history_needs_a_patient_reference(api: Api) -> None:
    body = api.create_text(LOW_BACK, payer="medicare", clbp=True, provider="md")
    assert body["history"] is None
    prompts = {p["id"] for p in body["coding"]["prompts"]}
    assert any("session" in p for p in prompts), prompts
