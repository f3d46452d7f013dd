"""The Excel adapter: functions Excel calls through xlwings (``udfs``), built on the
same core as the CLI. ``ranges`` turns what Excel passes into the core's grids."""
