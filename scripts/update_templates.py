"""Regenerate the blank workbooks in workbook_templates/ from the profiles.

Run after changing a profile or the generator: python scripts/update_templates.py
"""

from pathlib import Path

from xlsummary.generate import COMMITTED_TEMPLATES, generate_workbook
from xlsummary.outputs import write_output

TARGET = Path(__file__).resolve().parents[1] / "workbook_templates"

for name, profile, lang in COMMITTED_TEMPLATES:
    write_output(generate_workbook(profile, None, lang), TARGET / name, force=True)
    print(TARGET / name)
