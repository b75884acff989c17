"""The Dask render farm (``mfml render --scheduler``) against a real local cluster.

A scheduler and two workers run as processes on 127.0.0.1, the two workers sharing one cold TeX
cache (as machines sharing a network cache would). Two lessons are rendered through the cluster by
the CLI in a subprocess; while one worker is typesetting a formula (latex or dvisvgm running in
its process group), the whole worker — nanny, worker process, Manim process, TeX — is killed with
SIGKILL. The scheduler gives its lesson to the other worker; the client commits both. The output
must be what a local render of the same lessons makes (same frames, captions, keys), and the
shared TeX cache must hold only complete SVGs.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import psutil
import pytest
from typer.testing import CliRunner

from mfml_anim.cli import app
from mfml_anim.render.texlock import BUILD_PREFIX, usable_svg
from tests.render_utils import SMOKE, decode_frames

LESSONS = ("product-rule", "jacobians")  # the two lightest lessons: five steps each
# Smaller and slower than SMOKE: a render's cost here is mostly fixed (scene building, TeX), and
# this test renders each lesson about twice and a half; 2 fps still gives ~70 frames to compare.
FRAME = ["-q", "l", "--size", "128x72", "--fps", "2"]
BIN = Path(sys.executable).parent
# Under load Manim's import alone can take 10 s; TeX runs soon after, when the first formula is built.
FALLBACK_KILL_SECONDS = 25
TEX_TOOLS = ("latex", "pdftex", "pdflatex", "xelatex", "xetex", "lualatex", "luatex", "dvisvgm")


@dataclass
class Cluster:
    address: str
    cache: Path  # the workers' shared MFML_CACHE_DIR
    workers: list[subprocess.Popen] = field(default_factory=list)
    procs: list[subprocess.Popen] = field(default_factory=list)


def spawn(args: list[str], log: Path, env: dict[str, str]) -> subprocess.Popen:
    """A process in a session of its own, so killing its group takes all its children with it."""
    with open(log, "w") as fh:
        return subprocess.Popen(
            args, stdout=fh, stderr=subprocess.STDOUT, env=env, cwd=log.parent, start_new_session=True
        )


def stop(proc: subprocess.Popen) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if proc.poll() is not None:
            break
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            continue
    if proc.poll() is None:
        proc.wait(10)


def wait_for_workers(address: str, n: int, timeout: float = 90) -> None:
    from distributed import Client

    with Client(address, timeout=30, set_as_default=False) as client:
        client.wait_for_workers(n, timeout=timeout)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    root = tmp_path_factory.mktemp("farm")
    env = {**os.environ, "MFML_CACHE_DIR": str(root / "worker-cache"), "PYTHONUNBUFFERED": "1"}
    sched_file = root / "scheduler.json"
    c = Cluster(address="", cache=root / "worker-cache")
    try:
        c.procs.append(
            spawn(
                [
                    str(BIN / "dask"),
                    "scheduler",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    "0",
                    "--no-dashboard",
                    "--scheduler-file",
                    str(sched_file),
                    "--idle-timeout",
                    "600",
                ],
                root / "scheduler.log",
                env,
            )
        )
        deadline = time.monotonic() + 60
        while not sched_file.exists() or not sched_file.read_text().strip():
            assert time.monotonic() < deadline, (root / "scheduler.log").read_text()
            assert c.procs[0].poll() is None, (root / "scheduler.log").read_text()
            time.sleep(0.2)
        c.address = json.loads(sched_file.read_text())["address"]
        for name in ("a", "b"):
            w = spawn(
                [
                    str(BIN / "dask"),
                    "worker",
                    c.address,
                    "--host",
                    "127.0.0.1",
                    "--nthreads",
                    "1",
                    "--nworkers",
                    "1",
                    "--no-dashboard",
                    "--name",
                    f"worker-{name}",
                    "--death-timeout",
                    "120",
                ],
                root / f"worker-{name}.log",
                env,
            )
            c.workers.append(w)
            c.procs.append(w)
        wait_for_workers(c.address, 2)
        yield c
    finally:
        for p in reversed(c.procs):
            stop(p)


def group_processes(pgid: int) -> list[psutil.Process]:
    """Live processes of a process group (zombies, waiting for a reaper, do not count)."""
    found = []
    for p in psutil.process_iter(["pid", "status"]):
        try:
            if os.getpgid(p.pid) == pgid and p.info["status"] != psutil.STATUS_ZOMBIE:
                found.append(p)
        except (ProcessLookupError, PermissionError):
            continue
    return found


def descendants(pid: int) -> list[tuple[str, str, float]]:
    """(name, command line, start time) of a worker's processes: nanny, worker, Manim, TeX. Cheaper
    than scanning every process of a busy machine ten times a second."""
    found = []
    try:
        procs = psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return found
    for p in procs:
        with contextlib.suppress(psutil.Error):
            found.append((p.name(), " ".join(p.cmdline()), p.create_time()))
    return found


def kill_a_busy_worker(
    workers: list[subprocess.Popen], timeout: float = 150
) -> tuple[subprocess.Popen, bool]:
    """SIGKILL the process group of the first worker caught typesetting (TeX running beside its
    Manim process), or, if none is caught, the first whose Manim process has run for
    :data:`FALLBACK_KILL_SECONDS`. Returns the worker and whether TeX was running when it died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for w in workers:
            procs = descendants(w.pid)
            manim = [started for _, cmd, started in procs if "mfml_anim.render.worker" in cmd]
            if not manim:
                continue
            tex = any(name in TEX_TOOLS for name, _, _ in procs)
            if tex or time.time() - manim[0] > FALLBACK_KILL_SECONDS:
                os.killpg(w.pid, signal.SIGKILL)
                w.wait(10)
                return w, tex
        time.sleep(0.1)
    raise AssertionError("no worker started rendering")


@pytest.mark.render
def test_cluster_render_survives_a_killed_worker(cluster: Cluster, tmp_path: Path) -> None:
    farm_out, local_out = tmp_path / "farm", tmp_path / "local"
    t0 = time.monotonic()
    client = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mfml_anim",
            "render",
            *LESSONS,
            *FRAME,
            "--out",
            str(farm_out),
            "--scheduler",
            cluster.address,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    err: list[str] = []
    reader = threading.Thread(target=lambda: err.extend(client.stderr), daemon=True)
    reader.start()
    try:
        victim, mid_tex = kill_a_busy_worker(cluster.workers)
        client.wait(timeout=300)
    finally:
        if client.poll() is None:
            client.kill()
    reader.join(5)
    out = client.stdout.read()  # a few lines: the pipe never fills while the client runs
    log = "".join(err)
    farm_seconds = time.monotonic() - t0
    assert client.returncode == 0, log
    assert victim.returncode == -signal.SIGKILL
    assert not group_processes(victim.pid), "the killed worker left processes behind"
    # the lesson the dead worker held was started again on the surviving one, and said so
    assert "was lost; rendering again on" in log, log
    produced = [Path(line) for line in out.split()]
    assert sorted(p.parent.name for p in produced) == sorted(LESSONS)

    # A torn formula would poison every later render that reads it: the shared cache holds only
    # complete SVGs; the dead worker's half-built folder is left aside, never read.
    tex = cluster.cache / "tex"
    svgs = list(tex.glob("*.svg"))
    assert svgs and all(usable_svg(p) for p in svgs), [p.name for p in svgs if not usable_svg(p)]
    assert {p.name for p in tex.iterdir() if p.suffix != ".svg"} <= {".locks"} | {
        p.name for p in tex.glob(f"{BUILD_PREFIX}*")
    }

    t1 = time.monotonic()
    r = CliRunner().invoke(app, ["render", *LESSONS, *FRAME, "--out", str(local_out), "--jobs", "2"])
    assert r.exit_code == 0, r.output
    print(
        f"\nfarm render, a worker killed {'while TeX ran' if mid_tex else 'mid-render'}: "
        f"{farm_seconds:.1f} s; "
        f"local render: {time.monotonic() - t1:.1f} s"
    )
    for path in produced:
        compare_outputs(path, local_out / path.parent.name / path.name)


def compare_outputs(farm: Path, local: Path) -> None:
    """Same file set, same cache key and parameters, same captions, same decoded frames."""
    fd, ld = farm.parent, local.parent
    assert sorted(p.name for p in fd.iterdir()) == sorted(p.name for p in ld.iterdir())
    fm = json.loads((fd / "manifest.json").read_text())["outputs"][farm.name]
    lm = json.loads((ld / "manifest.json").read_text())["outputs"][local.name]
    for k in ("params", "files", "width", "height", "frames", "duration", "fps"):
        assert fm[k] == lm[k], (k, fm[k], lm[k])
    for name in fm["files"]:
        if name.endswith((".srt", ".vtt")):
            assert (fd / name).read_bytes() == (ld / name).read_bytes(), name
    fa, la = decode_frames(farm), decode_frames(local)
    assert len(fa) == len(la) > 20
    for i, (x, y) in enumerate(zip(fa, la, strict=True)):
        assert np.array_equal(x, y), f"{farm.name}: frame {i} differs from the local render"
    # the same cache key: a farm output is "up to date" for a local render and the reverse (this
    # fails, rightly, if the lesson's sources are edited while the test runs)
    assert fm["key"] == lm["key"]


# --- bad --scheduler use: one line, exit 2, nothing written (no cluster needed) ---------------------

runner = CliRunner()


def one_line_error(args: list[str], out: Path) -> tuple[str, float]:
    t0 = time.monotonic()
    r = runner.invoke(app, ["render", "product-rule", *SMOKE, "--out", str(out), *args])
    elapsed = time.monotonic() - t0
    assert r.exit_code == 2, r.output
    err = r.stderr.strip()
    assert err.count("\n") == 0 and "Traceback" not in r.output, r.output
    assert not out.exists(), "something was written"
    return err, elapsed


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_scheduler_with_jobs_is_refused(tmp_path: Path) -> None:
    err, _ = one_line_error(["--scheduler", "tcp://127.0.0.1:8786", "--jobs", "1"], tmp_path / "out")
    assert "--jobs" in err and "--scheduler" in err


@pytest.mark.parametrize("address", ["8786", "tcp://", "http://127.0.0.1:8786", "tcp://host:99999", "a b:1"])
def test_malformed_scheduler_address(tmp_path: Path, address: str) -> None:
    err, _ = one_line_error(["--scheduler", address], tmp_path / "out")
    assert "is not a scheduler address" in err


def test_closed_port_fails_at_once(tmp_path: Path) -> None:
    err, elapsed = one_line_error(["--scheduler", f"tcp://127.0.0.1:{closed_port()}"], tmp_path / "out")
    assert "cannot reach the scheduler" in err
    assert elapsed < 10, elapsed


def test_silent_listener_times_out(tmp_path: Path) -> None:
    """Something accepts the connection but never speaks Dask: one line after the connect timeout,
    not Dask's 30 s and its retries."""
    from mfml_anim.render.farm import CONNECT_TIMEOUT

    with socket.socket() as srv:
        srv.bind(("127.0.0.1", 0))
        srv.listen(8)
        err, elapsed = one_line_error(
            ["--scheduler", f"tcp://127.0.0.1:{srv.getsockname()[1]}"], tmp_path / "out"
        )
    assert "no Dask scheduler answered" in err
    assert elapsed < CONNECT_TIMEOUT + 10, elapsed


def test_worker_refuses_a_job_from_other_sources() -> None:
    """A worker on another commit would render pixels the client's manifest attributes to its own
    sources: the worker recomputes the key and refuses, naming itself."""
    from mfml_anim import lessons
    from mfml_anim.render.farm import check_worker
    from mfml_anim.render.job import job_for
    from mfml_anim.render.runner import RenderFailed, output_key

    job = job_for(lessons.get("product-rule"), size=(128, 72), fps=2)
    check_worker(job, output_key(job), "tcp://10.0.0.7:40000")  # same sources: accepted
    with pytest.raises(RenderFailed, match=r"worker tcp://10\.0\.0\.7:40000 has other sources"):
        check_worker(job, "0" * 32, "tcp://10.0.0.7:40000")


@pytest.mark.parametrize("name", ["../evil.mp4", "/etc/passwd", "a/../../b", "", "stills/./x.png"])
def test_returned_files_stay_in_the_lesson_dir(tmp_path: Path, name: str) -> None:
    from mfml_anim.render.farm import unpack
    from mfml_anim.render.runner import RenderFailed

    with pytest.raises(RenderFailed, match="not a file in a lesson dir"):
        unpack({"lesson.mp4": b"ok", name: b"x"}, tmp_path)
    assert unpack({"lesson.mp4": b"ok", "lesson-stills/01-a.png": b"png"}, tmp_path).keys() == {
        "lesson.mp4",
        "lesson-stills/01-a.png",
    }


def test_killed_workers_work_dirs_are_removed_later(tmp_path: Path) -> None:
    from mfml_anim.render.farm import STALE_WORK_SECONDS, remove_stale_work

    old, fresh = tmp_path / "chain-rule-abc123", tmp_path / "hessian-def456"
    for d in (old, fresh):
        (d / "media").mkdir(parents=True)
    long_ago = time.time() - STALE_WORK_SECONDS - 60
    os.utime(old, (long_ago, long_ago))
    remove_stale_work(tmp_path)
    assert not old.exists() and fresh.is_dir()
