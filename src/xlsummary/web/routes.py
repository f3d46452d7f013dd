"""The server's routes: a page for office staff and a JSON API under /api.

Each route reads the request, calls the library (:func:`xlsummary.report.make_report`,
:func:`xlsummary.report.check_source`: exactly what the CLI and the Excel button
call) and turns the result into a response; errors travel as the library raised them
and become the one JSON shape in ``app.py``. The app's moving parts (settings, the
PDF converter, the lane of template workers) come from ``request.app.state.services``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, Response

from xlsummary import __version__, i18n
from xlsummary.catalogue import load_profile, profile_names
from xlsummary.docx_template import SHIPPED
from xlsummary.errors import ConversionError, PdfUnavailable, XlsummaryError
from xlsummary.generate import generate_workbook
from xlsummary.i18n import LANGS, text
from xlsummary.input_files import too_large
from xlsummary.pdf import PdfConverter
from xlsummary.report import Report, check_source, make_report, plan_report, render_plan
from xlsummary.web.check_view import figures, summary
from xlsummary.web.errors import RequestProblem
from xlsummary.web.lanes import Lane
from xlsummary.web.settings import Settings

log = logging.getLogger("xlsummary.web")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
router = APIRouter()


@dataclass
class Services:
    """What the routes share, made by the app factory (no module-level state)."""

    settings: Settings
    pdf: PdfConverter
    templates: Lane  # threads in which users' templates run (each in a worker process)


def services(request: Request) -> Services:
    return request.app.state.services


def attachment(name: str) -> str:
    """A Content-Disposition that keeps a Chinese file name (RFC 6266 / 5987)."""
    stem, _, suffix = name.rpartition(".")
    # the plain-ASCII fallback for old clients: no quote, backslash or control character
    ascii_stem = re.sub(r"[^A-Za-z0-9 ._()-]+", "_", stem.encode("ascii", "ignore").decode())
    ascii_stem = ascii_stem.strip(" -_.")
    ascii_name = f"{ascii_stem if any(c.isalpha() for c in ascii_stem) else 'xlsummary'}.{suffix}"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


async def read_upload(upload: UploadFile, limit: int, kind: str) -> bytes:
    """The bytes of an upload, refused past ``limit`` (read no further). What the bytes
    are (empty, not a zip, a legacy file) is for the library to say, as it does for a
    file on disk."""
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise too_large(upload.filename or kind, limit, kind)
    return data


@lru_cache(maxsize=1)
def page_html() -> str:
    """The page, with its words in every language from the catalogue (a JSON data
    block the page's script reads), so that no word of it is written twice."""
    page = (resources.files("xlsummary.web") / "static" / "index.html").read_text("utf-8")
    words = {"langs": list(LANGS)}
    for lang in LANGS:
        words[lang] = {
            "tag": text("workbook.language_tag", lang),
            "page": i18n.words("page", lang),
            "label": i18n.words("label", lang),
        }
    # "<" escaped: nothing in the data can close the script element
    data = json.dumps(words, ensure_ascii=False).replace("<", "\\u003c")
    block = f'<script type="application/json" id="words">{data}</script>'
    return page.replace("<!--WORDS-->", block, 1)


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
async def page() -> str:
    return page_html()


@router.get("/api/health")
async def health(request: Request) -> JSONResponse:
    """200 while the server can do its work; 503 when PDF conversion is installed
    but no converter can convert (every one failed to start, or hangs)."""
    app = services(request)
    converters = app.pdf.status()
    body = {
        "status": "ok",
        "version": __version__,
        "pdf": converters["available"] and converters["can_convert"],
        "converters": converters["converters"],
        "waiting": {"pdf": converters.get("waiting", 0), "templates": app.templates.waiting},
    }
    if converters["available"] and not converters["can_convert"]:
        body["status"] = "degraded"
        return JSONResponse(body, status_code=503, headers={"Retry-After": "10"})
    return JSONResponse(body)


@router.get("/api/profiles")
async def profiles() -> list[dict]:
    return [
        {
            "code": name,
            "name": load_profile(name).name_zh,
            "name_en": load_profile(name).name_en,
            "indicators": len(load_profile(name).indicators),
        }
        for name in profile_names()
    ]


@router.get("/api/templates")
async def shipped_templates() -> list[dict]:
    return [{"name": name, "lang": lang} for name, lang in SHIPPED.items()]


@router.get("/api/workbooks/{profile}")
async def blank_workbook(
    profile: str,
    lang: str = "zh",
    year: Annotated[int | None, Query(ge=1990, le=2100)] = None,
) -> Response:
    data = generate_workbook(profile, year, lang)  # an unknown profile: 404 unknown_profile
    name = text("web.workbook_name", lang, profile=profile, name=load_profile(profile).name(lang))
    return Response(data, media_type=XLSX, headers={"Content-Disposition": attachment(name)})


async def read_prior(upload: UploadFile | None, settings: Settings) -> dict:
    """The options of an optional upload of last year's workbook (``prior``): its bytes
    and name, as ``check_source`` takes them."""
    if upload is None or not upload.filename:
        return {}
    try:
        data = await read_upload(upload, settings.max_upload, "workbook")
    except XlsummaryError as error:
        error.field = "prior"
        raise
    return {"prior": data, "prior_name": upload.filename}


@router.post("/api/check")
async def check(
    request: Request,
    file: Annotated[UploadFile, File()],
    prior: Annotated[UploadFile | None, File()] = None,
) -> dict:
    """Issues and totals as ``xlsummary check --json``, plus what the page shows:
    ``summary`` (which workbook this was) and ``figures`` (each indicator's figures
    formatted as the report prints them), both in every language. ``prior``: last
    year's workbook, to compute 上年同期 from (as ``--prior``)."""
    settings = services(request).settings
    data = await read_upload(file, settings.max_upload, "workbook")
    last = await read_prior(prior, settings)
    # in a thread: one large workbook must not stall every other request
    result = await asyncio.to_thread(
        lambda: check_source(data, name=file.filename or "", limits=settings.limits, **last)
    )
    return result.to_dict() | {"summary": summary(result), "figures": figures(result)}


@router.post("/api/render")
async def render(
    request: Request,
    file: Annotated[UploadFile, File()],
    format: Annotated[str, Form()] = "docx",
    draft: Annotated[bool, Form()] = False,
    lang: Annotated[str | None, Form()] = None,
    template: Annotated[UploadFile | None, File()] = None,
    prior: Annotated[UploadFile | None, File()] = None,
) -> Response:
    app = services(request)
    settings = app.settings
    if format not in ("docx", "pdf"):
        raise RequestProblem("bad_format")
    if format == "pdf" and not app.pdf.available:
        raise PdfUnavailable()
    custom = template is not None and bool(template.filename)
    if custom and not settings.custom_templates:
        raise RequestProblem("templates_disabled")
    data = await read_upload(file, settings.max_upload, "workbook")
    options = {
        "name": file.filename or "",
        "lang": lang if lang in LANGS else None,
        "draft": draft,
        "limits": settings.limits,
        **await read_prior(prior, settings),
    }
    if custom:
        assert template is not None
        source = await read_upload(template, settings.max_template, "template")
        plan = await asyncio.to_thread(lambda: plan_report(data, **options))
        # someone else's code: rendered in a worker process that is killed past its
        # time and memory limits (xlsummary.untrusted), from threads of its own so
        # that checks keep answering while templates run
        report: Report = await app.templates.run(
            render_plan, plan, source, template.filename, settings.limits
        )
    else:
        report = await asyncio.to_thread(lambda: make_report(data, **options))
    if format == "docx":
        return Response(
            report.data, media_type=DOCX, headers={"Content-Disposition": attachment(report.name)}
        )
    try:
        # no outer time limit: the pool bounds the wait and the conversion, and
        # keeps a converter until its LibreOffice is really done (or killed)
        document = await app.pdf.convert(report.data)
    except ConversionError as error:
        log.warning("PDF conversion failed: %s", error.params.get("detail", error.code))
        raise
    except (OSError, ValueError) as error:
        log.warning("PDF conversion failed: %s", error)
        raise ConversionError(detail=str(error)) from None
    return Response(
        document,
        media_type="application/pdf",
        headers={"Content-Disposition": attachment(report.name[:-5] + ".pdf")},
    )
