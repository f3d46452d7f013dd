"""Server limits, from environment variables (documented in docs/server.md and
docs/limits.md). The reader's and the template worker's limits are the CLI's
:class:`~xlsummary.limits.Limits`, from the same variables."""

from __future__ import annotations

import os
from dataclasses import dataclass

from xlsummary.limits import DEFAULT, Limits
from xlsummary.pdf import PoolSettings


def _flag(value: str) -> bool:
    return value.strip().lower() not in ("0", "false", "no")


@dataclass(frozen=True)
class Settings:
    max_upload: int = 10 * 1024 * 1024  # bytes of the uploaded file
    max_template: int = 5 * 1024 * 1024
    request_timeout: float = 60.0  # seconds for one conversion to PDF (start-up apart)
    conversions: int = 2  # LibreOffice processes: PDF conversions at once
    pdf_start_timeout: float = 60.0  # seconds for a LibreOffice to start
    pdf_restart_after: int = 200  # conversions, then a fresh LibreOffice
    queue_size: int = 100  # requests waiting for a converter (or a template worker)
    queue_timeout: float = 60.0  # seconds a request may wait for one
    pdf_autostart: bool = True  # start LibreOffice with the server, not on the first PDF
    pdf_watch_interval: float = 5.0  # seconds between liveness checks of idle converters
    custom_templates: bool = True  # accept a .docx template with a render request
    template_workers: int = max(1, min(4, os.cpu_count() or 1))  # user templates at once
    header_timeout: float = 10.0  # seconds for a request's headers to arrive
    body_timeout: float = 60.0  # seconds for its whole body to arrive
    uno_python: str | None = None  # a Python that can import uno, for the PDF converters
    #: what the reader and the template worker accept (the CLI's limits, same variables)
    limits: Limits = DEFAULT

    @property
    def max_body(self) -> int:
        """The largest request: a workbook, last year's, a template and the form."""
        return 2 * self.max_upload + self.max_template + 64 * 1024

    @property
    def pool(self) -> PoolSettings:
        return PoolSettings(
            slots=self.conversions,
            timeout=self.request_timeout,
            start_timeout=self.pdf_start_timeout,
            restart_after=self.pdf_restart_after,
            queue_size=self.queue_size,
            queue_timeout=self.queue_timeout,
            watch_interval=self.pdf_watch_interval,
            uno_python=self.uno_python,
        )

    @classmethod
    def from_env(cls, env: dict | None = None) -> Settings:
        env = os.environ if env is None else env
        fields = {
            "max_upload": ("XLSUMMARY_MAX_UPLOAD", int),
            "max_template": ("XLSUMMARY_MAX_TEMPLATE", int),
            "request_timeout": ("XLSUMMARY_REQUEST_TIMEOUT", float),
            "conversions": ("XLSUMMARY_CONVERSIONS", int),
            "pdf_start_timeout": ("XLSUMMARY_PDF_START_TIMEOUT", float),
            "pdf_restart_after": ("XLSUMMARY_PDF_RESTART_AFTER", int),
            "queue_size": ("XLSUMMARY_QUEUE_SIZE", int),
            "queue_timeout": ("XLSUMMARY_QUEUE_TIMEOUT", float),
            "pdf_autostart": ("XLSUMMARY_PDF_AUTOSTART", _flag),
            "pdf_watch_interval": ("XLSUMMARY_PDF_WATCH_INTERVAL", float),
            "custom_templates": ("XLSUMMARY_CUSTOM_TEMPLATES", _flag),
            "template_workers": ("XLSUMMARY_TEMPLATE_WORKERS", int),
            "header_timeout": ("XLSUMMARY_HEADER_TIMEOUT", float),
            "body_timeout": ("XLSUMMARY_BODY_TIMEOUT", float),
            "uno_python": ("XLSUMMARY_UNO_PYTHON", str),
        }
        values = {}
        for name, (key, kind) in fields.items():
            if env.get(key):
                values[name] = kind(env[key])
        return cls(**values, limits=Limits.from_env(env))
