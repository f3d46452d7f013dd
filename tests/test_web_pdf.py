"""The kept-alive LibreOffice behind the PDF route: fast after the first document,
back after a crash or a hang, and leaving no files behind."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import soffice
from xlsummary.check import check_workbook
from xlsummary.render_docx import load_template
from xlsummary.report import default_template, render_context
from xlsummary.web.pdf import ConversionError, PdfConverter, uno_python

pytestmark = pytest.mark.slow


@pytest.fixture
def report(make_workbook) -> bytes:
    result = check_workbook(make_workbook(example=True))
    context = render_context(result, today=dt.date(2024, 1, 5))
    return load_template(default_template("zh")).render(context)


def test_kept_alive_converter(report):
    soffice()
    if uno_python() is None:
        pytest.fail("LibreOffice's UNO bindings are required: scripts/test.sh installs python3-uno")

    async def scenario():
        converter = PdfConverter(slots=1, timeout=60)
        try:
            first = await converter.convert(report)
            (worker,) = converter._workers.values()
            pid = worker.proc.pid
            second = await converter.convert(report)
            assert worker.proc.pid == pid  # the same LibreOffice: no cold start per document
            worker.stop()  # as if LibreOffice had crashed
            third = await converter.convert(report)
            assert worker.proc.pid != pid  # a new one took over
            converter.timeout = 0.01  # a job that cannot finish in time
            with pytest.raises(ConversionError, match="in time"):
                await converter.convert(report)
            assert worker.proc is None  # killed, to be restarted by the next job
            converter.timeout = 60
            fourth = await converter.convert(report)
            # LibreOffice itself dies (not the worker): the next job fails over to a new one
            import os
            import signal
            import subprocess

            children = subprocess.run(
                ["pgrep", "-g", str(worker.proc.pid), "soffice.bin"], capture_output=True, text=True
            ).stdout.split()
            for pid in children:
                os.kill(int(pid), signal.SIGKILL)
            with pytest.raises(ConversionError):
                await converter.convert(report)
            fifth = await converter.convert(report)
            assert fifth.startswith(b"%PDF")
            return first, second, third, fourth, converter._root
        finally:
            converter.close()

    *pdfs, root = asyncio.run(scenario())
    assert all(p.startswith(b"%PDF") for p in pdfs)
    assert not Path(root).exists()  # profiles and temporary files removed
