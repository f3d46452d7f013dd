"""The test side of tests/calc_worker.py: one LibreOffice Calc for many workbooks."""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from pathlib import Path

import pytest

from tests.conftest import soffice
from xlsummary.pdf.converter import uno_python
from xlsummary.pdf.lo_worker import harden_profile, remove_pipes

WORKER = Path(__file__).with_name("calc_worker.py")


class Calc:
    """A running Calc: ``recalc(path, cases, sheet, cells)`` sets each case's cells,
    recalculates and returns the cells read after each case (see calc_worker.py)."""

    def __init__(self, folder: Path) -> None:
        python = uno_python()
        if python is None:
            if os.environ.get("CI"):
                pytest.fail("python3-uno is required in CI")
            pytest.skip("no Python with LibreOffice's UNO bindings")
        profile = folder / "calc-profile"
        harden_profile(profile)
        self.profile_url = profile.as_uri()
        self.pipe = f"xlsummary-test-{uuid.uuid4().hex}"
        self.process = subprocess.Popen(
            [python, str(WORKER), soffice(), self.profile_url, self.pipe],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        ready = self._answer()
        assert ready.get("ready"), ready

    def _answer(self) -> dict:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        assert line, "the Calc worker stopped"
        return json.loads(line)

    def recalc(
        self, path: Path, cases: list[dict], sheet: str, cells: str, save: Path | None = None
    ) -> list[list[list[object]]]:
        assert self.process.stdin is not None
        job = {"source": str(path), "cases": cases, "read": [sheet, cells]}
        if save is not None:
            job["save"] = str(save)
        self.process.stdin.write(json.dumps(job) + "\n")
        self.process.stdin.flush()
        answer = self._answer()
        assert answer["ok"], answer
        return answer["results"]

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        remove_pipes(self.profile_url, self.pipe)
