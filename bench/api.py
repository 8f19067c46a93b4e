"""Throughput and latency of POST /v1/encounters/text, against the pipeline called in-process.

Starts `scribe serve --workers N` on a free loopback port with a fresh data folder (SQLite, WAL,
synchronous=FULL; or the PostgreSQL database given), issues a clinician key, waits for /health,
warms the server up, then runs rounds of a closed-loop load: ``--clients`` concurrent clients
(asyncio, raw HTTP/1.1 keep-alive), each sending the next golden dictation
(fixtures/golden/extraction/*.yaml, field ``text``) as soon as its previous answer came back,
until ``--seconds`` have passed or ``--requests`` were sent. Each round reports requests/s,
p50/p95/p99 latency, errors, and the CPU seconds the load generator and the server used; the
server's peak RSS (VmHWM) is read at the end.

Baseline, in the same run: ``Scribe().extract(text)`` on the same dictations, single-threaded,
in this process (after a warm-up pass). The API's throughput is printed as a ratio of it: what
the service costs on top of extraction (HTTP, auth lookup, session history, database writes,
audit, serialisation). Medians over ``--rounds``.

The load generator runs on the same machine as the server and competes with it for CPU: it is a
minimal HTTP/1.1 client (requests encoded once, answers parsed no further than their length),
and its own CPU time is printed so the reader can judge how much it took. Server CPU and peak RSS
add up the server's processes (its workers included).

    .venv/bin/python bench/api.py [--clients 20] [--workers 2] [--seconds 10] [--requests N]
        [--rounds 3] [--database-url postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import itertools
import json
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


def start_server(settings: Settings, port: int, workers: int, log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCRIBE_")}
    env["SCRIBE_DATA_DIR"] = str(settings.data_dir)
    if settings.database_url:
        env["SCRIBE_DATABASE_URL"] = settings.database_url
    with log.open("wb") as out:
        return subprocess.Popen(
            [
                str(SCRIBE),
                "serve",
                "--port",
                str(port),
                "--workers",
                str(workers),
                "--log-level",
                "warning",
            ],
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


def server_processes(pid: int) -> list[int]:
    """The server and its worker processes (children, recursively)."""
    found = [pid]
    for parent in found:
        children = Path(f"/proc/{parent}/task/{parent}/children")
        if children.exists():
            found.extend(int(child) for child in children.read_text().split())
    return found


def server_cpu_s(pid: int) -> float:
    total = 0.0
    for process in server_processes(pid):
        with contextlib.suppress(FileNotFoundError):  # a worker that exited meanwhile
            total += process_cpu_s(process)
    return total


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


class Connection:
    """A minimal keep-alive HTTP/1.1 client over one socket. The load generator shares the CPU
    with the server, so it must cost as little as possible per request: requests are encoded
    once up front and only the status line and Content-Length of an answer are parsed."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, host: str, port: int) -> Connection:
        reader, writer = await asyncio.open_connection(host, port)
        return cls(reader, writer)

    async def send(self, request: bytes) -> int:
        """Send one encoded request; return the answer's status code (body read and dropped)."""
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        length = 0
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        if length:
            await self.reader.readexactly(length)
        return status

    async def close(self) -> None:
        self.writer.close()
        await self.writer.wait_closed()


def encode_requests(target: Target, texts: list[str]) -> list[bytes]:
    """One POST /v1/encounters/text per dictation, as bytes on the wire."""
    host = target.base_url.removeprefix("http://")
    encoded = []
    for text in texts:
        body = json.dumps({"text": text}).encode()
        head = (
            f"POST /v1/encounters/text HTTP/1.1\r\nHost: {host}\r\n"
            f"Authorization: Bearer {target.key}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        encoded.append(head.encode() + body)
    return encoded


async def load(
    target: Target, texts: list[str], *, clients: int, seconds: float, max_requests: int | None
) -> Round:
    """A closed loop: each client sends its next request when the previous one is answered."""
    cycle = itertools.cycle(encode_requests(target, texts))
    sent = 0
    errors = 0
    latencies: list[float] = []
    host, port = target.base_url.removeprefix("http://").rsplit(":", 1)
    connections = [await Connection.open(host, int(port)) for _ in range(clients)]
    cpu_before, server_before = own_cpu_s(), server_cpu_s(target.server_pid)
    start = time.perf_counter()
    deadline = start + seconds

    async def one_client(connection: Connection) -> None:
        nonlocal sent, errors
        while time.perf_counter() < deadline and (max_requests is None or sent < max_requests):
            sent += 1
            request = next(cycle)
            began = time.perf_counter()
            try:
                ok = await connection.send(request) == 201
            except (OSError, asyncio.IncompleteReadError, ValueError):
                ok = False
                connection = await Connection.open(host, int(port))
            latencies.append((time.perf_counter() - began) * 1000)
            errors += not ok
        await connection.close()

    await asyncio.gather(*(one_client(c) for c in connections))
    elapsed = time.perf_counter() - start
    cpu_after, server_after = own_cpu_s(), server_cpu_s(target.server_pid)
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
    parser.add_argument(
        "--database-url",
        default=None,
        help="an empty PostgreSQL database, say (default: SQLite in a temporary folder)",
    )
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
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
        settings = Settings(data_dir=data_dir, database_url=args.database_url)
        key = clinician_key(settings)
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        log = Path(folder) / "server.log"
        server = start_server(settings, port, args.workers, log)
        try:
            ready = wait_healthy(base_url, server, log)
            where = "PostgreSQL" if args.database_url else "SQLite in a temporary folder"
            print(f"server up in {ready:.1f} s (pid {server.pid}, {where})")
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
            peak = sum(peak_rss_mib(pid) for pid in server_processes(server.pid))
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
    print(f"  server peak RSS       {peak:8.0f} MiB (VmHWM, all its processes)")


if __name__ == "__main__":
    main()
