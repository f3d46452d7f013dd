"""How much of a file xlsummary will read, and how long a user's template may run.

Every entry point (the CLI, the Excel add-in, the server) reads workbooks and Word
templates through the same functions, and those functions take one :class:`Limits`.
The defaults are far above anything a standardized workbook or a report template
needs (the example workbook is 30 KB, a 1000-indicator workbook 3 MB unpacked), and
far below what would exhaust a 2-core, few-GB office server. They exist so that a
hostile or broken file costs a refusal, never a crash, a hang or all the memory.

The environment variables are read in one place, :meth:`Limits.from_env`, which the
CLI and the server's ``Settings`` call; library callers pass a ``Limits`` or get the
defaults. docs/limits.md lists them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    #: bytes of a workbook or template file as stored (read no further than this)
    max_file: int = 50 * MB
    #: bytes all the members of its zip really inflate to, counted while inflating
    max_unpacked: int = 100 * MB
    #: members of one zip (a workbook has about 15, a report template about 20)
    max_members: int = 2000
    #: rows, columns and value cells of one sheet, found before python-calamine (which
    #: holds a sheet as a dense rectangle up to its farthest cell) sees it
    max_rows: int = 20_000
    max_columns: int = 200
    max_cells: int = 1_000_000
    #: cells of the rectangles (A1 to the farthest value) of all the sheets read, which
    #: the reader holds at once
    max_workbook_cells: int = 5_000_000
    #: strings a workbook may declare in its shared-string table (calamine reserves
    #: room for the declared count before reading one)
    max_shared_strings: int = 2_000_000
    #: wall-clock seconds and memory (bytes of address space) for rendering or
    #: inspecting a user's own Word template in its worker process
    template_seconds: float = 30.0
    template_memory: int = 512 * MB
    #: bytes of a rendered report
    max_report: int = 100 * MB

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Limits:
        """The defaults, overridden by ``XLSUMMARY_<FIELD>`` variables (sizes in bytes)."""
        env = os.environ if env is None else env
        values: dict[str, int | float] = {}
        for f in fields(cls):
            raw = env.get(ENV_NAMES[f.name], "").strip()
            if raw:
                kind = float if f.type in ("float", float) else int
                try:
                    value = kind(raw)
                except ValueError:
                    from xlsummary.errors import UsageError

                    raise UsageError(
                        "files.env_not_a_number", name=ENV_NAMES[f.name], raw=raw
                    ) from None
                if value > 0:
                    values[f.name] = value
        return cls(**values)  # type: ignore[arg-type]


ENV_NAMES = {
    "max_file": "XLSUMMARY_MAX_FILE",
    "max_unpacked": "XLSUMMARY_MAX_UNCOMPRESSED",
    "max_members": "XLSUMMARY_MAX_MEMBERS",
    "max_rows": "XLSUMMARY_MAX_ROWS",
    "max_columns": "XLSUMMARY_MAX_COLUMNS",
    "max_cells": "XLSUMMARY_MAX_CELLS",
    "max_workbook_cells": "XLSUMMARY_MAX_WORKBOOK_CELLS",
    "max_shared_strings": "XLSUMMARY_MAX_SHARED_STRINGS",
    "template_seconds": "XLSUMMARY_TEMPLATE_SECONDS",
    "template_memory": "XLSUMMARY_TEMPLATE_MEMORY",
    "max_report": "XLSUMMARY_MAX_REPORT",
}

DEFAULT = Limits()
