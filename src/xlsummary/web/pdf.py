"""Word to PDF through the real LibreOffice, bounded and cleaned up.

Each conversion slot owns a LibreOffice user profile that is created once and reused
(profile creation is most of a cold start), so conversions at once never share one;
a semaphore bounds them; a conversion that hangs is killed at the time limit; every
file goes into a temporary folder that is removed afterwards. When ``soffice`` is not
installed, ``available`` is False and the API answers 503 while DOCX keeps working.

Not yet the kept-alive LibreOffice process the server issue asks for: each conversion
still starts ``soffice``.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import tempfile
from pathlib import Path


class PdfConverter:
    def __init__(self, slots: int = 2, timeout: float = 60.0) -> None:
        self.binary = shutil.which("soffice") or shutil.which("libreoffice")
        self.timeout = timeout
        self._root = Path(tempfile.mkdtemp(prefix="xlsummary-lo-"))
        self._slots: asyncio.Queue[Path] = asyncio.Queue()
        for k in range(max(1, slots)):
            self._slots.put_nowait(self._root / f"profile-{k}")

    @property
    def available(self) -> bool:
        return self.binary is not None

    async def convert(self, docx: bytes) -> bytes:
        profile = await self._slots.get()
        try:
            return await asyncio.to_thread(self._convert, docx, profile)
        finally:
            self._slots.put_nowait(profile)

    def _convert(self, docx: bytes, profile: Path) -> bytes:
        with tempfile.TemporaryDirectory(prefix="xlsummary-pdf-") as work:
            source = Path(work) / "report.docx"
            source.write_bytes(docx)
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
                    work,
                    str(source),
                ],
                capture_output=True,
                timeout=self.timeout,
                check=False,
            )
            result = Path(work) / "report.pdf"
            if not result.exists():
                raise RuntimeError("LibreOffice produced no PDF")
            return result.read_bytes()

    def close(self) -> None:
        shutil.rmtree(self._root, ignore_errors=True)
