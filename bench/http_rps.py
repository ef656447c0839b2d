"""Requests per second of Sihai's ``/healthz`` and ``/``, as a ratio to a bare Django hello-world.

Run from the repository root (``bash bench/http_rps.sh`` wraps this)::

    .venv/bin/python bench/http_rps.py [--duration 10] [--rounds 5] [--source clone|worktree]

What it does, all on 127.0.0.1 and all bounded in time:

1. takes Sihai's code from a ``git clone`` of HEAD (default; a fixed snapshot even while the
   working tree is being edited) or from the working tree (``--source worktree``);
2. migrates and seeds (``load-areas``, ``seed-demo --scale demo``) a fresh SQLite file in a
   temporary directory, with ``DJANGO_SETTINGS_MODULE=config.settings.demo`` and the same
   SQLite options as the default database of ``make demo`` (WAL, IMMEDIATE transactions);
3. starts Sihai (``gunicorn config.wsgi``) and the hello-world (``bench/hello/hello.py``)
   with identical gunicorn flags, each in its own process group, on free ports;
4. warms every target up, then runs ``wrk --latency`` against Sihai ``/healthz``, Sihai ``/``
   and hello-world ``/`` in turn, ``--rounds`` times (interleaved, so drift in the machine's
   load hits all three alike), and prints the median of the rounds with the ratio to hello.
   For each run it also records how much CPU other processes took (re-running a run that was
   disturbed, at most ``--retries`` times) and how the load split between the two gunicorn
   workers (keep-alive connections can all land on one of them);
5. stops both servers (their whole process groups) and removes the temporary directory.

The load generator (wrk) runs on the same cores as the servers: the figures are a ratio on
one machine, not a capacity statement.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

REPO = Path(__file__).resolve().parent.parent
BIN = REPO / ".venv" / "bin"
HELLO_DIR = REPO / "bench" / "hello"
# The flags of `make demo`; both servers get exactly these.
GUNICORN_FLAGS = ["--workers", "2", "--threads", "4", "--log-level", "warning"]
# Same SQLite options as config.env.database_from_url("") (the default `make demo` database).
SQLITE_OPTIONS = (
    "timeout=20&transaction_mode=IMMEDIATE"
    "&init_command=PRAGMA%20journal_mode%3DWAL%3B%20PRAGMA%20synchronous%3DNORMAL%3B"
)
READY_TIMEOUT_S = 60.0
HELLO = "hello-world /"
ONE_WORKER_SHARE = 0.9
_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


@dataclass(frozen=True)
class Target:
    name: str
    url: str
    # The server's process group: its master has pid == pgid, the rest are its workers.
    pgid: int


@dataclass(frozen=True)
class WrkResult:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx_3xx: int
    socket_errors: int
    # Share of all CPU used by other processes during the run (a noise indicator).
    foreign_cpu: float = 0.0
    # The busiest gunicorn worker's share of the workers' CPU during the run: 0.5 when the
    # two workers shared the load evenly, 1.0 when one of them served every connection.
    busiest_worker: float = 0.0

    @property
    def one_worker(self) -> bool:
        """wrk's keep-alive connections all landed on one of the two workers."""
        return self.busiest_worker > ONE_WORKER_SHARE


@dataclass(frozen=True)
class CpuSample:
    """Machine-wide busy ticks, ticks of our own processes, and all ticks, at one moment."""

    busy: int
    ours: int
    total: int


def process_ticks(pgids: Sequence[int]) -> dict[int, tuple[int, int]]:
    """{pid: (pgid, utime + stime)} of every live process in the given process groups."""
    found: dict[int, tuple[int, int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After "pid (comm)": state ppid pgrp ... utime is field 14, stime 15 (1-based).
        pgid = int(fields[2])
        if pgid in pgids:
            found[int(stat.parent.name)] = (pgid, int(fields[11]) + int(fields[12]))
    return found


def busiest_worker_share(
    pgid: int, before: dict[int, tuple[int, int]], after: dict[int, tuple[int, int]]
) -> float:
    """The busiest worker's share of the CPU the server's workers used between two samples."""
    used = [
        ticks - before[pid][1]
        for pid, (group, ticks) in after.items()
        if group == pgid and pid != pgid and pid in before
    ]
    return max(used) / sum(used) if sum(used) > 0 else 0.0


def cpu_sample(pgids: Sequence[int]) -> CpuSample:
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    user, nice, system = values[:3]
    hz = os.sysconf("SC_CLK_TCK")
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # finished wrk runs
    me = resource.getrusage(resource.RUSAGE_SELF)
    own_seconds = children.ru_utime + children.ru_stime + me.ru_utime + me.ru_stime
    return CpuSample(
        busy=user + nice + system,
        ours=sum(ticks for _pgid, ticks in process_ticks(pgids).values()) + round(own_seconds * hz),
        total=sum(values[:8]),
    )


def foreign_share(before: CpuSample, after: CpuSample) -> float:
    """Share of the machine's CPU used by processes other than ours between two samples."""
    total = after.total - before.total
    foreign = (after.busy - before.busy) - (after.ours - before.ours)
    return max(foreign, 0) / total if total > 0 else 0.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _ms(value: str, unit: str) -> float:
    return float(value) * _UNIT_MS[unit]


def parse_wrk(text: str) -> WrkResult:
    """Read requests/sec, the 50th and 99th latency percentiles and error counts."""
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", text, re.MULTILINE)
    p50 = re.search(r"^\s+50%\s+([\d.]+)(us|ms|s|m|h)\s*$", text, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s|m|h)\s*$", text, re.MULTILINE)
    total = re.search(r"^\s+(\d+) requests in", text, re.MULTILINE)
    if not (rps and p50 and p99 and total):
        msg = f"could not parse wrk output:\n{text}"
        raise ValueError(msg)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    return WrkResult(
        rps=float(rps.group(1)),
        p50_ms=_ms(*p50.groups()),
        p99_ms=_ms(*p99.groups()),
        requests=int(total.group(1)),
        non_2xx_3xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(n) for n in sock.groups()) if sock else 0,
    )


def run_wrk(url: str, *, threads: int, connections: int, duration: int) -> WrkResult:
    argv = [
        shutil.which("wrk") or "/usr/bin/wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--latency",
        url,
    ]
    done = subprocess.run(argv, capture_output=True, text=True, check=True, timeout=duration + 60)
    return parse_wrk(done.stdout)


def http_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            status: int = response.status
            return status
    except urllib.error.HTTPError as exc:
        return exc.code
    except (urllib.error.URLError, OSError):
        return 0


def wait_ready(url: str, proc: subprocess.Popen[bytes], timeout: float) -> float:
    """Poll ``url`` until it answers 200; return the seconds it took."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if proc.poll() is not None:
            msg = f"server exited with {proc.returncode} before {url} answered"
            raise RuntimeError(msg)
        if http_status(url) == 200:
            return time.monotonic() - started
        time.sleep(0.05)
    msg = f"{url} did not answer 200 within {timeout:.0f} s"
    raise TimeoutError(msg)


def stop_group(proc: subprocess.Popen[bytes]) -> None:
    """Stop the server's whole process group (gunicorn master and workers)."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


@contextlib.contextmanager
def serving(
    argv: Sequence[str], *, cwd: Path, env: dict[str, str], ready_url: str, log: IO[bytes]
) -> Iterator[int]:
    """Start a server in a new process group, wait until it answers, yield the group id;
    always stop the whole group afterwards."""
    proc = subprocess.Popen(
        list(argv), cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        wait_ready(ready_url, proc, READY_TIMEOUT_S)
        yield proc.pid
    finally:
        stop_group(proc)


def git_head(repo: Path) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or "unknown"


def sihai_source(source: str, work: Path) -> tuple[Path, str]:
    """Where Sihai's code is served from, and a description naming its commit.

    ``clone``: a ``git clone`` of this repository's HEAD, a fixed snapshot even while the
    working tree is being edited; it runs on the repository's .venv (PYTHONPATH puts the
    clone ahead of the editable install) with the repository's node_modules linked in.
    ``worktree``: the working tree as it is, uncommitted changes included.
    """
    if source == "worktree":
        return REPO, f"working tree at {git_head(REPO)} (uncommitted changes included)"
    src = work / "sihai"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(src)], check=True, timeout=120)
    if (REPO / "node_modules").is_dir():
        (src / "node_modules").symlink_to(REPO / "node_modules")
    return src, f"git clone of commit {git_head(src)} (committed files only)"


def prepare_database(env: dict[str, str], src: Path) -> None:
    sihai = str(BIN / "sihai")
    for argv in (
        [sihai, "migrate", "--verbosity", "0"],
        [sihai, "load-areas"],
        [sihai, "seed-demo", "--scale", "demo", "--quiet-personas"],
    ):
        subprocess.run(argv, cwd=src, env=env, check=True, timeout=600, stdout=subprocess.DEVNULL)


def machine_facts() -> dict[str, str]:
    mem_kb = 0
    with Path("/proc/meminfo").open() as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    cpu = ""
    with Path("/proc/cpuinfo").open() as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    wrk_version = subprocess.run(
        [shutil.which("wrk") or "/usr/bin/wrk", "-v"], capture_output=True, text=True, check=False
    )
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "nproc": str(os.cpu_count()),
        "ram_gib": f"{mem_kb / 1024 / 1024:.1f}",
        "cpu": cpu,
        "python": platform.python_version(),
        "wrk version": (wrk_version.stdout + wrk_version.stderr).strip().splitlines()[0],
        "loadavg_before": " ".join(Path("/proc/loadavg").read_text().split()[:3]),
    }


def measured_run(target: Target, pgids: Sequence[int], args: argparse.Namespace) -> WrkResult:
    """One wrk run; if other processes took more than --max-foreign-cpu of the machine
    meanwhile, run again (at most --retries times) and keep the quietest run."""
    best: WrkResult | None = None
    for attempt in range(1 + args.retries):
        before, workers_before = cpu_sample(pgids), process_ticks([target.pgid])
        result = run_wrk(
            target.url, threads=args.threads, connections=args.connections, duration=args.duration
        )
        result = replace(
            result,
            foreign_cpu=foreign_share(before, cpu_sample(pgids)),
            busiest_worker=busiest_worker_share(
                target.pgid, workers_before, process_ticks([target.pgid])
            ),
        )
        if best is None or result.foreign_cpu < best.foreign_cpu:
            best = result
        if result.foreign_cpu <= args.max_foreign_cpu or attempt == args.retries:
            break
        print(f"  (other processes used {result.foreign_cpu:.0%} of the CPU: running again)")
    assert best is not None  # noqa: S101  (the loop runs at least once)
    return best


def measure(targets: Sequence[Target], args: argparse.Namespace) -> dict[str, list[WrkResult]]:
    """Check each target answers 200, warm it up, then run the interleaved rounds."""
    pgids = sorted({t.pgid for t in targets})
    for target in targets:
        status = http_status(target.url)
        if status != 200:
            msg = f"{target.url} answered {status}, not 200"
            raise RuntimeError(msg)
        run_wrk(
            target.url, threads=args.threads, connections=args.connections, duration=args.warmup
        )
    results: dict[str, list[WrkResult]] = {t.name: [] for t in targets}
    for round_no in range(1, args.rounds + 1):
        for target in targets:
            result = measured_run(target, pgids, args)
            results[target.name].append(result)
            print(
                f"round {round_no} {target.name:<22} {result.rps:9.1f} rps  "
                f"p50 {result.p50_ms:7.2f} ms  p99 {result.p99_ms:7.2f} ms  "
                f"non-2xx {result.non_2xx_3xx}  socket errors {result.socket_errors}  "
                f"other processes' CPU {result.foreign_cpu:.0%}  "
                f"busiest worker {result.busiest_worker:.0%}",
                flush=True,
            )
    return results


def _median_rps(runs: Sequence[WrkResult]) -> float | None:
    return statistics.median(r.rps for r in runs) if runs else None


def _ratio(rps: float | None, base: float | None) -> str:
    return f"{rps / base:.2f}" if rps is not None and base else "n/a"


def print_summary(
    results: dict[str, list[WrkResult]], args: argparse.Namespace
) -> dict[str, dict[str, float | int | None]]:
    """Medians over all rounds, and over the rounds in which both workers served."""
    hello_all = _median_rps(results[HELLO])
    hello_both = _median_rps([r for r in results[HELLO] if not r.one_worker])
    print()
    print(f"Median of {args.rounds} rounds of {args.duration} s each:")
    print()
    print(
        "| target | requests/s | p50 latency | p99 latency | ratio to hello-world "
        "| rounds on one worker | requests/s, rounds on both workers | ratio, same rounds "
        "| other processes' CPU (max) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    summary: dict[str, dict[str, float | int | None]] = {}
    for name, runs in results.items():
        rps = _median_rps(runs)
        both = _median_rps([r for r in runs if not r.one_worker])
        p50 = statistics.median(r.p50_ms for r in runs)
        p99 = statistics.median(r.p99_ms for r in runs)
        one_worker = sum(r.one_worker for r in runs)
        foreign = max(r.foreign_cpu for r in runs)
        summary[name] = {
            "rps": rps,
            "p50_ms": p50,
            "p99_ms": p99,
            "ratio": rps / hello_all if rps is not None and hello_all else None,
            "rounds_on_one_worker": one_worker,
            "rps_both_workers": both,
            "ratio_both_workers": both / hello_both if both is not None and hello_both else None,
        }
        both_text = f"{both:,.0f}" if both is not None else "n/a"
        print(
            f"| {name} | {rps or 0:,.0f} | {p50:.2f} ms | {p99:.2f} ms | {_ratio(rps, hello_all)} "
            f"| {one_worker} of {len(runs)} | {both_text} | {_ratio(both, hello_both)} "
            f"| {foreign:.0%} |"
        )
    return summary


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=5, help="wrk runs per target (median)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--warmup", type=int, default=3, help="seconds of warm-up per target")
    parser.add_argument(
        "--max-foreign-cpu",
        type=float,
        default=0.10,
        help="re-run a measurement when other processes used more than this share of the CPU",
    )
    parser.add_argument("--retries", type=int, default=2, help="re-runs allowed per measurement")
    parser.add_argument(
        "--source",
        choices=["clone", "worktree"],
        default="clone",
        help="serve a git clone of HEAD (default) or the working tree as it is",
    )
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)
    if not (1 <= args.duration <= 60 and 1 <= args.rounds <= 10 and 0 <= args.retries <= 5):
        parser.error("--duration must be 1..60, --rounds 1..10, --retries 0..5 (bounded load)")

    facts = machine_facts()
    facts["gunicorn flags (both servers)"] = " ".join(GUNICORN_FLAGS)
    facts["wrk flags"] = f"-t{args.threads} -c{args.connections} -d{args.duration}s --latency"

    with tempfile.TemporaryDirectory(prefix="sihai-rps-") as tmp:
        work = Path(tmp)
        src, facts["sihai"] = sihai_source(args.source, work)
        for key, value in facts.items():
            print(f"{key}: {value}")
        sihai_env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.demo",
            "DATABASE_URL": f"sqlite:///{work / 'sihai.sqlite3'}?{SQLITE_OPTIONS}",
            "PYTHONPATH": str(src),
        }
        hello_env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        print("preparing the database (migrate, load-areas, seed-demo --scale demo)…", flush=True)
        prepare_database(sihai_env, src)

        sihai_port = free_port()
        hello_port = free_port()
        while hello_port == sihai_port:
            hello_port = free_port()
        gunicorn = str(BIN / "gunicorn")
        sihai_base = f"http://127.0.0.1:{sihai_port}"
        hello_base = f"http://127.0.0.1:{hello_port}"
        with (
            (work / "sihai.log").open("wb") as sihai_log,
            (work / "hello.log").open("wb") as hello_log,
            serving(
                [gunicorn, "config.wsgi", "--bind", f"127.0.0.1:{sihai_port}", *GUNICORN_FLAGS],
                cwd=src,
                env=sihai_env,
                ready_url=f"{sihai_base}/readyz",
                log=sihai_log,
            ) as sihai_group,
            serving(
                [
                    gunicorn,
                    "hello:application",
                    "--bind",
                    f"127.0.0.1:{hello_port}",
                    *GUNICORN_FLAGS,
                ],
                cwd=HELLO_DIR,
                env=hello_env,
                ready_url=f"{hello_base}/",
                log=hello_log,
            ) as hello_group,
        ):
            targets = [
                Target("Sihai /healthz", f"{sihai_base}/healthz", sihai_group),
                Target("Sihai / (portal home)", f"{sihai_base}/", sihai_group),
                Target(HELLO, f"{hello_base}/", hello_group),
            ]
            results = measure(targets, args)

    summary = print_summary(results, args)
    errors = sum(r.non_2xx_3xx + r.socket_errors for runs in results.values() for r in runs)
    print()
    print(f"non-2xx/3xx responses + socket errors over all runs: {errors}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "facts": facts,
            "summary": summary,
            "runs": {name: [asdict(r) for r in runs] for name, runs in results.items()},
        }
        args.json.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    return 0 if errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
