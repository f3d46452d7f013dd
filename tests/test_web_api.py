"""The HTTP API, served by uvicorn on loopback and called with a real HTTP client,
uploading real files (good, with errors, corrupt, oversized, not a zip, a zip bomb,
.xls, password-protected, a Word file)."""

from __future__ import annotations

import io
import socket
import time
import zipfile
from pathlib import Path
from urllib.parse import unquote

import docx
import httpx
import msoffcrypto.format.ooxml
import openpyxl
import pytest

from tests.conftest import fill, libreoffice_convert
from tests.servers import Server, free_port
from xlsummary.web import Settings


@pytest.fixture(scope="module")
def client():
    with Server(Settings(max_upload=2 * 1024 * 1024)) as http:
        yield http


def upload(client: httpx.Client, path_or_bytes, url: str = "/api/check", **data):
    content = path_or_bytes.read_bytes() if isinstance(path_or_bytes, Path) else path_or_bytes
    return client.post(url, files={"file": ("统计表.xlsx", content)}, data=data)


def error_of(response) -> tuple[int, str]:
    return response.status_code, response.json()["error"]["code"]


def test_meta_endpoints(client):
    page = client.get("/")
    assert page.status_code == 200 and "第一步：下载空白统计表" in page.text
    assert "http://" not in page.text and "https://" not in page.text  # no CDN, no outside
    assert client.get("/api/health").json()["status"] == "ok"
    assert {p["code"] for p in client.get("/api/profiles").json()} == {
        "hospital",
        "school",
        "general",
    }
    assert {"name": "report-zh.docx", "lang": "zh"} in client.get("/api/templates").json()
    spec = client.get("/openapi.json").json()
    assert {"/api/check", "/api/render", "/api/health"} <= set(spec["paths"])
    blank = client.get("/api/workbooks/school?lang=zh")
    assert blank.status_code == 200
    name = unquote(blank.headers["content-disposition"].split("UTF-8''")[1])
    assert name == "教育对口支援统计表.xlsx"
    assert openpyxl.load_workbook(io.BytesIO(blank.content)).sheetnames[1] == "基本信息"
    assert error_of(client.get("/api/workbooks/nope")) == (404, "unknown_profile")


def test_check_good_and_bad(client, make_workbook):
    good = upload(client, make_workbook(example=True)).json()
    assert good["ok"] and good["totals"]["indicators"]["surgery"]["total"] == 33
    assert {k: good["figures"][4][k] for k in ("name", "unit", "total", "yoy")} == {
        "name": "手术例数",
        "unit": "例",
        "total": "33",
        "yoy": "+17.9%",
    }
    bad = upload(client, fill(make_workbook(example=True), {"月度统计!E8": "约80"})).json()
    assert bad["errors"] == 1 and bad["issues"][0]["cell"] == "E8"


def test_render_docx_and_validation(client, make_workbook):
    response = upload(client, make_workbook(example=True), "/api/render", format="docx")
    assert response.status_code == 200
    assert (
        unquote(response.headers["content-disposition"].split("UTF-8''")[1])
        == "某某市人民医院2023年对口支援工作总结.docx"
    )
    document = docx.Document(io.BytesIO(response.content))
    assert document.paragraphs[0].text == "某某市人民医院2023年对口支援工作总结"
    bad = fill(make_workbook(example=True), {"月度统计!E8": "约80"})
    refused = upload(client, bad, "/api/render", format="docx")
    assert error_of(refused) == (422, "validation")
    assert refused.json()["error"]["issues"][0]["cell"] == "E8"
    draft = upload(client, bad, "/api/render", format="docx", draft="true")
    assert draft.status_code == 200
    assert "草稿" in unquote(draft.headers["content-disposition"])


def test_bad_files(client, make_workbook, tmp_path: Path):
    assert error_of(upload(client, b"")) == (400, "empty")
    assert error_of(upload(client, "代码,1月\n".encode())) == (415, "not_xlsx")
    data = make_workbook(example=True).read_bytes()
    assert error_of(upload(client, data[: len(data) // 2])) == (400, "corrupt")
    assert error_of(upload(client, b"PK\x03\x04" + b"\0" * (3 * 1024 * 1024))) == (413, "too_large")
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<" + b" " * (150 * 1024 * 1024))
    assert error_of(upload(client, bomb.getvalue())) == (413, "zip_bomb")
    locked = io.BytesIO()
    msoffcrypto.format.ooxml.OOXMLFile(io.BytesIO(data)).encrypt("secret", locked)
    assert error_of(upload(client, locked.getvalue())) == (415, "encrypted")
    word = io.BytesIO()
    docx.Document().save(word)
    assert error_of(upload(client, word.getvalue())) == (415, "not_xlsx")
    other = io.BytesIO()
    openpyxl.Workbook().save(other)
    assert error_of(upload(client, other.getvalue())) == (415, "not_standard")
    response = upload(client, b"not a workbook")
    assert response.json()["error"]["message"] == "这不是Excel工作簿（.xlsx）文件：统计表.xlsx。"


@pytest.mark.slow
def test_legacy_xls_and_pdf(client, make_workbook, tmp_path: Path):
    xls = libreoffice_convert(
        make_workbook(example=True), tmp_path / "xls", "xls", tmp_path / "lo-profile"
    )
    assert error_of(upload(client, xls)) == (415, "not_xlsx")
    pdf = upload(client, make_workbook(example=True), "/api/render", format="pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert unquote(pdf.headers["content-disposition"]).endswith("工作总结.pdf")


def test_pdf_unavailable_is_503_and_docx_still_works(make_workbook):
    server = Server(Settings())
    with server as http:
        server.app.state.pdf.binary = None  # as on a machine without LibreOffice
        refused = upload(http, make_workbook(example=True), "/api/render", format="pdf")
        assert error_of(refused) == (503, "pdf_unavailable")
        assert "retry-after" not in refused.headers  # it will not get better by waiting
        assert upload(http, make_workbook(example=True), "/api/render").status_code == 200


def test_serve_command_starts_the_server():
    import subprocess
    import sys

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "xlsummary.cli", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(150):
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/api/health")
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        assert health.json()["status"] == "ok"
    finally:
        server.terminate()
        assert server.wait(timeout=30) is not None


def test_a_zip_that_lies_about_its_sizes(client):
    """Declared sizes small, real content huge: counted while inflating, refused."""
    import struct
    import zlib

    payload = zlib.compress(b"\0" * (200 * 1024 * 1024), 9)[2:-4]  # raw deflate
    name = b"xl/workbook.xml"
    crc = zlib.crc32(b"\0" * (200 * 1024 * 1024))
    local = (
        struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(payload), 10, len(name), 0)
        + name
        + payload
    )
    central = (
        struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            20,
            20,
            0,
            8,
            0,
            0,
            crc,
            len(payload),
            10,
            len(name),
            0,
            0,
            0,
            0,
            0,
            0,
        )
        + name
    )
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central), len(local), 0)
    response = upload(client, local + central + end)
    assert error_of(response) == (413, "zip_bomb")


def test_custom_templates(client, make_workbook):
    from xlsummary.report import default_template

    template = default_template("zh").read_bytes()
    response = client.post(
        "/api/render",
        files={
            "file": ("统计表.xlsx", make_workbook(example=True).read_bytes()),
            "template": ("我们的模板.docx", template),
        },
        data={"format": "docx"},
    )
    assert response.status_code == 200
    assert docx.Document(io.BytesIO(response.content)).paragraphs[0].text.endswith("工作总结")
    server = Server(Settings(custom_templates=False))
    with server as http:
        refused = http.post(
            "/api/render",
            files={
                "file": ("x.xlsx", make_workbook(example=True).read_bytes()),
                "template": ("t.docx", template),
            },
        )
        assert error_of(refused) == (400, "templates_disabled")


def test_every_error_has_the_one_shape(client, make_workbook):
    assert error_of(client.post("/api/check")) == (400, "bad_request")
    assert error_of(client.post("/api/check", data={"file": "hello"})) == (400, "bad_request")
    good = make_workbook(example=True).read_bytes()
    assert error_of(
        client.post("/api/render", files={"file": ("x.xlsx", good)}, data={"draft": "maybe"})
    ) == (400, "bad_request")
    assert error_of(client.get("/api/workbooks/hospital?year=99999")) == (400, "bad_request")
    # a 10 GB upload is refused from its headers, before any of it is received
    with socket.create_connection(("127.0.0.1", client.base_url.port), timeout=20) as raw:
        raw.sendall(
            b"POST /api/check HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data;"
            b" boundary=b\r\nContent-Length: 10000000000\r\n\r\n"
        )
        answer = b""
        while b'"too_large"' not in answer and (chunk := raw.recv(65536)):
            answer += chunk  # headers and body may come in separate packets
        answer = answer.decode("utf-8", "replace")
    assert answer.startswith("HTTP/1.1 413") and '"too_large"' in answer
    blank = client.get("/api/workbooks/hospital")
    assert 'filename="xlsummary.xlsx"' in blank.headers["content-disposition"]


def test_hostile_template_expressions_are_bounded(client, make_workbook, tmp_path: Path):
    from tests.test_render import _template_with

    for expression in ("{{ 7 ** (10 ** 8) }}", "{{ 'x' * 3000000000 }}"):
        template = _template_with(tmp_path, "{{ unit }}", expression)
        response = client.post(
            "/api/render",
            files={
                "file": ("x.xlsx", make_workbook(example=True).read_bytes()),
                "template": ("t.docx", template.read_bytes()),
            },
        )
        assert error_of(response) == (400, "template")


def test_check_names_the_workbook_and_says_figures_in_every_language(client, make_workbook):
    """The page says which workbook was checked and shows its figures in the page's
    language, whatever the workbook's: both come with the check, in every language."""
    zh = upload(client, make_workbook(example=True)).json()
    assert zh["summary"] == {
        "file": "统计表.xlsx",
        "unit": "某某市人民医院",
        "year": 2023,
        "period": "全年",
        "period_en": "Full year",
        "profile": "医院对口支援",
        "profile_en": "Hospital partner support",
    }
    surgery = next(f for f in zh["figures"] if f["code"] == "surgery")
    assert {k: surgery[k] for k in ("name", "unit", "name_en", "unit_en", "yoy")} == {
        "name": "手术例数",
        "unit": "例",
        "name_en": "Operations",
        "unit_en": "operations",
        "yoy": "+17.9%",
    }
    rate = next(f for f in zh["figures"] if f["code"] == "satisfaction")
    assert (rate["yoy"], rate["yoy_en"]) == ("+1.6个百分点", "+1.6 pts")
    # an English workbook: its own words in English, the shipped Chinese ones beside them
    en = upload(client, make_workbook(example=True, lang="en")).json()
    surgery = next(f for f in en["figures"] if f["code"] == "surgery")
    assert (surgery["name"], surgery["unit"]) == ("手术例数", "例")
    assert (surgery["name_en"], surgery["unit_en"]) == ("Operations", "operations")
    assert en["summary"]["period_en"] == "Full year"


def test_check_keeps_a_unit_staff_renamed(client, make_workbook):
    """A unit typed by staff has no translation: both languages show it as typed."""
    path = make_workbook(example=True)
    wb = openpyxl.load_workbook(path)
    sheet = wb["指标"]
    header = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "代码")
    row = next(r for r in sheet.iter_rows() if r[0].value == "surgery")
    row[header.index("单位")].value = "台"
    wb.save(path)
    surgery = next(f for f in upload(client, path).json()["figures"] if f["code"] == "surgery")
    assert (surgery["unit"], surgery["unit_en"]) == ("台", "台")


def test_last_years_workbook_beside_the_current_one(client, tmp_path: Path):
    """The API takes last year's workbook as ``prior`` (as ``--prior``): 上年同期 is
    last year's third quarter, not the whole year typed in the column."""
    from tests.test_prior_year import workbook

    last, last_data = workbook(tmp_path, "2022.xlsx", year=2022, scale=0.9)
    this, _ = workbook(tmp_path, "2023.xlsx", year=2023, period="q3", keep_prior=False)
    files = {
        "file": ("2023.xlsx", this.read_bytes()),
        "prior": ("2022.xlsx", last.read_bytes()),
    }
    checked = client.post("/api/check", files=files)
    assert checked.status_code == 200, checked.text
    expected = sum(last_data["tallies"]["outpatient"]["months"][6:9])
    assert checked.json()["totals"]["indicators"]["outpatient"]["prior"] == expected
    shown = next(f for f in checked.json()["figures"] if f["code"] == "outpatient")
    assert shown["prior"] == f"{expected:,}"
    rendered = client.post("/api/render", files=files, data={"format": "docx"})
    assert rendered.status_code == 200
    cells = [
        c.text
        for t in docx.Document(io.BytesIO(rendered.content)).tables
        for r in t.rows
        for c in r.cells
    ]
    assert f"{expected:,}" in cells
    # last year's workbook of the same year is refused, in the one error shape
    same = client.post(
        "/api/check", files={"file": files["file"], "prior": ("2023.xlsx", this.read_bytes())}
    )
    assert error_of(same) == (400, "prior_mismatch")
    assert "请提供2022年的统计表" in same.json()["error"]["message"]
