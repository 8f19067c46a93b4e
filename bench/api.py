"""Throughput and latency of POST /v1/encounters/text, against the pipeline called in-process.

Starts `scribe serve` on a free loopback port with a fresh data folder (SQLite, WAL,
synchronous=FULL), issues a clinician key, waits for /health, warms the server up, then runs
rounds of a closed-loop load: ``--clients`` concurrent clients (asyncio + httpx, keep-alive),
each sending the next golden dictation (fixtures/golden/extraction/*.yaml, field ``text``) as
soon as its previous answer came back, until ``--seconds`` have passed or ``--requests`` were
sent. Each round reports requests/s, p50/p95/p99 latency, errors, and the CPU seconds the load
generator and the server used; the server's peak RSS (VmHWM) is read at the end.

Baseline, in the same run: ``Scribe().extract(text)`` on the same dictations, single-threaded,
in this process (after a warm-up pass). The API's throughput is printed as a ratio of it: what
the service costs on top of extraction (HTTP, auth lookup, session history, database writes,
audit, serialisation). Medians over ``--rounds``.

The load generator runs on the same machine as the server and competes with it for CPU; its own
CPU time is printed so the reader can judge how much it took.

    .venv/bin/python bench/api.py [--clients 20] [--seconds 10] [--requests N] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import itertools
import math
import os
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from api.keys import Role, issue_key  # noqa: E402
from api.persistence.database import make_engine, make_sessions, upgrade  # noqa: E402
from scribe import Scribe  # noqa: E402
from scribe.config import Settings  # noqa: E402

SCRIBE = Path(sys.executable).parent / "scribe"
GOLDEN = ROOT / "fixtures" / "golden" / "extraction"
P95_GOAL_MS = 100.0
RATIO_GOAL = 0.70


@dataclass(frozen=True)
class Round:
    """One timed round of load against the server."""

    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]
    client_cpu_s: float
    server_cpu_s: float

    @property
    def per_second(self) -> float:
        return (self.requests - self.errors) / self.seconds

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies_ms)
        if not ordered:
            return float("nan")
        rank = max(0, min(len(ordered) - 1, math.ceil(q / 100 * len(ordered)) - 1))
        return ordered[rank]


def golden_texts() -> list[str]:
    texts = []
    for path in sorted(GOLDEN.glob("*.yaml")):
        case = yaml.safe_load(path.read_text(encoding="utf-8"))
        texts.append(str(case["text"]))
    if not texts:
        raise SystemExit(f"no golden dictations in {GOLDEN}")
    return texts


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def clinician_key(settings: Settings) -> str:
    engine = make_engine(settings.resolved_database_url)
    upgrade(engine)
    with make_sessions(engine)() as session:
        issued = issue_key(session, role=Role.clinician, name="bench", organisation="bench")
        session.commit()
    engine.dispose()
    return issued.secret


def start_server(data_dir: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCRIBE_")}
    env["SCRIBE_DATA_DIR"] = str(data_dir)
    with log.open("wb") as out:
        return subprocess.Popen(
            [str(SCRIBE), "serve", "--port", str(port), "--log-level", "warning"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def wait_healthy(base_url: str, server: subprocess.Popen[bytes], log: Path) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < 60:
        if server.poll() is not None:
            raise SystemExit(f"the server exited:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            if httpx.get(f"{base_url}/health", timeout=2).status_code == 200:
                return time.perf_counter() - started
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise SystemExit("the server did not answer /health within 60 s")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGINT)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def process_cpu_s(pid: int) -> float:
    """utime + stime of a process, in seconds (/proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def own_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@dataclass(frozen=True)
class Target:
    """The running server and what a client needs to call it."""

    base_url: str
    key: str
    server_pid: int


async def load(
    target: Target, texts: list[str], *, clients: int, seconds: float, max_requests: int | None
) -> Round:
    """A closed loop: each client sends its next request when the previous one is answered."""
    cycle = itertools.cycle(texts)
    sent = 0
    errors = 0
    latencies: list[float] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    headers = {"Authorization": f"Bearer {target.key}"}
    async with httpx.AsyncClient(
        base_url=target.base_url, headers=headers, limits=limits, timeout=60
    ) as client:
        cpu_before, server_before = own_cpu_s(), process_cpu_s(target.server_pid)
        start = time.perf_counter()
        deadline = start + seconds

        async def one_client() -> None:
            nonlocal sent, errors
            while time.perf_counter() < deadline and (max_requests is None or sent < max_requests):
                sent += 1
                body = {"text": next(cycle)}
                began = time.perf_counter()
                try:
                    answer = await client.post("/v1/encounters/text", json=body)
                    ok = answer.status_code == 201
                except httpx.HTTPError:
                    ok = False
                latencies.append((time.perf_counter() - began) * 1000)
                errors += not ok

        await asyncio.gather(*(one_client() for _ in range(clients)))
        elapsed = time.perf_counter() - start
        cpu_after, server_after = own_cpu_s(), process_cpu_s(target.server_pid)
    return Round(
        sent, errors, elapsed, latencies, cpu_after - cpu_before, server_after - server_before
    )


def in_process_per_second(scribe: Scribe, texts: list[str], seconds: float) -> float:
    """Dictations per second through ``Scribe().extract`` alone, one thread."""
    done = 0
    start = time.perf_counter()
    for text in itertools.cycle(texts):
        scribe.extract(text)
        done += 1
        if done >= len(texts) and time.perf_counter() - start >= seconds:
            break
    return done / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of a round")
    parser.add_argument("--requests", type=int, default=None, help="cap on requests a round")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds (medians reported)")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of warm-up load")
    args = parser.parse_args()

    texts = golden_texts()
    cores = os.cpu_count() or 1
    print(
        f"API bench: POST /v1/encounters/text, {args.clients} clients, {args.rounds} round(s) "
        f"of {args.seconds:g} s" + (f" or {args.requests} requests" if args.requests else "")
    )
    print(
        f"{len(texts)} golden dictations; {cores} CPU core(s): the load generator runs beside "
        "the server and competes with it for CPU (its CPU time is shown)"
    )

    scribe = Scribe()
    with tempfile.TemporaryDirectory(prefix="scribe-bench-") as folder:
        data_dir = Path(folder) / "data"
        key = clinician_key(Settings(data_dir=data_dir))
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        log = Path(folder) / "server.log"
        server = start_server(data_dir, port, log)
        try:
            ready = wait_healthy(base_url, server, log)
            print(f"server up in {ready:.1f} s (pid {server.pid}, SQLite in a temp folder)")
            target = Target(base_url, key, server.pid)
            measure = functools.partial(load, target, texts, clients=args.clients)
            asyncio.run(measure(seconds=args.warmup, max_requests=None))
            for text in texts:  # warm-up of the in-process baseline
                scribe.extract(text)
            rounds: list[Round] = []
            baselines: list[float] = []
            for _ in range(args.rounds):
                rounds.append(
                    asyncio.run(measure(seconds=args.seconds, max_requests=args.requests))
                )
                # Measured between rounds, while the server is idle, so that the two do not
                # compete for CPU.
                baselines.append(in_process_per_second(scribe, texts, min(args.seconds, 5.0)))
            peak = peak_rss_mib(server.pid)
        finally:
            stop_server(server)

    print()
    header = (
        f"{'round':>5} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'errors':>6} {'sent':>6} {'client CPU':>10} {'server CPU':>10} "
        f"{'in-proc/s':>9} {'ratio':>6}"
    )
    print(header)
    print("-" * len(header))
    # CPU columns: the share of one core each process used over the round.
    for i, (r, base) in enumerate(zip(rounds, baselines, strict=True), 1):
        print(
            f"{i:>5} {r.per_second:>7.1f} {r.percentile(50):>7.1f} {r.percentile(95):>7.1f} "
            f"{r.percentile(99):>7.1f} {r.errors:>6} {r.requests:>6} "
            f"{r.client_cpu_s / r.seconds:>9.0%} {r.server_cpu_s / r.seconds:>9.0%} "
            f"{base:>9.1f} {r.per_second / base:>6.2f}"
        )
    rps = statistics.median(r.per_second for r in rounds)
    p50 = statistics.median(r.percentile(50) for r in rounds)
    p95 = statistics.median(r.percentile(95) for r in rounds)
    p99 = statistics.median(r.percentile(99) for r in rounds)
    base = statistics.median(baselines)
    ratio = rps / base
    client_cpu = statistics.median(r.client_cpu_s / r.seconds for r in rounds)
    server_cpu = statistics.median(r.server_cpu_s / r.seconds for r in rounds)
    server_ms = statistics.median(r.server_cpu_s * 1000 / max(r.requests, 1) for r in rounds)
    print()
    print("medians")
    print(f"  API throughput        {rps:8.1f} req/s   (errors: {sum(r.errors for r in rounds)})")
    print(
        f"  latency p50/p95/p99   {p50:.1f} / {p95:.1f} / {p99:.1f} ms   "
        f"goal p95 <= {P95_GOAL_MS:.0f} ms: {'met' if p95 <= P95_GOAL_MS else 'MISSED'}"
    )
    print(f"  in-process extract    {base:8.1f} texts/s (Scribe().extract, one thread)")
    print(
        f"  ratio API/in-process  {ratio:8.2f}         "
        f"goal >= {RATIO_GOAL:.2f}: {'met' if ratio >= RATIO_GOAL else 'MISSED'}"
    )
    print(f"  server CPU            {server_cpu:8.0%} of a core, {server_ms:.1f} ms CPU a request")
    print(f"  load generator CPU    {client_cpu:8.0%} of a core")
    print(f"  server peak RSS       {peak:8.0f} MiB (VmHWM)")


if __name__ == "__main__":
    main()
