"""The workbook's own words (titles, notes, the Excel input prompts and error
messages, the computed status texts and the 说明 sheet's steps) in the shape the
sheet writers use, taken from the catalogue (``workbook.*`` in :mod:`xlsummary.i18n`).

Changing any of them changes the committed templates: run
``python scripts/update_templates.py``. Words shared with the reader (sheet names,
column headers, period and rule labels) are the workbook's format and live in
``workbook_layout``, ``periods`` and ``catalogue``.
"""

from __future__ import annotations

from xlsummary.i18n import LANGS, text, words


def _words(lang: str) -> dict[str, object]:
    out: dict[str, object] = dict(words("workbook.text", lang))
    out["info_header"] = tuple(words("workbook.info_header", lang).values())
    out["meta"] = tuple(words("workbook.meta", lang).values())
    out["points"] = text("report.points_suffix", lang)  # the 同比 of a rate, as the report says it
    return out


#: language -> name -> word, pattern ("title", "status_missing") or tuple of column heads
TEXT = {lang: _words(lang) for lang in LANGS}
#: language -> the 说明 sheet's steps, in order
GUIDE = {lang: list(words("workbook.guide", lang).values()) for lang in LANGS}
