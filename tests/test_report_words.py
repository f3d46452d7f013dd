"""How the report words its figures, marks a draft and records where it came from:
real workbooks, real .docx files read back (python-docx and the package's XML)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import subprocess
import zipfile
from xml.etree import ElementTree

import docx
import pytest
from lxml import etree

import xlsummary
from tests.conftest import fill, libreoffice_convert
from xlsummary.check import check_workbook
from xlsummary.context import paragraphs
from xlsummary.i18n import catalogue
from xlsummary.report import make_report, render_context, render_report
from xlsummary.running_text import fill_placeholders

TODAY = dt.date(2024, 1, 5)
MADE = dt.datetime(2024, 1, 5, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
RESULTS = "叙述!C6"  # the 取得成效 text cell of the generated workbook
CUSTOM = "docProps/custom.xml"
NS = {
    "cp": "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
    "vt": "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}


def body(data: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def custom_properties(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        root = ElementTree.fromstring(package.read(CUSTOM))
    found = {}
    for prop in root.findall("cp:property", NS):
        assert prop.get("fmtid") == "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
        (value,) = list(prop)
        if value.tag == f"{{{NS['vt']}}}lpwstr":  # ours are strings; a template's may not be
            found[prop.get("name")] = value.text or ""
    pids = [int(p.get("pid")) for p in root.findall("cp:property", NS)]
    assert pids == list(range(2, 2 + len(pids)))  # Word numbers them from 2, no gaps
    return found


# --- 同比 when there is nothing to compare with


def test_comparison_is_left_out_when_last_year_is_zero_or_missing(make_workbook, tmp_path):
    path = fill(make_workbook(example=True), {"月度统计!P6": 0, "月度统计!P8": None})
    text = body(make_report(path, today=TODAY, made=MADE).data)
    # "接诊门诊{门诊人次}人次，同比{门诊人次|同比}；" and "开展手术{手术例数}例，同比{…}；"
    assert "接诊门诊15058人次；收治住院445人次，开展手术33例；帮助" in text
    assert "同比—" not in text and "，；" not in text
    issues = [i for i in check_workbook(path).issues if i.code == "comparison_left_out"]
    assert [(i.severity, i.sheet, i.cell, i.indicator) for i in issues] == [
        ("warning", "叙述", "C6", "outpatient"),
        ("warning", "叙述", "C6", "surgery"),
    ]
    assert "门诊人次" in issues[0].message() and "上年同期为0" in issues[0].message()
    assert "手术例数" in issues[1].message() and "上年同期未填写" in issues[1].message()
    assert "略去" in issues[0].message()
    assert "prior-year figure is 0" in issues[0].message("en")


def test_comparison_left_out_reads_naturally_in_other_wordings(make_workbook):
    path = fill(
        make_workbook(example=True),
        {
            "月度统计!P6": None,  # outpatient
            "月度统计!P23": None,  # satisfaction, a rate: its change is in points
            RESULTS: "门诊{门诊人次}人次，较上年同期{门诊人次|同比}。"
            "满意度{患者满意度}%（{患者满意度|同比}）。同比{门诊人次|同比}，门诊继续增加。",
        },
    )
    context = render_context(check_workbook(path), today=TODAY)
    results = next(s for s in context["sections"] if s["code"] == "results")
    assert [p["text"] for p in results["paragraphs"]] == [
        "门诊15058人次。满意度97.0%。门诊继续增加。"
    ]
    codes = [i.indicator for i in check_workbook(path).issues if i.code == "comparison_left_out"]
    assert codes == ["outpatient", "satisfaction", "outpatient"]


@pytest.fixture(scope="module")
def no_comparison_checked(tmp_path_factory):
    """The example workbook in each language with outpatient's prior year not entered
    and surgery's 0: neither comparison can be made; inpatient's (+10.7%) can."""
    from xlsummary.generate import generate_workbook
    from xlsummary.outputs import write_output

    checked = {}
    for lang, sheet in (("zh", "月度统计"), ("en", "Monthly")):
        path = tmp_path_factory.mktemp("nocmp") / f"{lang}.xlsx"
        write_output(generate_workbook("hospital", None, lang, True), path)
        checked[lang] = check_workbook(fill(path, {f"{sheet}!P6": None, f"{sheet}!P8": 0}))
    return checked


@pytest.mark.parametrize(
    ("lang", "typed", "expected"),
    [
        # sentences left with only their lead-in words go whole, with their punctuation
        (
            "zh",
            "门诊{门诊人次}人次。同比{门诊人次|同比}。出院{住院人次}人次。"
            "较上年同期{门诊人次|同比}；手术{手术例数}例。",
            ["门诊15058人次。出院445人次。手术33例。"],
        ),
        ("zh", "同比{门诊人次|同比}。门诊继续增加。", ["门诊继续增加。"]),
        ("zh", "同比{门诊人次|同比}。", []),
        ("zh", "{门诊人次|同比}", []),
        ("zh", "门诊{门诊人次}人次，同比{门诊人次|同比}\n第二段", ["门诊15058人次", "第二段"]),
        # 分别 and pairs
        (
            "zh",
            "门诊{门诊人次}人次、手术{手术例数}例，分别同比{门诊人次|同比}和{手术例数|同比}。",
            ["门诊15058人次、手术33例。"],
        ),
        (
            "zh",
            "门诊{门诊人次}人次、手术{手术例数}例，同比分别{门诊人次|同比}、{手术例数|同比}。",
            ["门诊15058人次、手术33例。"],
        ),
        (  # 分别 with one of the two left out would pin the other on both: it goes too
            "zh",
            "门诊{门诊人次}人次、住院{住院人次}人次，分别同比{门诊人次|同比}和{住院人次|同比}。",
            ["门诊15058人次、住院445人次。"],
        ),
        (
            "zh",
            "门诊{门诊人次}人次（同比{门诊人次|同比}，较上年同期{手术例数|同比}）。",
            ["门诊15058人次。"],
        ),
        ("zh", "门诊人次同比{门诊人次|同比}，手术例数同比{手术例数|同比}。", []),
        (
            "zh",
            "门诊人次同比{门诊人次|同比}，住院人次同比{住院人次|同比}。",
            ["住院人次同比增长10.7%。"],
        ),
        (
            "zh",
            "门诊{门诊人次}人次，同比{门诊人次|同比}、手术{手术例数}例。",
            ["门诊15058人次，手术33例。"],
        ),
        (
            "zh",
            "门诊{门诊人次}人次,同比{门诊人次|同比},手术{手术例数}例.",
            ["门诊15058人次,手术33例."],
        ),
        ("zh", "门诊{门诊人次}人次（{门诊人次|同比}）", ["门诊15058人次"]),
        ("zh", "门诊{门诊人次}人次，与上年同期相比{门诊人次|同比}；", ["门诊15058人次；"]),
        ("zh", "门诊{门诊人次}人次，同比 {门诊人次|同比}；", ["门诊15058人次；"]),
        ("zh", "全年门诊{门诊人次}人次同比{门诊人次|同比}。", ["全年门诊15058人次。"]),
        # English puts the words after the figure
        (
            "en",
            "Staff saw {Outpatient visits} outpatients, {outpatient|yoy} on last year, admitted "
            "{Inpatient admissions} inpatients and performed {Operations} operations ({surgery|yoy}).",
            ["Staff saw 15,058 outpatients, admitted 445 inpatients and performed 33 operations."],
        ),
        (
            "en",
            "Visits rose to {Outpatient visits}, {outpatient|yoy} year on year, and more.",
            ["Visits rose to 15,058, and more."],
        ),
        ("en", "Outpatients: {Outpatient visits} (up {outpatient|yoy}).", ["Outpatients: 15,058."]),
        (
            "en",
            "Outpatient visits were {Outpatient visits}, {outpatient|yoy} compared with last year; "
            "operations {Operations}.",
            ["Outpatient visits were 15,058; operations 33."],
        ),
        (
            "en",
            "Visits {Outpatient visits} {outpatient|yoy} on last year and admissions "
            "{Inpatient admissions}.",
            ["Visits 15,058 and admissions 445."],
        ),
        (
            "en",
            "{Outpatient visits} and {Inpatient admissions} visits, {outpatient|yoy} and "
            "{inpatient|yoy} respectively.",
            ["15,058 and 445 visits."],
        ),
        (  # a comparison that can be made stays, with its words
            "en",
            "Admissions rose to {Inpatient admissions}, {inpatient|yoy} year on year.",
            ["Admissions rose to 445, up 10.7% year on year."],
        ),
        ("en", "{outpatient|yoy} year on year.", []),
    ],
)
def test_a_comparison_left_out_takes_its_words_and_leaves_no_stray_marks(
    no_comparison_checked, lang, typed, expected
):
    checked = no_comparison_checked[lang]
    filled = fill_placeholders(typed, checked.model, checked.totals, lang)
    assert paragraphs(filled) == expected


def test_a_private_use_character_typed_in_the_text_comes_out_as_typed(no_comparison_checked):
    """The cutting stands each figure in as such a character while it works."""
    checked = no_comparison_checked["zh"]
    typed = "门诊{门诊人次}人次\U000f0001，同比{门诊人次|同比}。"
    filled = fill_placeholders(typed, checked.model, checked.totals, "zh")
    assert filled == "门诊15058人次\U000f0001，同比。"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "zh",
            "全年派驻人员接诊门诊15058人次；收治住院445人次，开展手术33例；帮助受援医院",
        ),
        (
            "en",
            "Staff saw 15,058 outpatients, admitted 445 inpatients and performed 33 operations. "
            "Equipment worth",
        ),
    ],
)
def test_the_shipped_example_reads_well_without_its_comparisons(
    no_comparison_checked, lang, expected
):
    checked = no_comparison_checked[lang]
    (results,) = [s for s in checked.model.narrative if s.code == "results"]
    filled = fill_placeholders(results.text, checked.model, checked.totals, lang)
    assert filled.startswith(expected)


def test_a_section_left_with_nothing_but_a_comparison_is_left_out(make_workbook):
    path = fill(
        make_workbook(example=True), {"月度统计!P6": None, RESULTS: "同比{门诊人次|同比}。"}
    )
    context = render_context(check_workbook(path), today=TODAY)
    assert "results" not in [s["code"] for s in context["sections"]]
    assert [s["number"] for s in context["sections"]] == ["一", "二", "三", "四"]
    draft = render_context(check_workbook(path), draft=True, today=TODAY)
    results = next(s for s in draft["sections"] if s["code"] == "results")
    assert results["empty"] and results["paragraphs"] == [
        {"lead": "", "text": "（本部分尚未填写）"}
    ]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("患者满意度达{患者满意度}%，门诊{门诊人次}人次。", "患者满意度达97.0%※，门诊15058人次。"),
        ("满意度{患者满意度}‰。", "满意度97.0‰※。"),
        ("满意度{患者满意度}分。", "满意度97.0※分。"),
    ],
)
def test_the_draft_mark_follows_a_percent_sign_typed_after_the_figure(
    no_comparison_checked, typed, expected
):
    checked = no_comparison_checked["zh"]
    marked = frozenset({"satisfaction"})
    assert fill_placeholders(typed, checked.model, checked.totals, "zh", marked) == expected


def test_a_comparison_that_can_be_made_is_not_warned(make_workbook):
    result = check_workbook(make_workbook(example=True))
    assert not [i for i in result.issues if i.code == "comparison_left_out"]


# --- numbers in running text


def test_running_text_writes_numbers_without_separators_tables_keep_them(make_workbook):
    data = make_report(make_workbook(example=True), today=TODAY, made=MADE).data
    text = body(data)
    assert "接诊门诊15058人次，同比增长6.6%" in text and "15,058" not in text
    outpatient = docx.Document(io.BytesIO(data)).tables[0].rows[3].cells
    assert [c.text for c in outpatient[:3]] == ["门诊人次", "人次", "15,058"]


def test_english_running_text_keeps_its_thousands_separators(make_workbook):
    """The Chinese rule is Chinese: English writes 15,058 in a sentence too."""
    data = make_report(make_workbook(example=True, lang="en"), today=TODAY, made=MADE).data
    text = body(data)
    assert "15,058 outpatients" in text and "15058" not in text


def test_zh_catalogue_has_no_machine_spaces():
    """Chinese text has no space between a Chinese character (or full-width punctuation)
    and a digit, a Latin letter or a placeholder: "尚有3个错误", not "尚有 3 个错误"."""
    cjk = "[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’…]"
    other = r"[0-9A-Za-z{}%.\-]"
    spaced = re.compile(f"{cjk} +{other}|{other} +{cjk}")
    # command lines a user types as shown, where the spaces separate the arguments
    commands = {"cli.next", "workbook.guide.7"}
    found = {
        key: value
        for key, value in catalogue("zh").items()
        if spaced.search(value) and key not in commands
    }
    assert found == {}


def test_counts_in_messages_read_without_spaces(make_workbook, tmp_path):
    path = fill(make_workbook(example=True), {"月度统计!E8": "约80"})
    done = render_report(path, tmp_path / "r.docx", draft=True, today=TODAY, made=MADE)
    note = [p.text for p in docx.Document(done.path).paragraphs if p.style.style_id == "DraftNote"]
    assert len(note) == 1 and "尚有1个错误" in note[0]


# --- drafts: marked figures, visible empty sections, the source named


def test_draft_marks_figures_built_from_cells_with_errors(make_workbook, tmp_path):
    path = fill(make_workbook(example=True), {"月度统计!E8": "约80"})  # a surgery month
    done = render_report(path, tmp_path / "r.docx", draft=True, today=TODAY, made=MADE)
    context = render_context(done.check, draft=True, today=TODAY)
    assert context["figures"]["surgery"]["mark"] == "※"
    assert context["figures"]["outpatient"]["mark"] == ""
    assert [r["mark"] for r in context["key_figures"] if r["code"] == "surgery"] == ["※"]
    document = docx.Document(done.path)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "开展手术32※例，同比增长14.3%※；" in text
    assert "接诊门诊15058人次，同比增长6.6%；" in text  # no error there: no mark
    note = [p.text for p in document.paragraphs if p.style.style_id == "DraftNote"]
    assert "标注※的数字含有待核实数据" in note[0]
    # the same workbook as a final report (once fixed) carries no mark at all
    final = render_context(check_workbook(make_workbook(example=True)), today=TODAY)
    assert {r["mark"] for r in final["indicators"]} == {""}
    assert "※" not in final["draft_note"]


def test_a_draft_without_marked_figures_does_not_explain_the_mark(make_workbook):
    path = fill(make_workbook(example=True), {"基本信息!B3": None})  # unit: an error
    context = render_context(check_workbook(path), draft=True, today=TODAY)
    assert context["draft"] and "※" not in context["draft_note"]
    assert {r["mark"] for r in context["indicators"]} == {""}


def test_empty_required_section_in_a_draft_shows_a_placeholder(make_workbook, tmp_path):
    path = fill(make_workbook(example=True), {"叙述!C7": None})  # 存在不足
    done = render_report(path, tmp_path / "r.docx", draft=True, today=TODAY, made=MADE)
    paragraphs = [p.text for p in docx.Document(done.path).paragraphs]
    at = paragraphs.index("四、存在不足")
    assert paragraphs[at + 1] == "（本部分尚未填写）"
    assert paragraphs[at + 2] == "五、下一步计划"
    context = render_context(done.check, draft=True, today=TODAY)
    problems = next(s for s in context["sections"] if s["code"] == "problems")
    assert problems["empty"] and problems["paragraphs"] == [
        {"lead": "", "text": "（本部分尚未填写）"}
    ]
    assert not any(s["empty"] for s in context["sections"] if s["code"] != "problems")


def test_draft_note_names_the_source_workbook_and_its_digest(make_workbook, tmp_path):
    path = fill(make_workbook(example=True, name="二〇二三统计表.xlsx"), {"月度统计!E8": "约80"})
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    report = make_report(path, draft=True, today=TODAY, made=MADE)
    (note,) = [
        p.text
        for p in docx.Document(io.BytesIO(report.data)).paragraphs
        if p.style.style_id == "DraftNote"
    ]
    assert "“二〇二三统计表.xlsx”" in note and digest[:12] in note
    unnamed = make_report(path.read_bytes(), draft=True, today=TODAY, made=MADE)
    (note,) = [
        p.text
        for p in docx.Document(io.BytesIO(unnamed.data)).paragraphs
        if p.style.style_id == "DraftNote"
    ]
    assert "未提供文件名" in note and digest[:12] in note


# --- audit: where the report came from, in its document properties


def test_report_records_its_source_version_and_time(make_workbook, tmp_path):
    path = make_workbook(example=True, name="统计表2023.xlsx")
    data = make_report(path, today=TODAY, made=MADE).data
    assert custom_properties(data) == {
        "xlsummary.source_file": "统计表2023.xlsx",
        "xlsummary.source_sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "xlsummary.version": xlsummary.__version__,
        "xlsummary.made": "2024-01-05T09:30:00+08:00",
    }
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        types = ElementTree.fromstring(package.read("[Content_Types].xml"))
        rels = ElementTree.fromstring(package.read("_rels/.rels"))
        names = package.namelist()
    overrides = {o.get("PartName"): o.get("ContentType") for o in types.findall("ct:Override", NS)}
    assert overrides["/docProps/custom.xml"] == (
        "application/vnd.openxmlformats-officedocument.custom-properties+xml"
    )
    targets = [
        r.get("Target")
        for r in rels.findall("rel:Relationship", NS)
        if r.get("Type").endswith("/relationships/custom-properties")
    ]
    assert targets == ["docProps/custom.xml"] and names.count(CUSTOM) == 1
    ids = [r.get("Id") for r in rels.findall("rel:Relationship", NS)]
    assert len(ids) == len(set(ids))


def test_an_upload_is_named_as_uploaded_or_said_to_be_unnamed(make_workbook):
    path = make_workbook(example=True)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    named = custom_properties(make_report(path.read_bytes(), name="上传.xlsx", made=MADE).data)
    assert named["xlsummary.source_file"] == "上传.xlsx"
    assert named["xlsummary.source_sha256"] == digest
    unnamed = custom_properties(make_report(path.read_bytes(), made=MADE).data)
    assert unnamed["xlsummary.source_file"] == "" and unnamed["xlsummary.source_sha256"] == digest
    # a path's folders are not the reader's business: only the file's name is kept
    assert "/" not in custom_properties(make_report(path, made=MADE).data)["xlsummary.source_file"]


def test_the_time_made_is_now_or_source_date_epoch(make_workbook, monkeypatch):
    path = make_workbook(example=True)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    made = dt.datetime.fromisoformat(custom_properties(make_report(path).data)["xlsummary.made"])
    assert made.tzinfo is not None
    assert before <= made <= dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first, second = make_report(path), make_report(path)
    assert custom_properties(first.data)["xlsummary.made"] == "2023-11-14T22:13:20+00:00"
    assert first.data == second.data


def test_a_users_own_custom_properties_are_kept(make_workbook, tmp_path):
    """A template that already has custom properties keeps them beside ours."""
    from xlsummary.report import default_template

    theirs = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<Properties xmlns="{NS["cp"]}" xmlns:vt="{NS["vt"]}">'
        '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="部门">'
        "<vt:lpwstr>医务科</vt:lpwstr></property>"
        '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="3" name="xlsummary.version">'
        "<vt:lpwstr>0.0.0</vt:lpwstr></property>"
        '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="4" name="科室">'
        '<vt:vector size="2" baseType="lpwstr"><vt:lpwstr>内科</vt:lpwstr>'
        "<vt:lpwstr>外科</vt:lpwstr></vt:vector></property></Properties>"
    ).encode()
    template = tmp_path / "ours.docx"
    with zipfile.ZipFile(default_template("zh")) as src, zipfile.ZipFile(template, "w") as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                content = content.replace(
                    b"</Types>",
                    b'<Override PartName="/docProps/custom.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>',
                )
            if item.filename == "_rels/.rels":
                content = content.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdCustom" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/custom-properties" '
                    b'Target="docProps/custom.xml"/></Relationships>',
                )
            dst.writestr(item, content)
        dst.writestr(CUSTOM, theirs)
    data = make_report(make_workbook(example=True), template=template, made=MADE).data
    found = custom_properties(data)
    assert found["部门"] == "医务科" and found["xlsummary.version"] == xlsummary.__version__
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        rels = package.read("_rels/.rels").decode()
        custom = etree.fromstring(package.read(CUSTOM))
    assert rels.count("custom-properties") == 1
    # a vector is kept as written (it was flattened to text, without its size), and
    # every property has its own pid from 2 on
    vector = custom.find(f"{{{NS['cp']}}}property[@name='科室']/{{{NS['vt']}}}vector")
    assert vector is not None and vector.get("size") == "2"
    assert [v.text for v in vector] == ["内科", "外科"]
    pids = [int(p.get("pid")) for p in custom]
    assert sorted(pids) == list(range(2, 2 + len(pids)))


@pytest.mark.parametrize(
    "name",
    ["ctl\x1bname.xlsx", "A&B <测试>.xlsx", "bad\udcffname.xlsx"],
    ids=["control character", "markup", "not UTF-8"],
)
def test_an_odd_file_name_is_recorded_as_xml_can_hold_it(make_workbook, tmp_path, name):
    """A file name with a control character made custom.xml malformed; one that was
    not UTF-8 (a surrogate once decoded) stopped the render with a traceback."""
    try:
        path = make_workbook(example=True).rename(tmp_path / name)
    except (UnicodeEncodeError, OSError):
        pytest.skip("this file system cannot hold that name")
    done = render_report(path, tmp_path / "r.docx", today=TODAY, made=MADE)
    with zipfile.ZipFile(done.path) as package:
        custom = etree.fromstring(package.read(CUSTOM))  # well-formed
    recorded = {p.get("name"): p[0].text for p in custom}["xlsummary.source_file"]
    expected = {"ctl\x1bname.xlsx": "ctlname.xlsx", "A&B <测试>.xlsx": "A&B <测试>.xlsx"}
    assert recorded == expected.get(name, "bad\ufffdname.xlsx")


def test_libreoffice_opens_the_report_with_its_properties(make_workbook, tmp_path):
    path = fill(make_workbook(example=True), {"月度统计!E8": "约80"})
    done = render_report(path, tmp_path / "r.docx", draft=True, today=TODAY, made=MADE)
    odt = libreoffice_convert(done.path, tmp_path / "odt", "odt", tmp_path / "lo")
    with zipfile.ZipFile(odt) as package:
        meta = package.read("meta.xml").decode()
    assert "xlsummary.source_sha256" in meta
    assert hashlib.sha256(path.read_bytes()).hexdigest() in meta
    pdf = libreoffice_convert(done.path, tmp_path / "pdf", "pdf", tmp_path / "lo")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout
    assert "开展手术32※例" in "".join(text.decode().split())  # pdftotext spaces digits


# --- 填报日期


def test_an_empty_date_is_warned_and_the_report_still_final(make_workbook, tmp_path):
    path = fill(make_workbook(example=True), {"基本信息!B12": None})
    result = check_workbook(path)
    (issue,) = [i for i in result.issues if i.code == "date_missing"]
    assert (issue.severity, issue.sheet, issue.cell) == ("warning", "基本信息", "B12")
    assert "填报日期" in issue.message() and "当天" in issue.message()
    assert "Date" in issue.message("en") and "today" in issue.message("en")
    assert result.ok
    done = render_report(path, tmp_path / "r.docx", today=TODAY, made=MADE)
    assert not done.draft
    signature = [
        p.text for p in docx.Document(done.path).paragraphs if p.style.style_id == "Signature"
    ]
    assert signature == ["某某市人民医院", "2024年1月5日"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_filled_date_is_not_warned(make_workbook, lang):
    result = check_workbook(make_workbook(example=True, lang=lang))
    assert not [i for i in result.issues if i.code == "date_missing"]
