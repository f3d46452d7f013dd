"""Regenerate the committed templates from code: the blank workbooks in
workbook_templates/ and the Word templates in docx_templates/.

Run after changing a profile, the workbook generator or the Word template builder:
    python scripts/update_templates.py
"""

from pathlib import Path

from xlsummary.docx_template import SHIPPED, build_report_template
from xlsummary.generate import COMMITTED_TEMPLATES, generate_workbook
from xlsummary.outputs import write_output

ROOT = Path(__file__).resolve().parents[1]

for name, profile, lang, live in COMMITTED_TEMPLATES:
    data = generate_workbook(profile, None, lang, live=live)
    print(write_output(data, ROOT / "workbook_templates" / name, force=True))
for name, lang in SHIPPED.items():
    print(write_output(build_report_template(lang), ROOT / "docx_templates" / name, force=True))
