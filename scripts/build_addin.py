"""Rebuild the Excel add-in files beside src/xlsummary/excel/udfs.py:

- xlsummary.xlam, from the installed xlwings' ribbon add-in;
- xlsummary_udfs.bas, the VBA wrappers of the worksheet functions, from xlwings' own
  generator.

Run after upgrading xlwings (change its exact pin in pyproject.toml too), changing the
ribbon or a function's signature:
    python scripts/build_addin.py
(tests/test_excel_addin.py fails when the committed files differ from this output.)
"""

from xlsummary.excel.build_addin import build_addin, shipped_addin
from xlsummary.excel.vba_wrappers import generate_bas, shipped_bas
from xlsummary.outputs import write_output

print(write_output(build_addin(), shipped_addin(), force=True))
print(write_output(generate_bas().encode("utf-8"), shipped_bas(), force=True))
