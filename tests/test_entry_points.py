"""The CLI, the server and the Excel button are three doors to one pipeline
(:func:`xlsummary.report.make_report`): the same workbook gives the same report bytes
through each, the same refusal, and the same bad file the same error code."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path
from urllib.parse import unquote

import docx
import httpx
import msoffcrypto.format.ooxml
import openpyxl
import pytest
from click.testing import CliRunner

from tests.conftest import fill
from tests.excel_books import plain_book, remote_book
from tests.servers import Server
from xlsummary.cli import cli
from xlsummary.report import make_report
from xlsummary.web import Settings


@pytest.fixture(scope="module")
def server():
    with Server(Settings(pdf_autostart=False)) as http:
        yield http


def _upload(
    server: httpx.Client, data: bytes, url: str, name: str = "统计表.xlsx", **form
) -> httpx.Response:
    return server.post(url, files={"file": (name, data)}, data=form)


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name) for name in package.namelist()}


def _button(path: Path):
    """The Excel button on the workbook, with every message box it showed."""
    from xlsummary.excel.addin import main

    book = remote_book(path, path.name)
    report = main(book)
    alerts = [a["args"][0] for a in book.json()["actions"] if a["func"] == "alert"]
    return report, alerts


def test_one_report_through_every_door(make_workbook, server, remote, tmp_path, monkeypatch):
    # every door records the time a report is made: one time for all of them
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1703750400")
    workbook = make_workbook(example=True)
    library = make_report(workbook)
    assert library.name == "某某市人民医院2023年对口支援工作总结.docx"

    out = tmp_path / "cli"
    out.mkdir()
    done = CliRunner().invoke(cli, ["render", str(workbook), "-o", str(out)])
    assert done.exit_code == 0, done.output
    assert (out / library.name).read_bytes() == library.data

    # the same file under the same name (the report records the name it was given)
    answer = _upload(server, workbook.read_bytes(), "/api/render", workbook.name, format="docx")
    assert answer.status_code == 200
    assert answer.content == library.data
    assert unquote(answer.headers["content-disposition"]).endswith(library.name)

    report, _ = _button(workbook)
    assert report == remote / library.name
    # the open Excel gives the workbook's values, not its file: no SHA-256 to record
    button, ours = _parts(report.read_bytes()), _parts(library.data)
    digest = hashlib.sha256(workbook.read_bytes()).hexdigest().encode()
    assert button.pop("docProps/custom.xml") == ours.pop("docProps/custom.xml").replace(digest, b"")
    assert button == ours
    assert docx.Document(io.BytesIO(library.data)).paragraphs[0].text == library.name[:-5]


def test_one_refusal_through_every_door(make_workbook, server, remote):
    from xlsummary.errors import ReportRefused

    bad = fill(make_workbook(example=True), {"月度统计!E8": "约80"})
    with pytest.raises(ReportRefused) as refused:
        make_report(bad)
    message = refused.value.message()
    assert message.startswith("统计表有1个错误，未生成报告。")

    done = CliRunner().invoke(cli, ["render", str(bad)])
    assert done.exit_code == 1
    assert message in done.stderr

    answer = _upload(server, bad.read_bytes(), "/api/render")
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert (error["code"], error["message"]) == ("validation", message)
    assert error["message_en"] == refused.value.message("en")

    report, alerts = _button(bad)
    assert report is None and alerts[-1].startswith(message)
    assert list(remote.iterdir()) == []


def _bad_files(make_workbook, tmp_path: Path) -> dict[str, bytes]:
    good = make_workbook(example=True).read_bytes()
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<" + b" " * (150 * 1024 * 1024))
    locked = io.BytesIO()
    msoffcrypto.format.ooxml.OOXMLFile(io.BytesIO(good)).encrypt("secret", locked)
    word = io.BytesIO()
    docx.Document().save(word)
    other = io.BytesIO()
    openpyxl.Workbook().save(other)
    return {
        "empty": b"",
        "csv": "代码,1月\nsurgery,80\n".encode(),
        "truncated": good[: len(good) // 2],
        "zip bomb": bomb.getvalue(),
        "password": locked.getvalue(),
        "word file": word.getvalue(),
        "another workbook": other.getvalue(),
    }


def test_one_error_code_for_each_bad_file(make_workbook, server, tmp_path):
    """``check --json`` and the API name every bad file with the same code (and the
    same message: the server's names the upload, the CLI the file)."""
    codes = {}
    for label, data in _bad_files(make_workbook, tmp_path).items():
        path = tmp_path / "统计表.xlsx"
        path.write_bytes(data)
        done = CliRunner().invoke(cli, ["check", "--json", str(path)])
        assert done.exit_code == 2, (label, done.output)
        from_cli = json.loads(done.stdout)["error"]
        from_api = _upload(server, data, "/api/check").json()["error"]
        assert from_api["code"] == from_cli["code"], label
        assert from_api["message"] == from_cli["message"].replace(str(path), "统计表.xlsx"), label
        codes[label] = from_cli["code"]
    assert codes == {
        "empty": "empty",
        "csv": "not_xlsx",
        "truncated": "corrupt",
        "zip bomb": "zip_bomb",
        "password": "encrypted",
        "word file": "not_xlsx",
        "another workbook": "not_standard",
    }


def test_the_button_names_the_same_code(tmp_path, remote):
    """Excel opens another workbook fine; the button says what the CLI says of it."""
    other = tmp_path / "other.xlsx"
    openpyxl.Workbook().save(other)
    done = CliRunner().invoke(cli, ["check", "--json", str(other)])
    code = json.loads(done.stdout)["error"]["code"]
    book = plain_book("other.xlsx", [[None]])
    from xlsummary.excel.addin import main

    assert main(book) is None
    alert = book.json()["actions"][-1]["args"][0]
    assert code == "not_standard" and f"（代码：{code}）" in alert


def test_an_unknown_profile_is_one_error_everywhere(server, tmp_path):
    from xlsummary.catalogue import load_profile
    from xlsummary.errors import UnknownProfile

    with pytest.raises(UnknownProfile) as raised:
        load_profile("nope")
    done = CliRunner().invoke(cli, ["new", "--profile", "nope", "-o", str(tmp_path / "x.xlsx")])
    assert done.exit_code == 2 and raised.value.message() in done.stderr
    answer = server.get("/api/workbooks/nope")
    assert answer.status_code == 404
    assert answer.json()["error"] == {"code": "unknown_profile", **_said(raised.value)}


def _said(error) -> dict:
    return {"message": error.message("zh"), "message_en": error.message("en")}


def test_the_output_is_judged_before_a_template_runs(make_workbook, tmp_path):
    """An existing report, or a name that is not .docx, is refused before any
    template (here one that is not a Word file at all) is loaded or run."""
    from xlsummary.errors import OutputError, OutputExistsError
    from xlsummary.report import render_report

    workbook = make_workbook(example=True)
    junk = tmp_path / "模板.docx"
    junk.write_bytes(b"not a template")
    existing = tmp_path / "报告.docx"
    existing.write_bytes(b"the report of last week")
    with pytest.raises(OutputExistsError):
        render_report(workbook, existing, template=junk)
    with pytest.raises(OutputError) as wrong:
        render_report(workbook, tmp_path / "报告.txt", template=junk)
    assert wrong.value.code == "output"
    assert existing.read_bytes() == b"the report of last week"


def test_a_file_name_in_a_header_carries_no_quote_or_control_character():
    from xlsummary.web.routes import attachment

    header = attachment('..\\evil"name\tx.docx')
    plain = header.split(";")[1]
    assert plain == ' filename="evil_name_x.docx"'
    assert "\t" not in header and '"name' not in header
    assert attachment("某某医院2023年工作总结.docx").startswith(
        'attachment; filename="xlsummary.docx"'
    )
