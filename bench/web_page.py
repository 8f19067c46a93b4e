"""Server time of the web app's encounter page for a 2-minute dictation (goal: < 200 ms).

Builds the app in-process (TestClient) on a fresh SQLite database, signs a clinician in, and
makes two encounters: a recording of about two minutes (the demo dictation three times over,
transcribed by the local speech model like any upload) and a typed dictation of the same length.
Each page is then read ``--reads`` times; the server's own time (its ``Server-Timing`` header:
loading, audit write, parsing the stored note, highlighting and rendering) and the time seen by
the client are printed as medians and 95th percentiles. Baseline in the same run: the API's
``GET /v1/encounters/{id}`` JSON of the same encounter, for the same caller's organisation.

    .venv/bin/python bench/web_page.py [--reads 30]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
import wave
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "web"))

from fastapi.testclient import TestClient  # noqa: E402
from web_support import Browserless, make_users  # noqa: E402

from api.app import create_app  # noqa: E402
from api.keys import Role, issue_key  # noqa: E402
from api.persistence.database import make_engine, make_sessions  # noqa: E402
from scribe import Scribe  # noqa: E402
from scribe.asr.audio import load_audio  # noqa: E402
from scribe.config import Settings  # noqa: E402

DEMO = REPO / "fixtures" / "demo"
TIMING = re.compile(r"dur=([0-9.]+)")


def two_minute_wav(folder: Path) -> Path:
    samples = load_audio(DEMO / "dictation.flac", max_seconds=120)
    pause = np.zeros(8000, dtype=np.float32)
    joined = np.concatenate([samples, pause, samples, pause, samples])
    path = folder / "two-minutes.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16_000)
        out.writeframes((np.clip(joined, -1, 1) * 32767).astype("<i2").tobytes())
    return path


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(
    web: Browserless, path: str, reads: int, headers: dict[str, str] | None = None
) -> tuple[list[float], list[float]]:
    server, client = [], []
    for _ in range(reads):
        started = time.perf_counter()
        answer = web.client.get(path, headers=headers or {})
        client.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200, answer.status_code
        found = TIMING.search(answer.headers.get("server-timing", ""))
        if found:
            server.append(float(found.group(1)))
    return server, client


def report(label: str, values: list[float]) -> None:
    print(
        f"  {label:<34} median {statistics.median(values):7.1f} ms   "
        f"p95 {percentile(values, 0.95):7.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reads", type=int, default=30)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="scribe-web-bench-"))
    settings = Settings(
        data_dir=folder / "data",
        database_url=f"sqlite:///{folder / 'w.db'}",
        audio_retention_hours=1.0,
    )
    make_users(settings.resolved_database_url)
    engine = make_engine(settings.resolved_database_url)
    with make_sessions(engine)() as session:
        key = issue_key(session, role=Role.integration, name="bench", organisation="clinic-1")
        session.commit()
    engine.dispose()
    with TestClient(create_app(settings, scribe=Scribe())) as client:
        web = Browserless(client)
        web.sign_in("lee")
        wav = two_minute_wav(folder)
        with wav.open("rb") as audio:
            answer = client.post(
                "/encounters",
                data={"csrf_token": web.csrf(), "source": "audio"},
                files={"file": ("r.wav", audio, "audio/wav")},
                follow_redirects=False,
            )
        audio_id = answer.headers["location"].rsplit("/", 1)[-1]
        started = time.monotonic()
        while (
            client.get(f"/encounters/{audio_id}/status").json()["status"] not in ("ready", "failed")
            and time.monotonic() - started < 600
        ):
            time.sleep(1)
        text = client.get(
            f"/v1/encounters/{audio_id}", headers={"Authorization": f"Bearer {key.secret}"}
        ).json()["text"]
        print(
            f"recording: {len(text.split())} words transcribed in "
            f"{time.monotonic() - started:.0f} s"
        )
        typed = " ".join([(DEMO / "dictation.txt").read_text()] * 3)
        typed_id = web.paste(typed, payer="commercial")
        print(f"typed: {len(typed.split())} words; {args.reads} reads each\n")
        api_headers = {"Authorization": f"Bearer {key.secret}"}
        for label, encounter_id in (
            ("2-minute recording", audio_id),
            ("typed, same length", typed_id),
        ):
            server, seen = measure(web, f"/encounters/{encounter_id}", args.reads)
            _, baseline = measure(web, f"/v1/encounters/{encounter_id}", args.reads, api_headers)
            print(label)
            report("page, server time (goal < 200 ms)", server)
            report("page, as the client saw it", seen)
            report("API JSON of it, as seen (baseline)", baseline)
            print(
                f"  ratio page/API (client-seen medians): "
                f"{statistics.median(seen) / statistics.median(baseline):.2f}"
            )


if __name__ == "__main__":
    main()
