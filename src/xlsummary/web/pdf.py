"""Word to PDF through the real LibreOffice, kept alive, bounded and cleaned up.

A cold ``soffice --convert-to pdf`` spends most of its second starting LibreOffice.
So each conversion slot keeps one LibreOffice running (``lo_worker.py``, driven over
UNO by the Python that has LibreOffice's bindings: Debian's python3 with
python3-uno), with its own user profile, and hands it one document at a time. A
semaphore of slots bounds concurrent conversions; a job that exceeds the time limit
gets its LibreOffice killed (the whole process group) and a fresh one starts for the
next job, as does one that died; every file goes into a temporary folder that is
removed afterwards.

Without the UNO bindings each conversion starts ``soffice`` (still with a reused
profile per slot); without LibreOffice at all, ``available`` is False and the API
answers 503 while DOCX keeps working.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

WORKER = Path(__file__).with_name("lo_worker.py")
_UNO_PYTHONS = ("/usr/bin/python3", "/usr/lib/libreoffice/program/python")


def uno_python() -> str | None:
    """A Python that can ``import uno`` (XLSUMMARY_UNO_PYTHON, or Debian's)."""
    candidates = [os.environ.get("XLSUMMARY_UNO_PYTHON"), *_UNO_PYTHONS]
    for python in filter(None, candidates):
        if Path(python).exists():
            probe = subprocess.run(
                [python, "-c", "import uno"], capture_output=True, timeout=30, check=False
            )
            if probe.returncode == 0:
                return python
    return None


class ConversionError(RuntimeError):
    pass


class _Worker:
    """One kept-alive LibreOffice, used by one conversion at a time."""

    def __init__(self, python: str, soffice: str, profile: Path) -> None:
        self.python, self.soffice, self.profile = python, soffice, profile
        self.proc: subprocess.Popen | None = None
        # LibreOffice's temporary files and pipes go under our folder, removed on close
        self.tmp = profile.with_name(profile.name + "-tmp")

    def _start(self, timeout: float) -> None:
        self.proc = subprocess.Popen(
            [self.python, str(WORKER), self.soffice, self.profile.as_uri()],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            bufsize=1,
            start_new_session=True,  # its own group: kill it whole
        )
        if not self._answer(timeout).get("ready"):
            raise ConversionError("LibreOffice did not start")

    def _answer(self, timeout: float) -> dict:
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        line = self.proc.stdout.readline() if ready else ""
        if not line:
            self.stop()
            raise ConversionError(
                "LibreOffice did not answer in time" if not ready else "LibreOffice stopped"
            )
        return json.loads(line)

    def convert(self, source: Path, target: Path, timeout: float) -> None:
        if self.proc is None or self.proc.poll() is not None:
            self._start(timeout)
        self.proc.stdin.write(json.dumps({"source": str(source), "target": str(target)}) + "\n")
        self.proc.stdin.flush()
        answer = self._answer(timeout)
        if not answer.get("ok"):
            # a crashed soffice.bin leaves the worker alive with a dead UNO bridge:
            # after any failure start afresh rather than fail every later job
            self.stop()
            raise ConversionError(answer.get("error", "conversion failed"))

    def stop(self, graceful: bool = False) -> None:
        """Kill the worker and its LibreOffice (the whole process group); with
        ``graceful``, first let LibreOffice close and clean up after itself."""
        if self.proc is None:
            return
        if graceful and self.proc.poll() is None:
            with contextlib.suppress(OSError):
                self.proc.stdin.close()  # the worker then terminates LibreOffice
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        self.proc = None


class PdfConverter:
    def __init__(self, slots: int = 2, timeout: float = 60.0, kept_alive: bool = True) -> None:
        self.binary = shutil.which("soffice") or shutil.which("libreoffice")
        self.timeout = timeout
        self.kept_alive = kept_alive
        self._root = Path(tempfile.mkdtemp(prefix="xlsummary-lo-"))
        self._count = max(1, slots)
        self._slots: asyncio.Queue | None = None
        self._python: str | bool | None = False  # not looked up yet
        self._workers: dict[Path, _Worker] = {}

    @property
    def available(self) -> bool:
        return self.binary is not None

    def _queue(self) -> asyncio.Queue:
        if self._slots is None:  # made in the running event loop
            self._slots = asyncio.Queue()
            for k in range(self._count):
                self._slots.put_nowait(self._root / f"profile-{k}")
        return self._slots

    async def convert(self, docx: bytes) -> bytes:
        slots = self._queue()
        slot = await slots.get()
        try:
            return await asyncio.to_thread(self._convert, docx, slot)
        finally:
            slots.put_nowait(slot)

    def _worker(self, slot: Path) -> _Worker | None:
        if not self.kept_alive:
            return None
        if self._python is False:
            self._python = uno_python()
        if self._python is None:
            return None
        if slot not in self._workers:
            self._workers[slot] = _Worker(self._python, self.binary, slot)
        return self._workers[slot]

    def _convert(self, docx: bytes, slot: Path) -> bytes:
        with tempfile.TemporaryDirectory(prefix="xlsummary-pdf-") as work:
            source = Path(work) / "report.docx"
            target = Path(work) / "report.pdf"
            source.write_bytes(docx)
            worker = self._worker(slot)
            if worker is not None:
                worker.convert(source, target, self.timeout)
            else:
                self._cold(source, slot)
            if not target.exists():
                raise ConversionError("LibreOffice produced no PDF")
            return target.read_bytes()

    def _cold(self, source: Path, profile: Path) -> None:
        try:
            subprocess.run(
                [
                    self.binary,
                    "--headless",
                    "--norestore",
                    "--nologo",
                    f"-env:UserInstallation={profile.as_uri()}",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(source.parent),
                    str(source),
                ],
                capture_output=True,
                timeout=self.timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise ConversionError("LibreOffice did not finish in time") from None

    def close(self) -> None:
        for worker in self._workers.values():
            worker.stop(graceful=True)
        shutil.rmtree(self._root, ignore_errors=True)
