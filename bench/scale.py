"""Scale-out throughput on this machine: recordings per minute with 1 and 2 worker processes, the
queue wait at a given arrival rate, and `scribe batch` notes per second against in-process
``Scribe.extract_many``.

Starts a throwaway PostgreSQL (.ci/postgres) and Redis (.ci/redis) on this machine, `scribe
serve` on a loopback port and `scribe worker` processes, each worker with a data folder of its
own. Recordings are the spoken dictations in fixtures/audio (12-20 s each), uploaded through the
API; times come from the database (the upload's ``created_at``, the job's ``job.start`` and
``job.complete`` audit events), so polling does not enter them.

1. Throughput: ``--recordings`` uploaded at once; recordings per minute from the first upload to
   the last job's end, with one worker process (``--concurrency 1``) and with two (``--concurrency
   2``, each then given half the cores). The ratio says what a second process on the same cores
   buys; on more cores or more hosts, workers add up (see docs/scaling.md).
2. Queue wait: two worker processes, one recording every ``60 / --rate`` seconds; the wait is
   ``job.start`` minus the upload, its median and maximum.
3. Batch: the golden typed dictations through `scribe batch --local` (a process pool, process
   start and pipeline load included) and through the workers (`scribe batch` with the broker),
   against ``Scribe().extract_many`` in this process (pipeline built before the clock starts).

Medians over ``--rounds``. Every wait is bounded.

    .venv/bin/python bench/scale.py [--rounds 3] [--recordings 8] [--rate 6] [--arrivals 8]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "api"))

import httpx  # noqa: E402
from scale_support import Redis, Worker, reset_postgres  # noqa: E402
from served import Server  # noqa: E402
from sqlalchemy import select  # noqa: E402

from api.keys import Role, issue_key  # noqa: E402
from api.persistence.database import as_utc, make_engine, make_sessions, upgrade  # noqa: E402
from api.persistence.tables import AuditEvent, Encounter  # noqa: E402
from scribe import Scribe  # noqa: E402
from scribe.evaluation.golden import load_cases  # noqa: E402

AUDIO = ROOT / "fixtures" / "audio"
DICTATIONS = sorted(AUDIO.glob("[01][0-9]-*.flac"))
SCRIBE = Path(sys.executable).parent / "scribe"
WAIT_SECONDS = 900.0


def golden_texts() -> list[str]:
    """The golden typed dictations (as bench/extract_speed.py reads them)."""
    texts: list[str] = []
    for name in ("extraction", "heldout", "blind", "fresh", "notes"):
        path = ROOT / "fixtures" / "golden" / name
        if path.is_dir():
            texts += [case.text for case in load_cases(path)]
    return texts


class Bench:
    """PostgreSQL, Redis and the API for the whole run; workers started per measurement."""

    def __init__(self, folder: Path, database_url: str) -> None:
        self.folder = folder
        self.database_url = database_url
        self.redis = Redis(folder / "redis")
        self.redis.start()
        reset_postgres(database_url)
        env = {k: v for k, v in os.environ.items() if not k.startswith("SCRIBE_")}
        env.update(SCRIBE_BROKER_URL=self.redis.url, SCRIBE_DATABASE_URL=database_url)
        self.env = env
        engine = make_engine(database_url)
        upgrade(engine)
        with make_sessions(engine)() as session:
            key = issue_key(session, role=Role.clinician, name="bench", organisation="b").secret
            session.commit()
        self.engine = engine
        self.headers = {"Authorization": f"Bearer {key}"}
        self.api = Server(env={**env, "SCRIBE_DATA_DIR": str(folder / "api")},
                          log_path=folder / "api.log")  # fmt: skip
        self.api.start()
        self.client = httpx.Client(base_url=self.api.base_url, timeout=60)

    def workers(self, name: str, concurrency: int) -> Worker:
        worker = Worker(name, self.env, self.folder / name, concurrency=concurrency)
        worker.start()
        return worker

    def upload(self, path: Path) -> str:
        upload = {"file": (path.name, path.read_bytes(), "audio/flac")}
        answer = self.client.post("/v1/encounters/audio", headers=self.headers, files=upload)
        answer.raise_for_status()
        encounter_id: str = answer.json()["id"]
        return encounter_id

    def wait(self, ids: list[str]) -> None:
        deadline = time.monotonic() + WAIT_SECONDS
        with make_sessions(self.engine)() as session:
            while time.monotonic() < deadline:
                statuses = session.scalars(select(Encounter.status).where(Encounter.id.in_(ids)))
                done = [s for s in statuses if s in ("ready", "failed")]
                if len(done) == len(ids):
                    if any(s == "failed" for s in done):
                        raise SystemExit("a recording failed: see the worker logs")
                    return
                session.rollback()
                time.sleep(0.2)
        raise SystemExit(f"recordings not done within {WAIT_SECONDS:.0f} s")

    def times(self, ids: list[str]) -> dict[str, dict[str, float]]:
        """Per encounter: upload, job.start (the last), job.complete, as epoch seconds."""
        found: dict[str, dict[str, float]] = {}
        with make_sessions(self.engine)() as session:
            for row in session.execute(
                select(Encounter.id, Encounter.created_at).where(Encounter.id.in_(ids))
            ):
                found[row.id] = {"upload": as_utc(row.created_at).timestamp()}
            events = session.execute(
                select(AuditEvent.encounter_id, AuditEvent.action, AuditEvent.at)
                .where(AuditEvent.encounter_id.in_(ids))
                .where(AuditEvent.action.in_(("job.start", "job.complete")))
                .order_by(AuditEvent.seq)
            )
            for event in events:
                found[event.encounter_id][event.action] = as_utc(event.at).timestamp()
        return found

    def close(self) -> None:
        self.client.close()
        self.api.kill()
        self.redis.stop()
        self.engine.dispose()


def durations() -> dict[str, float]:
    """Seconds of audio of each fixture recording (fixtures/audio/manifest.json)."""
    manifest = json.loads((AUDIO / "manifest.json").read_text(encoding="utf-8"))
    return {i["file"]: float(i["duration_s"]) for i in manifest["files"] if i.get("duration_s")}


def throughput(bench: Bench, concurrency: int, count: int) -> tuple[float, float]:
    """Recordings per minute with one `scribe worker --concurrency N` on this machine, and
    seconds of audio done per second of wall time (the inverse of the real-time factor of the
    whole host)."""
    worker = bench.workers(f"tp{concurrency}-{time.monotonic_ns()}", concurrency)
    try:
        files = [DICTATIONS[i % len(DICTATIONS)] for i in range(count)]
        ids = [bench.upload(path) for path in files]
        bench.wait(ids)
    finally:
        worker.kill()
    times = bench.times(ids).values()
    span = max(t["job.complete"] for t in times) - min(t["upload"] for t in times)
    seconds = durations()
    audio = sum(seconds[path.name] for path in files)
    return count * 60 / span, audio / span


def queue_wait(bench: Bench, rate_per_minute: float, count: int) -> list[float]:
    """Seconds from upload to the job's start, recordings arriving at a fixed rate."""
    worker = bench.workers(f"qw-{time.monotonic_ns()}", 2)
    try:
        ids, start = [], time.monotonic()
        for n in range(count):
            time.sleep(max(0.0, start + n * 60 / rate_per_minute - time.monotonic()))
            ids.append(bench.upload(DICTATIONS[n % len(DICTATIONS)]))
        bench.wait(ids)
    finally:
        worker.kill()
    return [t["job.start"] - t["upload"] for t in bench.times(ids).values()]


def batch_rates(bench: Bench, texts: list[str], folder: Path) -> dict[str, float]:
    """Notes per second: `scribe batch` (local pool, and the workers) and extract_many."""
    paths = []
    for n, text in enumerate(texts):
        path = folder / f"{n:04d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    rates = {}
    for label, extra, env in (
        ("batch --local", ["--local"], bench.env),
        ("batch via workers", [], bench.env),
    ):
        start = time.perf_counter()
        subprocess.run([str(SCRIBE), "batch", *paths, "--out", str(folder / "out.jsonl"),
                        *extra], env=env, check=True, timeout=WAIT_SECONDS,
                       capture_output=True)  # fmt: skip
        rates[label] = len(texts) / (time.perf_counter() - start)
    return rates


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--recordings", type=int, default=8)
    parser.add_argument("--rate", type=float, default=6.0, help="arrivals per minute")
    parser.add_argument("--arrivals", type=int, default=8)
    parser.add_argument("--texts", type=int, default=200)
    args = parser.parse_args()
    pg_folder = tempfile.mkdtemp(prefix="scribe-scale-pg-")
    os.chmod(pg_folder, 0o755)
    pg = subprocess.run([str(ROOT / ".ci" / "postgres"), "start", pg_folder],
                        capture_output=True, text=True, check=True, timeout=120)  # fmt: skip
    folder = Path(tempfile.mkdtemp(prefix="scribe-scale-bench-"))
    try:
        run(args, Bench(folder, pg.stdout.strip()), folder)
    finally:
        subprocess.run([str(ROOT / ".ci" / "postgres"), "stop", pg_folder],
                       capture_output=True, check=False, timeout=120)  # fmt: skip


def run(args: argparse.Namespace, bench: Bench, folder: Path) -> None:
    texts = (golden_texts() * 10)[: args.texts]
    scribe = Scribe()
    tp: dict[int, list[float]] = {1: [], 2: []}
    speed: dict[int, list[float]] = {1: [], 2: []}
    waits: list[float] = []
    batch: dict[str, list[float]] = {}
    try:
        for round_ in range(args.rounds):
            for concurrency in (1, 2):
                per_minute, audio_per_second = throughput(bench, concurrency, args.recordings)
                tp[concurrency].append(per_minute)
                speed[concurrency].append(audio_per_second)
            waits += queue_wait(bench, args.rate, args.arrivals)
            start = time.perf_counter()
            scribe.extract_many(texts)
            batch.setdefault("extract_many (in-process)", []).append(
                len(texts) / (time.perf_counter() - start)
            )
            worker = bench.workers(f"batch-{round_}", 2)
            try:
                for label, rate in batch_rates(bench, texts, folder).items():
                    batch.setdefault(label, []).append(rate)
            finally:
                worker.kill()
            print(f"round {round_ + 1}: 1 process {tp[1][-1]:.1f}/min, 2 processes "
                  f"{tp[2][-1]:.1f}/min", flush=True)  # fmt: skip
    finally:
        bench.close()
    one, two = statistics.median(tp[1]), statistics.median(tp[2])
    print(f"\n{os.cpu_count()} cores; {args.recordings} recordings of 12-20 s per measurement, "
          f"medians over {args.rounds} rounds")  # fmt: skip
    print(f"recordings/min, 1 worker process:  {one:.1f}")
    print(f"recordings/min, 2 worker processes: {two:.1f}   ratio {two / one:.2f}")
    for n in (1, 2):
        host = statistics.median(speed[n])
        cores = os.cpu_count() or 1
        print(
            f"audio s per wall s, {n} process(es): {host:.2f} (real-time factor of the host "
            f"{1 / host:.3f}; core-seconds per audio second {cores / host:.3f})"
        )
    waits.sort()
    print(f"queue wait at {args.rate:g}/min, 2 processes: median {statistics.median(waits):.1f} s,"
          f" max {waits[-1]:.1f} s ({len(waits)} recordings)")  # fmt: skip
    base = statistics.median(batch["extract_many (in-process)"])
    for label, rates in batch.items():
        rate = statistics.median(rates)
        print(f"{label:28} {rate:7.1f} notes/s   ratio {rate / base:.2f}")


if __name__ == "__main__":
    main()
