"""The catalogues: every language says every message, with the same parameters."""

from __future__ import annotations

import string
from pathlib import Path

import pytest

from xlsummary.i18n import LANGS, Msg, catalogue, text

SRC = Path(__file__).resolve().parents[1] / "src" / "xlsummary"


def _fields(pattern: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(pattern) if name}


# keys whose languages word the sentence from different parameters (all are passed)
_OWN_FIELDS = {
    "web.workbook_name",
    "report.section_number",  # 一、二、… or 1. 2. …
    "report.span",  # 1月至6月 or Jan–Jun
    "report.date",  # 2023年12月28日 or 28 December 2023
    "report.date_month",
    "report.date_cn",  # 二〇二三年… or 28 December 2023
    "report.date_month_cn",
    # a technical detail (zip damage, the XML parser's words) given in English only
    "files.detail",
    "files.sheet_dtd",
    "files.sheet_malformed",
}


@pytest.mark.parametrize("lang", LANGS[1:])
def test_every_language_has_the_same_keys_and_placeholders(lang):
    """Same keys, same parameters: a translator's typo in a placeholder would fail only
    when that message is finally said."""
    default = catalogue(LANGS[0])
    other = catalogue(lang)
    assert sorted(set(default) ^ set(other)) == []
    differ = {
        k: sorted(_fields(other[k]) ^ _fields(v))
        for k, v in default.items()
        if k not in _OWN_FIELDS and _fields(other[k]) != _fields(v)
    }
    assert differ == {}


def test_language_specific_parameters_and_nested_messages():
    assert text("issue.missing_field", "zh", field="填报单位", field_en="Reporting unit") == (
        "“填报单位”未填写。"
    )
    assert text("issue.missing_field", "en", field="填报单位", field_en="Reporting unit") == (
        "Reporting unit is empty."
    )
    nested = Msg("issue.missing_field", {"field": "x"})
    assert nested("fr") == nested("zh")  # an unknown language is the default one


def test_no_language_branches_outside_the_catalogue():
    """Words are chosen by the catalogue, not by `if lang == "en"` in the code."""
    import re

    branch = re.compile(r"""\blang\s*[!=]=|[!=]=\s*["'](?:zh|en)["']|["'](?:zh|en)["']\s*if\b""")
    found = [
        f"{path.relative_to(SRC)}:{n}"
        for path in SRC.rglob("*.py")
        if path.parent.name != "i18n"
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if branch.search(line)
    ]
    assert found == []


_SECTIONS = "issue|error|label|files|workbook|templates|excel|addin|report|page|cli|web"


def test_every_key_named_in_the_code_is_in_the_catalogue():
    """A key spelt out in the code (``text("cli.written", …)``, ``OutputError("report.…")``)
    must exist: a missing one would fail where the message is finally said."""
    import re

    literal = re.compile(rf"""["']((?:{_SECTIONS})\.[a-z0-9_.]+)["']""")
    named = {
        (path.relative_to(SRC), key)
        for path in SRC.rglob("*.py")
        if path.parent.name != "i18n"
        for key in literal.findall(path.read_text("utf-8"))
        if not key.endswith(".") and not re.search(r"\.(xlsx|xlsm|docx|pdf|xml|rels|py)$", key)
    }
    known = catalogue(LANGS[0])
    prefixes = {k.rsplit(".", n)[0] for k in known for n in range(1, k.count(".") + 1)}
    missing = [(str(p), k) for p, k in named if k not in known and k not in prefixes]
    assert sorted(missing) == []


def test_the_page_writes_no_word_of_its_own():
    """The web page gets every word from the catalogue (see ``web/routes.py``)."""
    import re

    page = (SRC / "web" / "static" / "index.html").read_text("utf-8")
    assert re.findall(r"[\u4e00-\u9fff]+", page) == []
    assert "lang ===" not in page


def test_every_error_class_and_request_code_can_say_itself():
    """An error raised without a key of its own still says one sentence (its class's
    default, ``error.<code>``; a request problem's ``web.<code>``)."""
    import importlib.util

    from tests.conftest import ROOT
    from xlsummary.web.errors import REQUEST_CODES, RequestProblem

    spec = importlib.util.spec_from_file_location("gen_docs", ROOT / "scripts" / "gen_docs.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    known = catalogue(LANGS[0])
    classes = [c for c in gen.error_classes() if c is not RequestProblem]
    missing = [c.code for c in classes if f"error.{c.code}" not in known]
    missing += [code for code in REQUEST_CODES if f"web.{code}" not in known]
    assert missing == []
    assert RequestProblem("http_error", status=403).status == 403
