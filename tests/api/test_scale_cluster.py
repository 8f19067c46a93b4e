"""The scale-out mode for real: Redis, PostgreSQL, the API (`scribe serve`) and two `scribe
worker` processes, each process with a data folder of its own, so nothing can travel through
a shared disk. Every wait is bounded in time and count; servers listen on 127.0.0.1 only."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
import time
import wave
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
from scale_support import Redis, Worker, reset_postgres
from served import Server
from sqlalchemy import func, select, text

from api.encounters import with_recording_prompts
from api.keys import Role, issue_key
from api.persistence.database import make_engine, make_sessions, upgrade
from api.persistence.tables import AuditEvent, Encounter, RecordingChunk
from api.schemas import EncounterContextIn
from scribe import Scribe
from scribe.asr.audio import load_audio
from scribe.schemas.context import EncounterContext

AUDIO = Path(__file__).resolve().parents[2] / "fixtures" / "audio"
DICTATIONS = sorted(AUDIO.glob("[01][0-9]-*.flac"))  # the 14 spoken dictations
# Redis hands a dead worker's job out again after this long: longer than any job here runs
VISIBILITY_SECONDS = 30
WAIT_SECONDS = 300.0
POLL_SECONDS = 0.3
CLIP_SECONDS = 7
SCRIBE = Path(sys.executable).parent / "scribe"
TYPED = "Dry needling to the left upper trapezius and levator scapulae. No injectate."


@dataclass
class Cluster:
    api: Server
    workers: list[Worker]
    redis: Redis
    database_url: str
    clinician: dict[str, str]
    admin: dict[str, str]
    client: httpx.Client
    env: dict[str, str]  # what every host is given: the broker and the database

    def upload(self, name: str, data: bytes) -> str:
        answer = self.client.post("/v1/encounters/audio", headers=self.clinician,
                                  files={"file": (name, data, "audio/flac")})  # fmt: skip
        assert answer.status_code == 202, answer.text
        encounter_id: str = answer.json()["id"]
        return encounter_id

    def read(self, encounter_id: str) -> dict[str, Any]:
        body: dict[str, Any] = self.client.get(
            f"/v1/encounters/{encounter_id}", headers=self.clinician
        ).json()
        return body

    def wait_ready(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        """Wait until every job ended (watched in the database: polling the API would audit
        every read and take the cores the workers need), then read each through the API."""
        finished: dict[str, str] = {}
        deadline = time.monotonic() + WAIT_SECONDS
        engine = make_engine(self.database_url)
        try:
            for _ in range(int(WAIT_SECONDS / POLL_SECONDS)):
                with engine.connect() as connection:
                    rows = connection.execute(
                        select(Encounter.id, Encounter.status).where(Encounter.id.in_(ids))
                    )
                    finished = {r.id: r.status for r in rows if r.status in ("ready", "failed")}
                if len(finished) == len(ids) or time.monotonic() > deadline:
                    break
                time.sleep(POLL_SECONDS)
        finally:
            engine.dispose()
        assert len(finished) == len(ids), f"{len(ids) - len(finished)} not done:\n{self.logs()}"
        done = {encounter_id: self.read(encounter_id) for encounter_id in ids}
        for body in done.values():
            assert body["status"] == "ready", body["failure_reason"]
        return done

    def jobs(self, encounter_id: str) -> list[dict[str, Any]]:
        """The job's audit events, oldest first, read from the database (the audit API audits
        each of its reads: asking it for 20 encounters would take the workers' cores)."""
        engine = make_engine(self.database_url)
        try:
            with engine.connect() as connection:
                rows = connection.execute(
                    select(AuditEvent.action, AuditEvent.detail)
                    .where(AuditEvent.encounter_id == encounter_id)
                    .where(AuditEvent.action.in_(("job.start", "job.complete", "job.fail")))
                    .order_by(AuditEvent.seq)
                ).all()
        finally:
            engine.dispose()
        return [{"action": r.action, "detail": r.detail} for r in rows]

    def revisions(self, encounter_id: str) -> list[dict[str, Any]]:
        answer = self.client.get(f"/v1/encounters/{encounter_id}/revisions",
                                 headers=self.clinician)  # fmt: skip
        items: list[dict[str, Any]] = answer.json()["items"]
        return items

    def logs(self) -> str:
        return "\n".join([self.api.log(), *(w.log() for w in self.workers)])


@pytest.fixture(scope="module")
def cluster(
    postgres_url: str | None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Cluster]:
    if postgres_url is None:
        pytest.skip("no PostgreSQL server here (CI starts one: SCRIBE_REQUIRE_POSTGRES=1)")
    folder = tmp_path_factory.mktemp("cluster")
    redis = Redis(folder / "redis")
    redis.start()
    reset_postgres(postgres_url)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCRIBE_")}
    env.update(SCRIBE_BROKER_URL=redis.url, SCRIBE_DATABASE_URL=postgres_url,
               SCRIBE_BROKER_VISIBILITY_TIMEOUT_SECONDS=str(VISIBILITY_SECONDS),
               OMP_NUM_THREADS="1")  # each worker plays a host of one core  # fmt: skip
    api = Server(env={**env, "SCRIBE_DATA_DIR": str(folder / "api")},
                 log_path=folder / "api.log")  # fmt: skip
    workers = [Worker(f"w{n}@test", env, folder / f"worker{n}") for n in (1, 2)]
    try:
        keys = _issue_keys(postgres_url)
        api.start()
        for worker in workers:
            worker.launch()
        for worker in workers:
            worker.wait_ready()
        with httpx.Client(base_url=api.base_url, timeout=60) as client:
            yield Cluster(api, workers, redis, postgres_url,
                          {"Authorization": f"Bearer {keys['clinician']}"},
                          {"Authorization": f"Bearer {keys['admin']}"}, client, env)  # fmt: skip
    finally:
        for worker in workers:
            worker.kill()
        api.kill()
        redis.stop()


def _issue_keys(database_url: str) -> dict[str, str]:
    engine = make_engine(database_url)
    upgrade(engine)
    with make_sessions(engine)() as session:
        keys = {
            role.value: issue_key(
                session, role=role, name=role.value, organisation="clinic-1"
            ).secret
            for role in (Role.clinician, Role.admin)
        }
        session.commit()
    engine.dispose()
    return keys


def _in_process(scribe: Scribe, path: Path, day: dt.date) -> dict[str, Any]:
    """What the service stores for a recording, extracted here: same context, same prompts."""
    given = EncounterContextIn(dos=day)
    result = scribe.extract_audio(
        path, EncounterContext(**given.model_dump(exclude={"patient_ref"}))
    )
    coding = with_recording_prompts(result.coding, result.transcript)
    return {
        "transcript": result.transcript.model_dump(mode="json"),
        "note": result.note.model_dump(mode="json"),
        "coding": coding.model_dump(mode="json"),
    }


def _chunks_left(database_url: str) -> int:
    engine = make_engine(database_url)
    with engine.connect() as connection:
        count = connection.execute(select(func.count()).select_from(RecordingChunk)).scalar()
    engine.dispose()
    return count or 0


def test_scale_twenty_recordings_each_transcribed_once_as_in_process(
    cluster: Cluster, scribe: Scribe, tmp_path: Path
) -> None:
    # five dictations cut to their first seconds (muscles, sides and counts come first), four
    # times each: each result is compared with its extraction in this process
    clips = []
    for source in DICTATIONS[:5]:
        clip = tmp_path / f"{source.stem}.wav"
        clip.write_bytes(_wav(load_audio(source, max_seconds=60)[: CLIP_SECONDS * 16_000]))
        clips.append(clip)
    files = clips * 4
    assert len(files) == 20
    ids = [cluster.upload(path.name, path.read_bytes()) for path in files]
    done = cluster.wait_ready(ids)
    expected: dict[Path, dict[str, Any]] = {}
    workers_used = set()
    for encounter_id, path in zip(ids, files, strict=True):
        body = done[encounter_id]
        day = dt.date.fromisoformat(body["date_of_service"])
        if path not in expected:
            expected[path] = _in_process(scribe, path, day)
        for part in ("transcript", "note", "coding"):
            assert body[part] == expected[path][part], f"{path.name}: {part} differs"
        jobs = cluster.jobs(encounter_id)
        assert [j["action"] for j in jobs] == ["job.start", "job.complete"]
        workers_used.add(jobs[0]["detail"])
        revisions = cluster.revisions(encounter_id)
        assert [r["kind"] for r in revisions] == ["extraction"]
    assert workers_used == {"worker w1@test", "worker w2@test"}  # both hosts took jobs
    assert sum(len(e["note"]["muscles"]) for e in expected.values()) >= 5
    # the recordings went with their jobs, and no process kept one on its own disk
    assert _chunks_left(cluster.database_url) == 0
    for worker in cluster.workers:
        scratch = worker.folder / "data" / "scratch"
        assert not scratch.exists() or list(scratch.iterdir()) == []
        assert not (worker.folder / "data" / "audio").exists()
    assert list((Path(cluster.api.env["SCRIBE_DATA_DIR"]) / "incoming").iterdir()) == []


def test_scale_broker_restarted_mid_run_loses_nothing(cluster: Cluster) -> None:
    before = [cluster.upload(p.name, p.read_bytes()) for p in DICTATIONS[:6]]
    cluster.redis.stop()  # jobs queued and running: the queue is in Redis' append-only file
    cluster.redis.start()
    after = [cluster.upload(p.name, p.read_bytes()) for p in DICTATIONS[6:8]]
    ids = before + after
    cluster.wait_ready(ids)
    for encounter_id in ids:
        actions = [j["action"] for j in cluster.jobs(encounter_id)]
        # a job whose acknowledgement was lost may be delivered again: it then changes nothing
        assert actions.count("job.complete") == 1 and "job.fail" not in actions
        assert [r["kind"] for r in cluster.revisions(encounter_id)] == ["extraction"]
    assert _chunks_left(cluster.database_url) == 0


def _long_recording(seconds: float) -> bytes:
    """The dictations one after another, as one WAV recording of about ``seconds``."""
    parts, total = [], 0.0
    for path in DICTATIONS:
        samples = load_audio(path, max_seconds=60)
        parts.append(samples)
        total += len(samples) / 16_000
        if total >= seconds:
            break
    return _wav(np.concatenate(parts))


def _wav(samples: np.ndarray[Any, Any]) -> bytes:
    """16 kHz mono samples as WAV bytes."""
    pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2").tobytes()
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(16_000)
        wav.writeframes(pcm)
    return out.getvalue()


def test_scale_worker_killed_mid_job_the_other_one_finishes_it(cluster: Cluster) -> None:
    encounter_id = cluster.upload("long.wav", _long_recording(50))
    started = None
    engine = make_engine(cluster.database_url)
    try:  # watched in the database, then seen through the API
        for _ in range(int(WAIT_SECONDS / POLL_SECONDS)):
            with engine.connect() as connection:
                row = connection.execute(
                    select(Encounter.status, Encounter.progress, Encounter.claimed_by).where(
                        Encounter.id == encounter_id
                    )
                ).one()
            assert row.status not in ("ready", "failed"), "the job ended before the kill"
            if row.status == "transcribing" and row.progress > 0 and row.claimed_by:
                started = row.claimed_by.split(" ")[0]  # the run: worker name and task id
                break
            time.sleep(POLL_SECONDS)
    finally:
        engine.dispose()
    assert started is not None, cluster.logs()
    assert cluster.read(encounter_id)["progress"] > 0  # progress reaches the API
    victim = next(w for w in cluster.workers if started == w.name)
    survivor = next(w for w in cluster.workers if w is not victim)
    victim.kill()
    body = cluster.wait_ready([encounter_id])[encounter_id]
    assert body["transcript"]["text"]
    jobs = cluster.jobs(encounter_id)
    starts = [j["detail"] for j in jobs if j["action"] == "job.start"]
    assert starts[0] == f"worker {victim.name}", f"{jobs}\n{cluster.logs()}"
    assert starts[-1].startswith(f"worker {survivor.name}")
    completes = [j for j in cluster.jobs(encounter_id) if j["action"] == "job.complete"]
    assert len(completes) == 1
    assert [r["kind"] for r in cluster.revisions(encounter_id)] == ["extraction"]
    engine = make_engine(cluster.database_url)
    with engine.connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM recording_chunks")).scalar()
    engine.dispose()
    assert count == 0


def test_scale_batch_fans_out_to_the_workers_in_input_order(
    cluster: Cluster, scribe: Scribe, tmp_path: Path
) -> None:
    """`scribe batch` with a broker: inputs sent by content (the workers have their own
    folders), results back in input order, a missing file a line saying why."""
    typed = tmp_path / "typed.txt"
    typed.write_text(TYPED, encoding="utf-8")
    recording = DICTATIONS[1]
    inputs = [typed, tmp_path / "MRN-123-missing.txt", recording, typed]
    out = tmp_path / "results.jsonl"
    env = {**cluster.env, "SCRIBE_DATA_DIR": str(tmp_path / "batch")}
    # a date of service given: the rules are taken at it, on the workers and here alike,
    # whatever the clock says (a run across midnight gave two days)
    day = dt.date(2026, 3, 2)
    command = [str(SCRIBE), "batch", *map(str, inputs), "--out", str(out), "--dos", day.isoformat()]
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=WAIT_SECONDS, check=False
    )
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["index"] for line in lines] == [0, 1, 2, 3]
    assert [line["ok"] for line in lines] == [True, False, True, True]
    assert "does not exist" in lines[1]["error"] and "MRN" not in lines[1]["error"]
    context = EncounterContext(dos=day)
    typed_expected = scribe.extract(TYPED, context).model_dump(mode="json")
    audio_expected = scribe.extract_audio(recording, context).model_dump(mode="json")
    for line, expected in ((lines[0], typed_expected), (lines[2], audio_expected),
                           (lines[3], typed_expected)):  # fmt: skip
        for part in ("note", "coding"):
            assert line[part] == expected[part]
    assert lines[2]["kind"] == "audio" and lines[2]["transcript"] == audio_expected["transcript"]
    assert "4 inputs: 3 extracted, 1 failed" in done.stderr
