"""Render lessons on an existing Dask distributed cluster: ``mfml render ... --scheduler tcp://HOST:PORT``.

The cluster runs the same per-lesson task as ``--jobs`` (one Manim process per lesson, in a private
work dir: :func:`mfml_anim.render.runner.rendered`); what differs is where the files end up.

Why the outputs come back to the client as bytes instead of being written by the workers:

* the output directory keeps its local guarantees — files enter ``OUT/<lesson>/`` by ``os.replace``
  with signals blocked, the manifest last, under the per-lesson lock — because one process, on the
  machine that owns the directory, does every commit with the same code as a local render
  (:func:`mfml_anim.render.runner.commit`). A worker that dies leaves nothing in it;
* workers need no shared file system, no write access to the user's directory and no agreement on
  paths (``--out`` is the client's path); a lesson's video is a few MB at ``-q h``, which Dask
  moves easily;
* "up to date" is decided where the manifest is: the client checks the cache key before it submits,
  so an unchanged lesson costs no network trip and no worker.

Correctness on the workers:

* a task is idempotent: it writes only to its private work dir (removed at the end) and to the
  TeX cache, whose entries appear by atomic rename (:mod:`mfml_anim.render.texlock`), so a worker
  killed mid-compile leaves no torn formula, on its own disk or on a cache shared by several
  machines. When a worker dies, the scheduler gives its tasks to another worker (up to
  ``distributed.scheduler.allowed-failures`` deaths per task), and the client, which waits for the
  result, commits whichever run finishes;
* a worker recomputes the job's cache key from its own checkout (lesson sources, Manim version,
  data files) and refuses a job whose key differs from the client's: a worker on another commit
  would otherwise produce pixels that the manifest attributes to the client's sources;
* a worker checks that it can render (LaTeX, dvisvgm, cairo, pango: ``mfml doctor``'s quick checks)
  and says which machine lacks what.

Progress: the task publishes each step on a per-run topic (``Worker.log_event``); the client relays
it to the same progress callback a local render gets, and says when a lesson starts again on
another worker after its first one was lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import shutil
import socket
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from mfml_anim.errors import UserError
from mfml_anim.paths import cache_dir
from mfml_anim.render.job import RenderJob
from mfml_anim.render.runner import (
    Progress,
    RenderFailed,
    RenderResult,
    commit,
    lesson_lock,
    output_key,
    rendered,
    up_to_date,
)

CONNECT_TIMEOUT = 5.0  # seconds: an unreachable scheduler is reported quickly, not after Dask's 30 s
ADDRESS_RE = re.compile(r"(?:(?:tcp|tls)://)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9][A-Za-z0-9.-]*):(\d{1,5})")
STALE_WORK_SECONDS = 86400.0  # no render takes a day; a younger work dir may belong to a live one
FARM_LOGGERS = ("distributed", "tornado", "asyncio")


class Stopped(Exception):
    """The run was interrupted (Ctrl-C/SIGTERM): the lesson's thread ends without a word."""


def check_address(address: str) -> tuple[str, str, int]:
    """``tcp://HOST:PORT`` (``tls://`` too, or ``HOST:PORT``) as (address, host, port); anything else
    is a user error."""
    address = address.strip()
    m = ADDRESS_RE.fullmatch(address)
    if not m or not 0 < int(m.group(2)) < 65536:
        raise UserError(f"--scheduler: '{address[:60]}' is not a scheduler address like tcp://HOST:8786")
    return address, m.group(1).strip("[]"), int(m.group(2))


def probe_port(address: str, host: str, port: int) -> None:
    """A plain TCP connection first: a closed port or an unknown host fails at once (Dask would retry
    until its timeout), a silent host after :data:`CONNECT_TIMEOUT`."""
    try:
        socket.create_connection((host, port), timeout=CONNECT_TIMEOUT).close()
    except OSError as exc:
        reason = exc.strerror or str(exc) or type(exc).__name__
        raise UserError(f"--scheduler {address}: cannot reach the scheduler ({reason})") from None


def connect(address: str, *, jobs_given: bool) -> Farm:
    """A :class:`Farm` on the scheduler at ``address``, or one line (UserError) within
    :data:`CONNECT_TIMEOUT` seconds when it is unreachable. Nothing is written before this."""
    if jobs_given:
        raise UserError(
            "--jobs: not with --scheduler (the cluster's workers decide how many lessons render at once)"
        )
    address, host, port = check_address(address)
    probe_port(address, host, port)
    try:
        from distributed import Client
    except ImportError:
        raise UserError("--scheduler needs Dask distributed: pip install -e '.[farm]'") from None
    with quiet_logs():
        try:
            asyncio.run(asyncio.wait_for(handshake(address), CONNECT_TIMEOUT))
            client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
        except Exception as exc:  # noqa: BLE001 - whatever answered, it is not a usable scheduler
            reason = (
                "it does not speak Dask's protocol"
                if isinstance(exc, MemoryError)
                else (str(exc).splitlines() or [""])[0][:120] or type(exc).__name__
            )
            raise UserError(f"--scheduler {address}: no Dask scheduler answered there ({reason})") from None
    farm = Farm(client)
    if not client.scheduler_info().get("workers"):
        print(f"mfml: warning: {address} has no workers yet; lessons wait until one joins", file=sys.stderr)
    return farm


async def handshake(address: str) -> None:
    """Dask's own handshake, once, before a Client exists: a port held by something else (a proxy,
    a web server) fails here in one line, where a half-built Client would hang for seconds on its
    way out. Dask's timeout covers the TCP connection, not the handshake: the caller bounds both."""
    from distributed.comm import connect as dask_connect

    comm = await dask_connect(address, timeout=CONNECT_TIMEOUT)
    await comm.close()


@contextlib.contextmanager
def quiet_logs() -> Iterator[None]:
    """Dask logs every failed connection attempt; the user gets one line from us instead."""
    loggers = [logging.getLogger(name) for name in FARM_LOGGERS]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


def job_id(job: RenderJob) -> str:
    """One output of one run: its lesson dir and file name (unique among a run's jobs)."""
    return f"{job.lesson_dir}/{job.video_name}"


class Farm:
    """The client side: submit a job, relay its progress, commit what comes back.

    :meth:`render` has the signature of :func:`mfml_anim.render.runner.render`, so the CLI's
    per-lesson code (messages, progress table, failures) is the same for both; :meth:`run_all`
    runs that code for every lesson at once, in threads that only wait, and on Ctrl-C cancels the
    cluster's work, lets a commit in progress finish and starts no other.
    """

    def __init__(self, client: Any) -> None:
        self.client = client
        self.topic = f"mfml-progress-{uuid.uuid4().hex[:12]}"
        self._progress: dict[str, Progress] = {}
        self._workers: dict[str, str] = {}  # job id -> the worker that last started it
        self._futures: list[Any] = []
        self._stopping = threading.Event()
        self._commit_lock = threading.Lock()
        client.subscribe_topic(self.topic, self._on_event)

    def _on_event(self, event: tuple[float, dict[str, str]]) -> None:
        """A task's event (the scheduler adds ``worker`` to every one): ``start`` when a task starts
        on a worker, ``step`` for each storyboard step."""
        msg = event[1]
        ident = msg.get("job", "")
        if "start" in msg:
            before = self._workers.get(ident)
            self._workers[ident] = msg["start"]
            if before is not None:
                lesson = PurePosixPath(ident).parent.name
                print(
                    f"{lesson}: worker {before} was lost; rendering again on {msg['start']}",
                    file=sys.stderr,
                    flush=True,
                )
        elif "step" in msg:
            self._progress.get(ident, _ignore)(msg["step"])

    def render(
        self, job: RenderJob, *, force: bool = False, progress: Progress | None = None
    ) -> RenderResult:
        """Render ``job`` on the cluster unless it is up to date; commit it here. RenderFailed on a
        failed render, a key mismatch or a task whose workers kept dying."""
        key = output_key(job)
        if not force and (m := up_to_date(job, key)):
            return RenderResult(job, job.lesson_dir / job.video_name, m, True, 0.0)
        if self._stopping.is_set():
            raise Stopped
        ident = job_id(job)
        self._progress[ident] = progress or _ignore
        fut = self.client.submit(
            render_task,
            job.to_json(),
            key,
            self.topic,
            ident,
            pure=False,
            key=f"mfml-render-{job.stem}-{uuid.uuid4().hex[:8]}",
        )
        self._futures.append(fut)
        out = self._wait(fut, job)
        return self._commit(job, key, out, force)

    def _wait(self, fut: Any, job: RenderJob) -> dict[str, Any]:
        from distributed import KilledWorker

        try:
            return fut.result()
        except RenderFailed:
            raise
        except KilledWorker:
            raise RenderFailed(
                f"{job.lesson}: its workers died while rendering it, too often to try again "
                "(distributed.scheduler.allowed-failures)"
            ) from None
        except BaseException as exc:
            if self._stopping.is_set():
                raise Stopped from None
            raise RenderFailed(f"{job.lesson}: failed on the cluster: {type(exc).__name__}: {exc}") from None

    def _commit(self, job: RenderJob, key: str, out: dict[str, Any], force: bool) -> RenderResult:
        """The worker's bytes written next to the cache (same machine as the output dir), then the
        local commit: atomic, under the lesson lock, manifest last."""
        manifest = out["manifest"]
        path = job.lesson_dir / job.video_name
        with lesson_lock(job):
            if not force and (m := up_to_date(job, key)):
                return RenderResult(job, path, m, True, 0.0)  # another render committed it meanwhile
            with self._commit_lock:
                if self._stopping.is_set():
                    raise Stopped
                work_root = cache_dir() / "work"
                work_root.mkdir(parents=True, exist_ok=True)
                with tempfile.TemporaryDirectory(prefix=f"{job.lesson}-farm-", dir=work_root) as tmp:
                    commit(job, unpack(out["files"], Path(tmp)), manifest)
        return RenderResult(job, path, manifest, False, float(manifest.get("render_seconds", 0.0)))

    def run_all(self, one: Callable[[RenderJob], None], jobs: list[RenderJob]) -> None:
        """``one(job)`` for every job at once (each waits for its own task), then close the client.
        An exception other than a render failure (which ``one`` reports) is raised here."""
        errors: list[BaseException] = []

        def guarded(job: RenderJob) -> None:
            try:
                one(job)
            except Stopped:
                pass
            except BaseException as exc:  # noqa: BLE001 - handed to the main thread below
                errors.append(exc)

        threads = [
            threading.Thread(target=guarded, args=(j,), name=f"mfml-farm-{j.lesson}", daemon=True)
            for j in jobs
        ]
        try:
            for t in threads:
                t.start()
            for t in threads:
                while t.is_alive():
                    t.join(0.2)  # a timed join lets Ctrl-C reach this thread
        except BaseException:
            self.stop()
            raise
        finally:
            self.close()
        if errors:
            raise errors[0]

    def stop(self) -> None:
        """Cancel the cluster's work and wait for a commit in progress (none starts after this)."""
        self._stopping.set()
        with quiet_logs(), contextlib.suppress(Exception):
            self.client.cancel(self._futures)
        with self._commit_lock:
            pass

    def close(self) -> None:
        with quiet_logs(), contextlib.suppress(Exception):
            self.client.unsubscribe_topic(self.topic)
            self.client.close(timeout=5)


def _ignore(_msg: str) -> None:
    pass


def unpack(files: dict[str, bytes], into: Path) -> dict[str, Path]:
    """The worker's files written under ``into``, by their names in the lesson dir. A name that is
    not a plain relative path (absolute, ``..``) is refused: only the lesson dir is written."""
    paths: dict[str, Path] = {}
    for i, (name, data) in enumerate(sorted(files.items())):
        parts = name.split("/")
        if any(p in ("", ".", "..") for p in parts):
            raise RenderFailed(
                f"a worker returned a file named '{name[:80]}', which is not a file in a lesson dir"
            )
        p = into / f"{i:04d}-{parts[-1]}"
        p.write_bytes(data)
        paths[name] = p
    return paths


def render_task(job_json: str, key: str, topic: str, ident: str) -> dict[str, Any]:
    """Runs on a Dask worker: render the job in a private work dir and return the output's files
    (name -> bytes) and manifest entry. Idempotent (see the module docstring), so the scheduler may
    run it again on another worker when this one dies."""
    from distributed import get_worker

    worker = get_worker()
    job = RenderJob.from_json(job_json)
    host = worker.address
    worker.log_event(topic, {"job": ident, "start": host})
    check_worker(job, key, host)
    remove_stale_work(cache_dir() / "work")
    with rendered(job, key, lambda step: worker.log_event(topic, {"job": ident, "step": step})) as (
        files,
        manifest,
    ):
        data = {name: p.read_bytes() for name, p in files.items()}
    return {"files": data, "manifest": manifest, "worker": host}


def remove_stale_work(work_root: Path, older_than: float = STALE_WORK_SECONDS) -> None:
    """Work dirs of renders whose worker was killed (SIGKILL leaves no chance to clean up): on a farm
    that loses workers they would pile up, a lesson's frames at a time."""
    now = time.time()
    for d in work_root.glob("*-*"):
        with contextlib.suppress(OSError):
            if d.is_dir() and now - d.stat().st_mtime > older_than:
                shutil.rmtree(d, ignore_errors=True)


def check_worker(job: RenderJob, key: str, host: str) -> None:
    """RenderFailed when this worker cannot render or would render something else than asked."""
    from mfml_anim import doctor

    bad = [c for c in doctor.quick_checks() if not c.ok]
    if bad:
        raise RenderFailed(
            f"{job.lesson}: worker {host} cannot render: {bad[0].detail}; fix there: {bad[0].fix}"
        )
    if output_key(job) != key:
        raise RenderFailed(
            f"{job.lesson}: worker {host} has other sources than this client (a different "
            "commit, Manim version or data file), so its render would not match the cache "
            "key; update it (git pull && make setup) or put the data file at the same path"
        )
