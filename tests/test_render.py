"""Word reports rendered from real workbooks, read back with python-docx."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
from pathlib import Path

import docx
import pytest

from tests.conftest import ROOT, fill, rewrite_zip
from xlsummary.check import check_workbook
from xlsummary.docx_template import SHIPPED, build_report_template
from xlsummary.errors import OutputError, OutputExistsError, ReportRefused, TemplateProblem
from xlsummary.render_docx import CompiledTemplate
from xlsummary.report import default_template, render_context, render_report

TODAY = dt.date(2024, 1, 5)


def texts(document: docx.Document, style: str | None = None) -> list[str]:
    """The paragraphs' texts, of the style whose id is ``style`` without its spaces."""
    style_id = style and style.replace(" ", "")
    return [p.text for p in document.paragraphs if style is None or p.style.style_id == style_id]


def cells(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


@pytest.mark.parametrize(("name", "lang"), SHIPPED.items())
def test_shipped_templates_are_the_builder_output(name, lang):
    assert (ROOT / "docx_templates" / name).read_bytes() == build_report_template(lang), (
        "run python scripts/update_templates.py"
    )


def test_hospital_report(make_workbook, tmp_path: Path):
    done = render_report(make_workbook(example=True), tmp_path / "report.docx", today=TODAY)
    document = docx.Document(done.path)
    assert texts(document, "Report Title") == ["某某市人民医院2023年对口支援工作总结"]
    assert texts(document, "Report Heading") == [
        "一、基本情况",
        "二、主要做法",
        "三、取得成效",
        "四、存在不足",
        "五、下一步计划",
    ]
    assert texts(document, "Appendix Mark") == ["附件"]
    assert texts(document, "Appendix Title") == ["2023年月度统计明细表"]
    body = "\n".join(texts(document, "Normal"))
    assert "通过教学查房31次、手术示教33次、疑难病例讨论19次、学术讲座18次等形式" in body
    assert "开展手术33例，同比增长17.9%" in body
    assert "接诊门诊15058人次，同比增长6.6%" in body  # running text: no separators
    assert "捐赠设备价值70万元，减免费用2万元" in body
    assert "{" not in body and "}" not in body
    # the four lines typed in the 主要做法 cell became four Word paragraphs
    all_texts = texts(document)
    start = all_texts.index("二、主要做法")
    assert [p[:2] for p in all_texts[start + 1 : start + 5]] == ["一是", "二是", "三是", "四是"]
    assert all_texts[start + 5] == "三、取得成效"
    assert texts(document, "Signature") == ["某某市人民医院", "2023年12月28日"]
    assert "附件：2023年月度统计明细表" in all_texts
    # the key figures table follows 取得成效
    key, monthly = document.tables
    result = done.check
    rows = cells(key)
    assert rows[0] == ["指标", "单位", "本期数", "上年同期", "同比"]
    # a year-end count is not a total: the row says what its figure is
    assert rows[1] == ["派驻人员（期末数）", "名", "6", "5", "+20.0%"]
    assert len(rows) == 1 + len(result.model.indicators)
    assert rows[5] == ["手术例数", "例", "33", "28", "+17.9%"]
    assert rows[3] == ["门诊人次", "人次", "15,058", "14,120", "+6.6%"]
    assert rows[14] == ["学术讲座", "次", "18", "20", "-10.0%"]
    # one indicator's figures share their decimals: 70.0 beside 64.8
    assert rows[18] == ["捐赠设备价值", "万元", "70.0", "64.8", "+8.0%"]
    assert rows[20] == ["患者满意度（平均）", "%", "97.0", "95.4", "+1.6个百分点"]
    # the monthly appendix: every month as computed, and the period total
    months = cells(monthly)
    assert months[0][:3] == ["指标", "单位", "1月"] and months[0][-1] == "本期数"
    assert months[5] == [
        "手术例数",
        "例",
        "2",
        "1",
        "3",
        "3",
        "4",
        "3",
        "2",
        "3",
        "3",
        "4",
        "2",
        "3",
        "33",
    ]
    for row, ind in zip(months[1:], result.model.indicators, strict=True):
        assert row[0].startswith(ind.name_zh)
        entered = [result.model.tallies.loc[ind.code, f"m{m}"] for m in range(1, 13)]
        shown = [float(c.replace(",", "")) for c in row[2:14]]
        assert shown == pytest.approx(entered, abs=0.05)
        assert row[-1] == key.rows[1 + result.model.indicators.index(ind)].cells[2].text
    # not a draft: no marking anywhere
    header = document.sections[0].header.paragraphs[0].text
    assert header == "" and "草稿" not in body and not texts(document, "Draft Note")
    assert document.core_properties.title == "某某市人民医院2023年对口支援工作总结"


@pytest.mark.parametrize(
    ("profile", "title", "sentence"),
    [
        (
            "school",
            "某某市第一中学2023年对口支援工作总结",
            "全年培训受援学校教师460人次，同比增长9.5%",
        ),
        ("general", "某某县卫生健康局2023年工作总结", "到位资金900万元，同比增长12.5%"),
    ],
)
def test_other_profiles(make_workbook, tmp_path: Path, profile, title, sentence):
    done = render_report(make_workbook(profile, example=True), tmp_path / "r.docx", today=TODAY)
    document = docx.Document(done.path)
    assert texts(document, "Report Title") == [title]
    assert sentence in "\n".join(texts(document))


def test_english_report(make_workbook, tmp_path: Path):
    done = render_report(make_workbook(example=True, lang="en"), tmp_path / "r.docx", today=TODAY)
    document = docx.Document(done.path)
    assert texts(document, "Report Title") == ["某某市人民医院 partner support work summary, 2023"]
    assert texts(document, "Report Heading")[:2] == ["1. Overview", "2. What we did"]
    assert cells(document.tables[0])[5] == ["Operations", "operations", "33", "28", "+17.9%"]
    assert texts(document, "Signature")[-1] == "28 December 2023"


def test_quarter_report_and_the_chinese_title(make_workbook, tmp_path: Path):
    path = fill(make_workbook(example=True), {"基本信息!B6": "第三季度"})
    done = render_report(path, today=TODAY)  # October-December figures: warnings only
    # ... and one for the 上年同期 column, which holds last year's whole year
    assert done.check.errors == 0 and done.check.warnings == 21
    assert [i.code for i in done.check.issues].count("prior_looks_whole_year") == 1
    assert done.path.name == "某某市人民医院2023年第三季度对口支援工作总结.docx"
    assert done.path.parent == path.parent
    document = docx.Document(done.path)
    surgery = cells(document.tables[0])[5]
    assert surgery[:3] == ["手术例数", "例", str(2 + 3 + 3)]


def test_refuses_on_errors_and_drafts_on_request(make_workbook, tmp_path: Path):
    path = fill(make_workbook(example=True), {"月度统计!E8": "约80"})
    with pytest.raises(ReportRefused) as refused:
        render_report(path, tmp_path / "r.docx", today=TODAY)
    assert [(i.code, i.cell) for i in refused.value.issues] == [("not_a_number", "E8")]
    assert not (tmp_path / "r.docx").exists()
    done = render_report(path, tmp_path / "r.docx", draft=True, today=TODAY)
    document = docx.Document(done.path)
    assert document.sections[0].header.paragraphs[0].text == "草 稿"
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    assert texts(document, "Draft Note") == [
        f"草稿：本报告所依据的统计表“{path.name}”（SHA-256：{digest}…）尚有1个错误，"
        "仅供内部核对，不得报送。标注※的数字含有待核实数据。"
    ]
    issues = cells(document.tables[2])
    assert issues[0] == ["级别", "工作表", "单元格", "问题"]
    assert issues[1][:3] == ["错误", "月度统计", "E8"] and "约80" in issues[1][3]
    # the unreadable month is left out, as in the check, and the total marked ※ in the
    # key table and in the appendix alike (its other indicators are not)
    key, monthly = cells(document.tables[0]), cells(document.tables[1])
    assert key[5][2] == "32※" and monthly[5][-1] == "32※"
    assert key[3][2] == "15,058" and monthly[3][-1] == "15,058"


def test_hostile_narrative_comes_out_literally(make_workbook, tmp_path: Path):
    hostile = (
        "{{ 7*7 }} {% for x in range(3) %}x{% endfor %} {# c #} "
        "<w:t>注入</w:t> ]]> A&B <测试> \"引号\" 'single' 手术{手术例数}例"
    )
    path = fill(make_workbook(example=True), {"叙述!C4": hostile, "基本信息!B9": "A&B <测试>"})
    done = render_report(path, tmp_path / "r.docx", today=TODAY)
    document = docx.Document(done.path)
    expected = hostile.replace("{手术例数}", "33")
    assert expected in texts(document)
    assert texts(document, "Report Title") == ["A&B <测试>"]


def test_output_rules(make_workbook, tmp_path: Path):
    workbook = make_workbook(example=True)
    first = render_report(workbook, today=TODAY)
    assert first.path == workbook.with_name("某某市人民医院2023年对口支援工作总结.docx")
    with pytest.raises(OutputExistsError):
        render_report(workbook, today=TODAY)
    assert render_report(workbook, force=True, today=TODAY).path == first.path
    with pytest.raises(OutputError, match=r"\.docx"):
        render_report(workbook, workbook, today=TODAY)  # not a .docx name: never the workbook
    leftovers = [p.name for p in workbook.parent.iterdir() if p.name.startswith(".~")]
    assert leftovers == []


def _template_with(tmp_path: Path, old: str, new: str, name: str = "custom.docx") -> Path:
    def edit(data: bytes) -> bytes:
        text = data.decode()
        assert old in text
        return text.replace(old, new, 1).encode()

    return rewrite_zip(default_template("zh"), tmp_path / name, {"word/document.xml": edit})


def test_tags_split_across_runs_still_render(make_workbook, tmp_path: Path):
    # what Word does when someone retypes part of a field: one tag, three runs
    template = _template_with(
        tmp_path,
        "<w:t>{{ unit }}</w:t></w:r>",
        "<w:t>{{ un</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>i</w:t></w:r>"
        "<w:r><w:t>t }}</w:t></w:r>",
    )
    done = render_report(
        make_workbook(example=True), tmp_path / "r.docx", template=template, today=TODAY
    )
    assert texts(docx.Document(done.path), "Signature")[0] == "某某市人民医院"


def test_misspelled_field_is_named(make_workbook, tmp_path: Path):
    template = _template_with(tmp_path, "{{ unit }}", "{{ unti }}")
    with pytest.raises(TemplateProblem, match="unti"):
        render_report(
            make_workbook(example=True), tmp_path / "r.docx", template=template, today=TODAY
        )
    nested = _template_with(tmp_path, "{{ section.heading }}", "{{ section.headline }}", "n.docx")
    with pytest.raises(TemplateProblem, match="headline"):
        render_report(
            make_workbook(example=True), tmp_path / "r2.docx", template=nested, today=TODAY
        )


def test_fast_renderer_matches_docxtpl(make_workbook):
    """The compiled-template path and docxtpl's own render give the same document."""
    result = check_workbook(make_workbook(example=True))
    context = render_context(result, draft=True, today=TODAY)
    compiled = CompiledTemplate(default_template("zh").read_bytes(), "zh")
    fast = docx.Document(io.BytesIO(compiled.render(context)))
    slow = docx.Document(io.BytesIO(compiled._render_with_docxtpl(context)))
    assert texts(fast) == texts(slow)
    assert [cells(t) for t in fast.tables] == [cells(t) for t in slow.tables]
    assert fast.sections[0].header.paragraphs[0].text == "草 稿"
    assert re.sub(r"\s", "", slow.sections[0].header.paragraphs[0].text) == "草稿"


def test_text_cleaning():
    from xlsummary.context import paragraphs

    assert paragraphs("第一段\r\n\n  第二段\x01\x0b\t末尾  \u2028第三段") == [
        "第一段",
        "第二段 末尾",
        "第三段",
    ]


@pytest.mark.slow
def test_fields_command(tmp_path: Path):
    from tests.test_cli import run

    clean = run("fields")
    assert clean.returncode == 0, clean.stderr
    assert "sections" in clean.stdout and "结果：模板字段全部可用。" in clean.stdout
    typo = _template_with(tmp_path, "{{ unit }}", "{{ unti }}")
    out = run("fields", "--template", str(typo))
    assert out.returncode == 1
    assert "报告中没有的字段（请检查拼写）：unti" in out.stdout
    nested = _template_with(tmp_path, "{{ f.total }}", "{{ f.totl }}", "nested.docx")
    out = run("fields", "--template", str(nested))
    assert out.returncode == 1 and "totl" in out.stdout
    broken = _template_with(
        tmp_path, "{%p for section in sections %}", "{%p for section in %}", "broken.docx"
    )
    out = run("fields", "--template", str(broken))
    assert out.returncode == 2 and "语法错误" in out.stderr and "Traceback" not in out.stderr


def test_odd_values_still_make_a_valid_document(make_workbook, tmp_path: Path):
    path = fill(
        make_workbook(example=True),
        {
            "指标!B9": "危重症_x000B_抢救_x0001_",  # how Excel stores pasted control characters
            "基本信息!B3": "某某市人民医院\n（盖章）",
            "基本信息!B12": "20231228",
            "基本信息!B9": "很长的标题" * 40,
        },
    )
    done = render_report(path, today=TODAY)
    assert len(done.path.name.encode()) <= 255
    document = docx.Document(done.path)  # python-docx parses it: the XML is valid
    assert cells(document.tables[0])[6][0] == "危重症抢救"
    assert texts(document, "Signature") == ["某某市人民医院 （盖章）", "2023年12月28日"]


def test_docxtpl_features_go_through_docxtpl(make_workbook, tmp_path: Path):
    template = docx.Document()
    template.add_paragraph("{{ title }}")
    row = template.add_table(rows=1, cols=3).rows[0]
    for cell, text in zip(
        row.cells, ["{%tc for m in month_labels %}", "{{ m }}", "{%tc endfor %}"], strict=True
    ):
        cell.text = text
    path = tmp_path / "tc.docx"
    template.save(path)
    compiled = CompiledTemplate(path.read_bytes(), str(path))
    assert compiled.needs_docxtpl
    done = render_report(
        make_workbook(example=True), tmp_path / "r.docx", template=path, today=TODAY
    )
    document = docx.Document(done.path)
    assert [c.text for c in document.tables[0].rows[0].cells] == [f"{m}月" for m in range(1, 13)]
    assert document.paragraphs[0].text == "某某市人民医院2023年对口支援工作总结"


def test_template_errors_are_one_sentence(make_workbook, tmp_path: Path):
    computing = _template_with(tmp_path, "{{ unit }}", "{{ year + 1 }}")
    with pytest.raises(TemplateProblem, match="计算出错"):
        render_report(
            make_workbook(example=True), tmp_path / "r.docx", template=computing, today=TODAY
        )
    macro = _template_with(tmp_path, "{{ unit }}", "{{ unit }}", "m.docm")
    macro = rewrite_zip(
        macro,
        tmp_path / "macro.docm",
        {
            "[Content_Types].xml": lambda types: types.replace(
                b"document.main+xml", b"document.macroEnabled.main+xml"
            )
        },
    )
    with pytest.raises(TemplateProblem, match=r"\.docm"):
        CompiledTemplate(macro.read_bytes(), str(macro))
    own = tmp_path / "own.docx"
    own.write_bytes(default_template("zh").read_bytes())
    with pytest.raises(OutputError, match="模板本身"):
        render_report(make_workbook(example=True), own, template=own, force=True, today=TODAY)
    assert own.read_bytes() == default_template("zh").read_bytes()


def test_a_word_template_file_gives_a_document(make_workbook, tmp_path: Path):
    source = default_template("zh")
    dotx = rewrite_zip(
        source,
        tmp_path / "公文.dotx",
        {
            "[Content_Types].xml": lambda types: types.replace(
                b"document.main+xml", b"template.main+xml"
            )
        },
    )
    done = render_report(
        make_workbook(example=True), tmp_path / "r.docx", template=dotx, today=TODAY
    )
    assert b"document.main+xml" in zipfile.ZipFile(done.path).read("[Content_Types].xml")
    assert texts(docx.Document(done.path))[0] == "某某市人民医院2023年对口支援工作总结"


def test_fields_checks_the_draft_branch_and_other_workbooks(make_workbook, tmp_path: Path):
    from xlsummary.template_fields import inspect_template

    typo = _template_with(tmp_path, "{{ i.severity }}", "{{ i.sevrity }}")
    report = inspect_template(typo)
    assert report.problems and any("sevrity" in said("zh") for said in report.render_errors)
    school = _template_with(tmp_path, "{{ unit }}", "{{ figures.demo_lessons.total }}", "s.docx")
    assert inspect_template(school).problems  # the hospital example has no 示范课
    assert not inspect_template(school, workbook=make_workbook("school", example=True)).problems


def test_listing_step_only_when_values_need_it():
    from xlsummary.render_docx import _has_listing_chars

    declaration = "<?xml version='1.0'?>\r\n<w:document>"
    assert not _has_listing_chars(declaration + "<w:t>一行</w:t>")
    assert _has_listing_chars(declaration + "<w:t>两\n行</w:t>")
    assert _has_listing_chars("<w:t>a\tb</w:t>")


def test_subheadings_typed_by_staff_get_the_heading_face(make_workbook, tmp_path: Path):
    path = fill(
        make_workbook(example=True),
        {
            "叙述!C5": "（一）加强组织领导\n院党委把对口支援列入年度重点工作。\n"
            "（二）深化临床带教。开展教学查房{教学查房}次。",
        },
    )
    document = docx.Document(render_report(path, tmp_path / "r.docx", today=TODAY).path)
    start = texts(document).index("二、主要做法")
    first, second, third = document.paragraphs[start + 1 : start + 4]
    assert [r.text for r in first.runs if r.text] == ["（一）加强组织领导"]
    assert first.runs[0].style.style_id == "Lead"
    assert second.text == "院党委把对口支援列入年度重点工作。"
    assert [r.text for r in third.runs if r.text] == ["（二）深化临床带教。", "开展教学查房31次。"]
    assert third.runs[0].style.style_id == "Lead" and third.runs[1].style.style_id != "Lead"


def test_concurrent_renders_are_each_whole(make_workbook):
    """The server renders in threads from one compiled template: every report must
    come out whole (zip members written from shared ZipInfo objects once overwrote
    each other's sizes and offsets, leaving an empty word/document.xml)."""
    from concurrent.futures import ThreadPoolExecutor

    context = render_context(check_workbook(make_workbook(example=True)), today=dt.date(2024, 1, 5))
    compiled = CompiledTemplate(default_template("zh").read_bytes(), "zh.docx")
    expected = compiled.render(context)
    with ThreadPoolExecutor(8) as pool:
        reports = list(pool.map(lambda _: compiled.render(context), range(64)))
    for report in reports:
        with zipfile.ZipFile(io.BytesIO(report)) as archive:
            assert archive.testzip() is None
            assert archive.read("word/document.xml") == zipfile.ZipFile(io.BytesIO(expected)).read(
                "word/document.xml"
            )


def test_a_workbook_of_no_shipped_profile_gets_the_plain_title(make_workbook, tmp_path: Path):
    """A profile cell edited by staff (or a profile this install does not ship): the
    report is still written, titled by the generic pattern of the catalogue."""
    import openpyxl

    from xlsummary.report import make_report
    from xlsummary.workbook_layout import NAME_PROFILE

    path = make_workbook(example=True)
    wb = openpyxl.load_workbook(path)
    sheet, cell = next(iter(wb.defined_names[NAME_PROFILE].destinations))
    wb[sheet][cell.replace("$", "")] = "custom"
    wb.save(path)
    report = make_report(path, today=TODAY)
    assert report.name == "某某市人民医院2023年工作总结.docx"
    assert (
        docx.Document(io.BytesIO(report.data)).paragraphs[0].text == "某某市人民医院2023年工作总结"
    )
    english = make_report(path, lang="en", today=TODAY)
    assert english.name.startswith("某某市人民医院 work summary")
