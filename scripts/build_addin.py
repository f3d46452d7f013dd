"""Rebuild src/xlsummary/excel/xlsummary.xlam from the installed xlwings' ribbon add-in.

Run after upgrading xlwings or changing the ribbon: python scripts/build_addin.py
(tests/test_addin.py fails when the committed add-in differs from this output).
"""

from xlsummary.excel.build_addin import build_addin, shipped_addin
from xlsummary.outputs import write_output

print(write_output(build_addin(), shipped_addin(), force=True))
