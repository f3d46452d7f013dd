"""Word to PDF through the real LibreOffice: a pool of kept-alive converters that a
user never sees fail.

A cold ``soffice --convert-to pdf`` spends most of its second starting LibreOffice,
so each slot keeps one LibreOffice running (``lo_worker.py``, driven over UNO by
the Python that has LibreOffice's bindings: Debian's python3 with python3-uno) and
hands it one document at a time. What Gotenberg and JODConverter learned running
LibreOffice for others is built in:

- **Start-up is not a conversion.** Converters start with the server, and again in
  the background after a failure or every ``restart_after`` conversions (memory
  grows); a start has its own limit (``start_timeout``). The conversion limit
  (``timeout``) counts only the conversion.
- **Liveness before use.** Each job first pings its LibreOffice (a UNO round trip);
  a dead or stopped one is replaced before the document is handed over. A watchdog
  pings idle converters every ``watch_interval`` seconds, so one killed while idle
  is found and replaced before anyone asks.
- **One retry.** A job whose LibreOffice died under it, would not start, or whose
  load came back empty, is run once more on a fresh LibreOffice; a document that
  merely takes too long is not (it would take too long again), nor one the worker
  says LibreOffice cannot read.
- **Fresh profile.** A profile on which LibreOffice failed once (a start, or a
  conversion) is thrown away and a new one made. After two failed starts in a row a
  converter backs off (2, 4, … 60 s) apart from the queue, so that requests go to
  converters that work; the watchdog starts it again when its time comes.
- **Bounded waits.** At most ``queue_size`` requests wait for a converter, each at
  most ``queue_timeout`` seconds; past either bound the request is answered 503
  with ``Retry-After`` at once (:class:`PdfBusy`).
- **Health tells the truth.** :meth:`PdfConverter.status` gives each converter's
  state; ``can_convert`` is false when none is starting, idle or busy within its
  time.
- **Nothing left behind, nothing fetched.** Each document is first stripped of
  external content (:func:`xlsummary.external_content.for_conversion`); every
  profile blocks linked content; LibreOffice's temporary files go under the
  converter's folder (``TMPDIR``) and its pipes are removed when it stops. Folders
  left by a server that was killed are removed by the next one.

- **The report's fonts.** Every LibreOffice started here, kept alive or cold, reads
  xlsummary's font configuration (:mod:`xlsummary.pdf.fonts`), so that a PDF is set
  in Song, Hei and Kai faces rather than one fallback.

Without the UNO bindings each conversion starts ``soffice`` (same profile, same
settings, slower); without LibreOffice at all, ``available`` is False and the API
answers 503 while DOCX keeps working. The command line converts through the same
code (:func:`convert_docx`: one converter, started for one document).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import select
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xlsummary.errors import ConversionError, PdfBusy, PdfUnavailable
from xlsummary.external_content import for_conversion
from xlsummary.pdf.fonts import font_env
from xlsummary.pdf.lo_worker import harden_profile, remove_pipes

WORKER = Path(__file__).with_name("lo_worker.py")
_UNO_PYTHONS = ("/usr/bin/python3", "/usr/lib/libreoffice/program/python")
_PREFIX = "xlsummary-lo-"
log = logging.getLogger("xlsummary.pdf")
PING_TIMEOUT = 5.0


def uno_python(configured: str | None = None) -> str | None:
    """A Python that can ``import uno``: the one configured (XLSUMMARY_UNO_PYTHON,
    read by the settings), or Debian's."""
    candidates = [configured, *_UNO_PYTHONS]
    for python in filter(None, candidates):
        if Path(python).exists():
            probe = subprocess.run(
                [python, "-c", "import uno"], capture_output=True, timeout=30, check=False
            )
            if probe.returncode == 0:
                return python
    return None


def find_soffice() -> str | None:
    """LibreOffice's command on the PATH, if it is installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


class _Retry(Exception):
    """LibreOffice, not the document, failed: worth one more try on a new one."""


@dataclass(frozen=True)
class PoolSettings:
    slots: int = 2  # LibreOffice processes, each converting one document at a time
    timeout: float = 60.0  # seconds for one conversion, start-up not included
    start_timeout: float = 60.0  # seconds for a LibreOffice to start
    restart_after: int = 200  # conversions, then a fresh LibreOffice (memory grows)
    queue_size: int = 100  # requests waiting for a converter, beyond which: 503
    queue_timeout: float = 60.0  # seconds a request may wait for a converter
    watch_interval: float = 5.0  # seconds between liveness checks of idle converters
    uno_python: str | None = None  # a Python that can import uno (default: Debian's)


class _Slot:
    """One LibreOffice and its profile, used by one job (or the watchdog) at a time:
    the pool's queue hands each slot to one holder."""

    def __init__(
        self,
        index: int,
        root: Path,
        python: str | None,
        soffice: str,
        closing: threading.Event | None = None,
    ) -> None:
        self.index, self.root, self.python, self.soffice = index, root, python, soffice
        self.closing = closing or threading.Event()  # set: the pool is shutting down
        self.generation = 0  # of the profile: a new one after two failed starts
        self.starts = 0
        self.suspect_profile = False  # LibreOffice failed on it (a start, a conversion)
        self.failed_starts = 0  # in a row, whatever the profile
        self.retry_at = 0.0  # after failed starts: no new try before (backing off)
        self.conversions = 0  # since the last start
        self.total = 0
        self.restarts = 0
        self.state = "stopped"  # starting, idle, busy, failed, stopped
        self.since = time.monotonic()
        self.error = ""
        self.proc: subprocess.Popen | None = None
        self.pipe = ""
        self.tmp = root / f"tmp-{index}"  # LibreOffice's TMPDIR

    @property
    def profile(self) -> Path:
        return self.root / f"profile-{self.index}-{self.generation}"

    def _set(self, state: str, error: str = "") -> None:
        self.state, self.since, self.error = state, time.monotonic(), error

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self, timeout: float) -> None:
        """A new LibreOffice; raises _Retry if it does not start in time."""
        self.stop()
        if self.closing.is_set():
            raise _Retry("the server is stopping")
        if self.suspect_profile:  # the profile may be what failed: never reuse it
            shutil.rmtree(self.profile, ignore_errors=True)
            self.generation += 1
            self.suspect_profile = False
        self._set("starting")
        self.restarts += self.starts > 0
        self.starts += 1
        try:
            harden_profile(self.profile)
            self.tmp.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            self._failed_start(f"its profile cannot be written ({error})")
        self.pipe = f"{self.root.name}-{self.index}-{self.starts}"
        if self.python is None:  # no UNO: each conversion starts soffice itself
            self._set("idle")
            return
        env = {**self.env(), "TMP": str(self.tmp), "TEMP": str(self.tmp)}
        try:
            self.proc = subprocess.Popen(
                [self.python, str(WORKER), self.soffice, self.profile.as_uri(), self.pipe],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                bufsize=1,
                env=env,
                start_new_session=True,  # its own group: killed whole
            )
        except OSError as error:  # out of processes or files, say
            self._failed_start(f"the worker could not be started ({error})")
        try:
            answer = self._answer(timeout)
            if not answer.get("ready"):
                raise _Retry(answer.get("error", "LibreOffice did not start"))
        except _Retry as error:
            self.stop()
            self._failed_start(str(error))
        if self.closing.is_set():  # the pool closed while this one started: no orphan
            self.stop()
            raise _Retry("the server is stopping")
        self.failed_starts = 0
        self.conversions = 0
        self._set("idle")

    def _failed_start(self, why: str) -> None:
        self.suspect_profile = True
        self.failed_starts += 1
        # a job may try a second start (on a fresh profile) at once; then back off
        wait = 0 if self.failed_starts < 2 else min(60, 2 ** (self.failed_starts - 1))
        self.retry_at = time.monotonic() + wait
        self._set("failed", why)
        raise _Retry(f"LibreOffice did not start: {why}") from None

    def _answer(self, timeout: float) -> dict[str, Any]:
        proc = self.proc  # the pool may stop this converter from another thread
        if proc is None or proc.stdout is None:
            raise _Retry("LibreOffice stopped")
        try:
            ready, _, _ = select.select([proc.stdout], [], [], timeout)
            line = proc.stdout.readline() if ready else ""
        except (OSError, ValueError):  # its pipe was closed under us
            ready, line = [proc.stdout], ""
        if not line:
            self.stop()
            raise _Retry(
                "LibreOffice did not answer in time" if not ready else "LibreOffice stopped"
            )
        try:
            answer = json.loads(line)
        except ValueError:
            answer = None
        if not isinstance(answer, dict):  # out of step with the worker: start afresh
            self.stop()
            raise _Retry(f"LibreOffice's worker answered {line[:80]!r}")
        return answer

    def _ask(self, job: dict[str, Any], timeout: float) -> dict[str, Any]:
        proc = self.proc
        if proc is None or proc.stdin is None:
            raise _Retry("LibreOffice stopped")
        try:
            proc.stdin.write(json.dumps(job) + "\n")
            proc.stdin.flush()
        except (OSError, ValueError):
            self.stop()
            raise _Retry("LibreOffice stopped") from None
        return self._answer(timeout)

    def ping(self) -> bool:
        """Whether LibreOffice answers a UNO round trip (a stopped one does not)."""
        if self.python is None:
            return True
        if not self.alive:
            return False
        try:
            return bool(self._ask({"ping": True}, PING_TIMEOUT).get("ok"))
        except _Retry:
            return False

    def ready(self, start_timeout: float) -> None:
        """Alive and answering, or started afresh (outside any conversion's limit)."""
        if self.state == "idle" and self.ping():
            return
        self.start(start_timeout)

    def convert(self, source: Path, target: Path, timeout: float) -> None:
        self._set("busy")
        try:
            if self.python is None:
                self._cold(source, timeout)
            else:
                answer = self._ask({"source": str(source), "target": str(target)}, timeout)
                if not answer.get("ok"):
                    # after any failure start afresh rather than fail every later job
                    self.stop()
                    self.suspect_profile = True
                    if not answer.get("retry"):  # the document: another try cannot help
                        raise ConversionError(detail=answer.get("error", "conversion failed"))
                    raise _Retry(answer.get("error", "conversion failed"))
        except _Retry as error:
            if "in time" in str(error):  # the document is slow: no second try
                raise ConversionError(detail=str(error)) from None
            self.suspect_profile = True
            raise
        finally:
            if self.state == "busy":
                self._set("idle")
        self.suspect_profile = False
        self.conversions += 1
        self.total += 1

    def env(self) -> dict[str, str]:
        """What every LibreOffice of this slot runs with: its own temporary folder and
        the report's fonts (the same for the kept-alive worker and a cold soffice)."""
        return {**os.environ, **font_env(), "TMPDIR": str(self.tmp)}

    def _cold(self, source: Path, timeout: float) -> None:
        env = self.env()
        proc = subprocess.Popen(
            [
                self.soffice,
                "--headless",
                "--norestore",
                "--nologo",
                f"-env:UserInstallation={self.profile.as_uri()}",
                "--convert-to",
                "pdf",
                "--outdir",
                str(source.parent),
                str(source),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
            start_new_session=True,  # soffice.bin too is killed on overrun
        )
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise ConversionError(detail="LibreOffice did not finish in time") from None
        finally:
            remove_pipes(self.profile.as_uri(), self.pipe)

    def stop(self, graceful: bool = False) -> None:
        """Kill the worker and its LibreOffice (the whole process group), and remove
        what LibreOffice leaves: its pipes and temporary files. With ``graceful``,
        first let LibreOffice close by itself."""
        proc, self.proc = self.proc, None
        if proc is not None:
            if graceful and proc.poll() is None:
                with contextlib.suppress(OSError):
                    proc.stdin.close()  # the worker then closes LibreOffice
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=5)
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=10)
            for stream in (proc.stdin, proc.stdout):
                with contextlib.suppress(OSError):
                    stream.close()
        if self.pipe:
            remove_pipes(self.profile.as_uri(), self.pipe)
        if self.tmp.exists():
            for entry in self.tmp.iterdir():
                with contextlib.suppress(OSError):
                    shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
        if self.state != "failed":
            self._set("stopped")

    def status(self, timeout: float, start_timeout: float) -> dict[str, Any]:
        age = time.monotonic() - self.since
        state = self.state
        if state == "starting" and self.failed_starts:
            state = "failed"  # trying again, but it failed the last time
        if (state == "busy" and age > timeout + PING_TIMEOUT + 5) or (
            state == "starting" and age > start_timeout + 5
        ):
            state = "hung"
        return {
            "slot": self.index,
            "state": state,
            "pid": proc.pid if (proc := self.proc) is not None else None,
            "conversions": self.total,
            "restarts": self.restarts,
            "seconds_in_state": round(age, 1),
            **({"error": self.error[:200]} if self.error else {}),
        }


class PdfConverter:
    """The pool. Made anywhere; :meth:`start` (in the running event loop) starts the
    converters and the watchdog, and :meth:`convert` works without it too."""

    def __init__(self, settings: PoolSettings | None = None, kept_alive: bool = True) -> None:
        self.settings = settings or PoolSettings()
        self.binary = find_soffice()
        self.kept_alive = kept_alive
        remove_stale_folders()
        self._root = Path(tempfile.mkdtemp(prefix=f"{_PREFIX}{os.getpid()}-"))
        self._python: str | bool | None = False  # not looked up yet
        self._slots: list[_Slot] = []
        self._free: asyncio.Queue[_Slot] | None = None
        self._waiting = 0
        self._resting: set[_Slot] = set()
        self._tasks: set[asyncio.Task] = set()
        self._watchdog: asyncio.Task | None = None
        self._closing = threading.Event()
        # its own threads: a slow LibreOffice never takes the threads checks run in
        self._pool = ThreadPoolExecutor(self.settings.slots + 1, thread_name_prefix="pdf")

    @property
    def available(self) -> bool:
        return self.binary is not None

    @property
    def root(self) -> Path:
        return self._root

    def _make_slots(self) -> list[_Slot]:
        if not self._slots:
            if self._python is False:
                self._python = uno_python(self.settings.uno_python) if self.kept_alive else None
            python = self._python if isinstance(self._python, str) else None
            self._slots = [
                _Slot(k, self._root, python, self.binary or "soffice", self._closing)
                for k in range(max(1, self.settings.slots))
            ]
        return self._slots

    def _queue(self) -> asyncio.Queue[_Slot]:
        if self._free is None:  # made in the running event loop
            self._make_slots()
            self._free = asyncio.Queue()
            for slot in self._slots:
                self._free.put_nowait(slot)
        return self._free

    async def start(self, converters: bool = True) -> None:
        """Start the watchdog and, with ``converters``, every LibreOffice, in the
        background (without, each starts on its first job, outside that job's limit)."""
        if not self.available:
            return
        free = self._queue()
        if converters:
            for _ in range(free.qsize()):
                self._refresh(free.get_nowait(), restart=True)
        self._watchdog = asyncio.create_task(self._watch())

    async def convert(self, docx: bytes) -> bytes:
        if not self.available:
            raise PdfUnavailable()
        slot = await self._acquire()
        job = asyncio.get_running_loop().run_in_executor(self._pool, self._job, slot, docx)
        # the slot comes back when its thread is done, even if this request is cancelled
        job.add_done_callback(lambda _: self._refresh(slot, restart=self._needs_restart(slot)))
        return await asyncio.shield(job)

    def convert_now(self, docx: bytes) -> bytes:
        """One conversion on the first converter, for a caller without an event loop
        (the command line): the same job as :meth:`convert` (cut, retry once on a
        fresh LibreOffice), without the queue."""
        if not self.available:
            raise PdfUnavailable()
        return self._job(self._make_slots()[0], docx)

    def _needs_restart(self, slot: _Slot) -> bool:
        return slot.python is not None and (
            not slot.alive or slot.conversions >= self.settings.restart_after
        )

    async def _acquire(self) -> _Slot:
        free = self._queue()
        settings = self.settings
        if free.empty() and self._resting and len(self._resting) == len(self._slots):
            raise ConversionError(detail="no LibreOffice can start now")
        if free.empty() and self._waiting >= settings.queue_size:
            raise PdfBusy(self._retry_after(), detail="the PDF queue is full")
        self._waiting += 1
        try:
            return await asyncio.wait_for(free.get(), settings.queue_timeout)
        except TimeoutError:
            raise PdfBusy(self._retry_after(), detail="no converter became free in time") from None
        finally:
            self._waiting -= 1

    def _retry_after(self) -> int:
        """Seconds until a converter is likely free: the queue at a second a document."""
        return max(1, min(60, round(self._waiting / max(1, len(self._slots))) + 1))

    def _refresh(self, slot: _Slot, restart: bool) -> None:
        """Give the slot back, after a restart in the background when it needs one
        (failed, or old): no request waits for a LibreOffice to start if another
        converter is free."""
        if not restart or self._closed:
            self._release(slot)
            return
        loop = asyncio.get_running_loop()

        async def restart_then_release() -> None:
            try:
                await loop.run_in_executor(self._pool, self._restart, slot)
            finally:
                self._release(slot)

        task = asyncio.create_task(restart_then_release())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _release(self, slot: _Slot) -> None:
        """Back to the queue; one backing off after failed starts rests apart until
        the watchdog has it started, so that no request is handed a converter that
        cannot work while another could."""
        if self._free is None:
            return
        if slot.state == "failed" and time.monotonic() < slot.retry_at:
            self._resting.add(slot)
        else:
            self._free.put_nowait(slot)

    def _restart(self, slot: _Slot) -> None:
        if self._closed or (slot.state == "failed" and time.monotonic() < slot.retry_at):
            return  # backing off after failed starts: the watchdog tries when it is time
        if slot.alive:
            slot.stop(graceful=True)
        with contextlib.suppress(_Retry):  # failed: the watchdog tries again
            slot.start(self.settings.start_timeout)

    def _job(self, slot: _Slot, docx: bytes) -> bytes:
        settings = self.settings
        docx = for_conversion(docx)
        work = Path(tempfile.mkdtemp(prefix="job-", dir=self._root))
        try:
            for attempt in (1, 2):  # one retry, on a fresh LibreOffice and profile
                # a folder per try: a LibreOffice killed mid-store leaves a partial PDF
                # and its lock file, on which the next one's store fails
                (work / str(attempt)).mkdir()
                source, target = (
                    work / str(attempt) / "report.docx",
                    work / str(attempt) / "report.pdf",
                )
                source.write_bytes(docx)
                try:
                    if slot.state == "failed" and time.monotonic() < slot.retry_at:
                        raise ConversionError(detail=f"LibreOffice does not start: {slot.error}")
                    slot.ready(settings.start_timeout)
                    slot.convert(source, target, settings.timeout)
                    if target.exists() and target.stat().st_size > 0:
                        return target.read_bytes()
                    slot.stop()
                    slot.suspect_profile = True
                    raise _Retry("LibreOffice produced no PDF")
                except _Retry as error:  # LibreOffice failed, not the document
                    if attempt == 2 or self._closed:
                        raise ConversionError(detail=str(error)) from None
            raise AssertionError("unreachable")
        finally:
            shutil.rmtree(work, ignore_errors=True)

    async def _watch(self) -> None:
        """Ping idle converters; replace dead, stopped or failed ones."""
        loop = asyncio.get_running_loop()
        free = self._queue()
        while not self._closed:
            await asyncio.sleep(self.settings.watch_interval)
            for slot in [s for s in self._resting if time.monotonic() >= s.retry_at]:
                self._resting.discard(slot)
                try:
                    await loop.run_in_executor(self._pool, self._restart, slot)
                except Exception:
                    log.exception("the converter watchdog could not restart a LibreOffice")
                finally:
                    self._release(slot)
            for _ in range(free.qsize()):
                try:
                    slot = free.get_nowait()
                except asyncio.QueueEmpty:
                    break
                try:  # nothing may end the watchdog: it is what brings converters back
                    waiting = slot.state == "failed" and time.monotonic() < slot.retry_at
                    healthy = (
                        slot.starts == 0
                        or waiting
                        or (  # never started: on first use
                            slot.state == "idle"
                            and await loop.run_in_executor(self._pool, slot.ping)
                        )
                    )
                    if not healthy:
                        await loop.run_in_executor(self._pool, self._restart, slot)
                except Exception:
                    log.exception("the converter watchdog could not restart a LibreOffice")
                finally:
                    self._release(slot)

    def status(self) -> dict[str, Any]:
        """What ``/api/health`` says of PDF: each converter's state, and whether any
        can convert now or soon."""
        if not self.available:
            return {"available": False, "can_convert": False, "converters": []}
        self._queue()
        settings = self.settings
        converters = [s.status(settings.timeout, settings.start_timeout) for s in self._slots]
        can = any(c["state"] in ("idle", "busy", "starting", "stopped") for c in converters)
        return {
            "available": True,
            "can_convert": can,
            "waiting": self._waiting,
            "converters": converters,
        }

    @property
    def _closed(self) -> bool:
        return self._closing.is_set()

    async def aclose(self) -> None:
        """Stop the watchdog and every LibreOffice (one starting in the background
        stops itself when it is up); remove the folder."""
        self._closing.set()
        if self._watchdog is not None:
            self._watchdog.cancel()
        await asyncio.get_running_loop().run_in_executor(None, self.close)
        if self._tasks:  # background restarts: killed by close, they end at once
            await asyncio.wait(list(self._tasks), timeout=10)
        shutil.rmtree(self._root, ignore_errors=True)

    def close(self) -> None:
        self._closing.set()
        stops = [threading.Thread(target=s.stop, kwargs={"graceful": True}) for s in self._slots]
        for stop in stops:  # all at once: a stopping server waits for the slowest only
            stop.start()
        for stop in stops:
            stop.join()
        self._pool.shutdown(wait=False, cancel_futures=True)
        shutil.rmtree(self._root, ignore_errors=True)


def convert_docx(docx: bytes, settings: PoolSettings | None = None) -> bytes:
    """A .docx's PDF, made by one LibreOffice started for it and stopped after: the
    command line's conversion, by the server's code. The UNO worker is not used: for
    a single document a cold ``soffice --convert-to`` is as fast as starting one."""
    converter = PdfConverter(settings or PoolSettings(slots=1), kept_alive=False)
    try:
        if not converter.available:
            raise PdfUnavailable("error.no_libreoffice")
        return converter.convert_now(docx)
    finally:
        converter.close()


def remove_stale_folders() -> None:
    """Remove converter folders (and their LibreOffice pipes) left by a server
    process that no longer exists (killed before it could clean up)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{_PREFIX}*-*"):
        pid = folder.name[len(_PREFIX) :].split("-", 1)[0]
        if not pid.isdigit() or _alive(int(pid)):
            continue
        for profile in folder.glob("profile-*"):
            remove_pipes(profile.as_uri())
        for pipe in Path("/tmp").glob(f"OSL_PIPE_*_{folder.name}-*"):
            with contextlib.suppress(OSError):
                pipe.unlink()
        shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
