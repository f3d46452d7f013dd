"""Server limits, from environment variables (documented in docs/server.md)."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    max_upload: int = 10 * 1024 * 1024  # bytes of the uploaded file
    max_uncompressed: int = 100 * 1024 * 1024  # bytes of the workbook's zip, unpacked
    max_ratio: int = 100  # unpacked / packed: beyond it the zip is a bomb
    max_template: int = 5 * 1024 * 1024
    request_timeout: float = 60.0  # seconds for a conversion to PDF
    conversions: int = 2  # PDF conversions at once
    custom_templates: bool = True  # accept a .docx template with a render request

    @classmethod
    def from_env(cls, env: dict | None = None) -> Settings:
        env = os.environ if env is None else env
        fields = {
            "max_upload": ("XLSUMMARY_MAX_UPLOAD", int),
            "max_uncompressed": ("XLSUMMARY_MAX_UNCOMPRESSED", int),
            "max_ratio": ("XLSUMMARY_MAX_RATIO", int),
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
        return cls(**values)
