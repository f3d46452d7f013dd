"""Server limits, from environment variables (documented in docs/server.md and
docs/limits.md). The reader's and the template worker's limits are the CLI's
:class:`~xlsummary.limits.Limits`, from the same variables."""

from __future__ import annotations

import os
from dataclasses import dataclass

from xlsummary.limits import DEFAULT, Limits


@dataclass(frozen=True)
class Settings:
    max_upload: int = 10 * 1024 * 1024  # bytes of the uploaded file
    max_template: int = 5 * 1024 * 1024
    request_timeout: float = 60.0  # seconds for a conversion to PDF
    conversions: int = 2  # PDF conversions at once
    custom_templates: bool = True  # accept a .docx template with a render request
    #: what the reader and the template worker accept (the CLI's limits, same variables)
    limits: Limits = DEFAULT

    @classmethod
    def from_env(cls, env: dict | None = None) -> Settings:
        env = os.environ if env is None else env
        fields = {
            "max_upload": ("XLSUMMARY_MAX_UPLOAD", int),
            "max_template": ("XLSUMMARY_MAX_TEMPLATE", int),
            "request_timeout": ("XLSUMMARY_REQUEST_TIMEOUT", float),
            "conversions": ("XLSUMMARY_CONVERSIONS", int),
            "custom_templates": (
                "XLSUMMARY_CUSTOM_TEMPLATES",
                lambda v: v.strip().lower() not in ("0", "false", "no"),
            ),
        }
        values = {}
        for name, (key, kind) in fields.items():
            if env.get(key):
                values[name] = kind(env[key])
        return cls(**values, limits=Limits.from_env(env))
