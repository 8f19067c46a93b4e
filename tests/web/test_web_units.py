"""The web app's parts on their own: highlighting, diffs, QA figures, gold cases, audio ranges,
and the command line's users and eval."""

from __future__ import annotations

import datetime as dt
import io
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from starlette.requests import Request
from typer.testing import CliRunner

from api.cli import app
from api.gold import case_of, score
from api.keys import Role
from api.persistence.database import make_engine, make_sessions, upgrade
from api.persistence.tables import User
from api.web.accounts import AccountError, SignInError, create_user, sign_in
from api.web.audio import audio_response
from api.web.diffs import line_changes, note_changes
from api.web.highlight import highlight
from api.web.qa import bar_chart
from api.web.settings import WebSettings
from scribe import Scribe
from scribe.config import get_settings
from scribe.schemas.transcript import Segment, Transcript, Word

REPO = Path(__file__).resolve().parents[2]
DEMO = (REPO / "fixtures" / "demo" / "dictation.txt").read_text(encoding="utf-8")


def test_web_highlight_marks_every_fact_with_its_status(scribe: Scribe) -> None:
    result = scribe.extract(DEMO)
    page = highlight(DEMO, result.note, result.coding)
    html = str(page.html)
    assert html.count("st-treated") >= 3 and "st-negated" in html and "st-planned" in html
    assert "k-inj" in html and "k-find" in html and "k-pain" in html and "k-rom" in html
    # the text itself is unchanged: only tags were added
    assert page.html.striptags().replace(" ", "") == DEMO.replace(" ", "").replace("\n", "")


def test_web_highlight_keeps_words_times_low_confidence_and_escapes() -> None:
    text = "Dry <needling> right"
    words = [
        Word(text="Dry", start=0.0, end=0.4, probability=0.9, char_start=0, char_end=3),
        Word(text="<needling>", start=0.4, end=1.0, probability=0.2, char_start=4, char_end=14),
        Word(text="right", start=1.0, end=1.3, probability=0.95, char_start=15, char_end=20),
    ]
    transcript = Transcript(
        text=text,
        language="en",
        duration=1.3,
        model="t",
        segments=[
            Segment(
                start=0,
                end=1.3,
                text=text,
                char_start=0,
                char_end=20,
                avg_logprob=-0.1,
                no_speech_prob=0.01,
                words=words,
            )
        ],
    )
    html = str(highlight(text, None, None, transcript, low_confidence=0.5).html)
    assert 'data-s="0.40"' in html and "&lt;needling&gt;" in html and "<needling>" not in html
    assert html.count(" lc") == 1 and "recognition unsure (20%)" in html


def test_web_diffs_name_what_changed(scribe: Scribe) -> None:
    before = scribe.extract(DEMO)
    after = scribe.extract(
        DEMO.replace(", levator scapulae and rhomboid major", " and levator scapulae")
    )
    changes = note_changes(before.note, after.note)
    assert any(c.kind == "removed" and c.what == "rhomboid major (right)" for c in changes)
    lines = line_changes(before.coding, after.coding)
    assert lines and lines[0].before == "20561" and lines[0].after == "20560"


def test_web_bar_chart_is_svg_with_its_numbers() -> None:
    svg = str(
        bar_chart("Share", [("2026-01", 0.5), ("2026-02", 0.25)], percent=True, band=(0.4, 0.6))
    )
    assert svg.startswith("<svg") and "50%" in svg and "25%" in svg and 'class="band"' in svg


def test_web_accounts_refuse_weak_or_odd_input(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'u.db'}")
    upgrade(engine)
    with make_sessions(engine)() as session:
        for bad in ({"password": "short"}, {"username": "x"}, {"role": Role.integration}):
            fields = {
                "username": "ann",
                "name": "Ann",
                "role": Role.clinician,
                "organisation": "o",
                "password": "long enough password",
                **bad,
            }
            with pytest.raises(AccountError) as refused:
                create_user(session, **fields)  # type: ignore[arg-type]
            assert "long enough" not in str(refused.value) and "short" not in str(refused.value)
        user = create_user(
            session,
            username="Ann",
            name="Ann",
            role=Role.clinician,
            organisation="o",
            password="long enough password",
        )
        assert user.username == "ann" and "long enough" not in user.password_hash
        assert user.password_hash.startswith("$argon2id$")
        with pytest.raises(SignInError):
            sign_in(session, "ann", "wrong password!!", WebSettings())
        token, signed = sign_in(session, " ANN ", "long enough password", WebSettings())
        assert signed.principal.holder_id == user.holder_id and len(token) > 30
    engine.dispose()


def _wav(path: Path, seconds: float = 1.0) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16_000)
        out.writeframes(b"\x10\x00" * int(16_000 * seconds))
    return path


def test_web_audio_is_served_as_wav_with_byte_ranges(tmp_path: Path) -> None:
    path = _wav(tmp_path / "a.wav")

    def ask(range_header: str | None) -> tuple[int, bytes, dict[str, str]]:
        headers = [(b"range", range_header.encode())] if range_header else []
        request = Request({"type": "http", "method": "GET", "path": "/", "headers": headers})
        answer = audio_response(request, path, max_seconds=60)
        return answer.status_code, bytes(answer.body), dict(answer.headers)

    status, whole, _ = ask(None)
    assert status == 200 and whole[:4] == b"RIFF"
    with wave.open(io.BytesIO(whole)) as decoded:
        assert decoded.getnframes() == 16_000
    status, part, headers = ask("bytes=100-199")
    assert status == 206 and part == whole[100:200]
    assert headers["content-range"] == f"bytes 100-199/{len(whole)}"
    assert ask(f"bytes={len(whole) + 5}-")[0] == 416
    path = tmp_path / "gone.wav"
    assert ask(None)[0] == 404


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("SCRIBE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("SCRIBE_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_web_cli_create_user_reads_the_password_and_stores_a_hash(data_dir: Path) -> None:
    runner = CliRunner()
    made = runner.invoke(
        app,
        [
            "admin",
            "create-user",
            "--username",
            "lee",
            "--name",
            "Dr Lee",
            "--role",
            "clinician",
            "--org",
            "clinic-1",
            "--password-stdin",
        ],
        input="a long enough secret\n",
    )
    assert made.exit_code == 0, made.output
    assert "a long enough secret" not in made.output
    short = runner.invoke(
        app,
        [
            "admin",
            "create-user",
            "--username",
            "kim",
            "--name",
            "K",
            "--role",
            "clinician",
            "--password-stdin",
        ],
        input="short\n",
    )
    assert short.exit_code == 2 and "short" not in short.output.replace("shorter", "")
    engine = make_engine(f"sqlite:///{data_dir / 'scribe.db'}")
    with make_sessions(engine)() as session:
        users = session.query(User).all()
        assert [u.username for u in users] == ["lee"]
        assert users[0].password_hash.startswith("$argon2id$")
    engine.dispose()
    assert runner.invoke(app, ["admin", "disable-user", "lee"]).exit_code == 0
    assert runner.invoke(app, ["admin", "disable-user", "nobody"]).exit_code == 2


def test_web_cli_eval_from_service_scores_signed_off_encounters(
    data_dir: Path, scribe: Scribe, fast_scribe: None
) -> None:
    from api.audit import Caller
    from api.encounters import apply_result, new_row
    from api.keys import Principal
    from api.persistence.database import utcnow
    from api.schemas import EncounterContextIn
    from scribe.corrections import apply_corrections
    from scribe.schemas.corrections import RemoveMuscle

    engine = make_engine(f"sqlite:///{data_dir / 'scribe.db'}")
    upgrade(engine)
    with make_sessions(engine)() as session:
        user = create_user(
            session,
            username="lee",
            name="Dr Lee",
            role=Role.clinician,
            organisation="clinic-1",
            password="a long enough secret",
        )
        caller = Caller(
            Principal(user.id, user.holder_id, "Dr Lee", Role.clinician, "clinic-1"), None
        )
        row, _ = new_row(
            caller,
            source="text",
            status="ready",
            context=EncounterContextIn(payer="commercial", dos=dt.date(2026, 3, 2)),
        )
        row.text, row.version, row.progress = DEMO, 1, 1.0
        extracted = scribe.extract(DEMO)
        corrected = apply_corrections(
            extracted.note,
            [RemoveMuscle(op="remove_muscle", muscle="rhomboid major", laterality="right")],
            lexicons=scribe.lexicons,
        )
        apply_result(row, corrected, scribe.recode(corrected, None))
        row.signed_off_at, row.signed_off_by = utcnow(), "Rita"
        session.add(row)
        session.commit()
        case = case_of(row)
    engine.dispose()
    assert [line["code"] for line in case.expect["lines"]] == ["20560"]
    scores = score(scribe, [case])
    assert scores.cases == 1 and scores.failures[row.id] == ["lines", "muscle_count", "muscles"]

    out = data_dir / "gold"
    answer = CliRunner().invoke(app, ["eval", "--from-service", "--out", str(out)])
    assert answer.exit_code == 0, answer.output
    assert "signed-off encounters: 1; every field right: 0" in answer.stdout
    written = yaml.safe_load((out / f"{row.id}.yaml").read_text(encoding="utf-8"))
    assert written["text"] == DEMO and written["expect"]["muscle_count"] == 2
    assert oct((out / f"{row.id}.yaml").stat().st_mode & 0o777) == oct(0o600)
    assert CliRunner().invoke(app, ["eval"]).exit_code == 2
