"""Routes of the server: a page for office staff and a JSON API under /api.

Every route calls the library (``check_model``, ``render_context``, the compiled
template), so the server produces exactly what the CLI and the Excel button produce.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import asynccontextmanager
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

from fastapi import FastAPI, File, Form, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from xlsummary import __version__, untrusted
from xlsummary.catalogue import load_profile, profile_names
from xlsummary.check import CheckResult, check_model
from xlsummary.context import figure_row
from xlsummary.docx_template import SHIPPED
from xlsummary.errors import XlsummaryError
from xlsummary.generate import generate_workbook
from xlsummary.model import build_model
from xlsummary.read_xlsx import read_grids_from_bytes
from xlsummary.render_docx import load_template
from xlsummary.report import default_output, default_template, render_context
from xlsummary.web.errors import WebError, from_core, http_problem, invalid_request
from xlsummary.web.headers import COMMON_HEADERS, SecurityHeaders, page_policy
from xlsummary.web.http_limits import BodyLimits
from xlsummary.web.lanes import Busy, Lane
from xlsummary.web.pdf import ConversionError, PdfBusy, PdfConverter
from xlsummary.web.settings import Settings
from xlsummary.web.uploads import check_size, check_zip

log = logging.getLogger("xlsummary.web")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(name: str) -> str:
    """A Content-Disposition that keeps a Chinese file name (RFC 6266 / 5987)."""
    stem, _, suffix = name.rpartition(".")
    ascii_stem = stem.encode("ascii", "ignore").decode().strip(" -_.")
    ascii_name = f"{ascii_stem if any(c.isalpha() for c in ascii_stem) else 'xlsummary'}.{suffix}"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    pdf = PdfConverter(settings.pool)
    templates = Lane(
        "template", settings.template_workers, settings.queue_size, settings.queue_timeout
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI):
        await pdf.start(converters=settings.pdf_autostart)
        yield
        untrusted.stop_all()  # templates still running fail now, not at their limit
        templates.close()
        await pdf.aclose()  # the LibreOffice processes, profiles and temporary files

    app = FastAPI(
        title="xlsummary",
        version=__version__,
        lifespan=lifespan,
        description="工作总结：检查统计表，生成 Word / PDF 报告。",
        # no interactive docs: Swagger UI would load its scripts from a CDN (and break
        # offline); the OpenAPI description is served as it is
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.pdf = pdf
    app.add_middleware(BodyLimits, max_body=settings.max_body, body_timeout=settings.body_timeout)
    app.add_middleware(SecurityHeaders, page_csp=page_policy(_page()))

    @app.exception_handler(WebError)
    async def web_error(_: Request, error: WebError) -> JSONResponse:
        return JSONResponse(error.body(), status_code=error.status, headers=error.headers)

    @app.exception_handler(RequestValidationError)
    async def bad_request(_: Request, error: RequestValidationError) -> JSONResponse:
        problem = invalid_request(error.errors())
        return JSONResponse(problem.body(), status_code=problem.status)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, error: StarletteHTTPException) -> JSONResponse:
        problem = http_problem(error.status_code)
        return JSONResponse(problem.body(), status_code=problem.status, headers=error.headers)

    @app.exception_handler(Exception)
    async def unexpected(_: Request, error: Exception) -> JSONResponse:
        problem = WebError(
            500,
            "internal",
            "服务器内部错误，请稍后重试。",
            "Internal server error; please try again later.",
        )
        # outside every middleware (Starlette's error middleware): headers added here
        return JSONResponse(problem.body(), status_code=500, headers=COMMON_HEADERS)

    async def checked(upload: UploadFile) -> CheckResult:
        data = await upload.read(settings.max_upload + 1)
        check_size(data, settings.max_upload)
        check_zip(data)

        def parse() -> CheckResult:
            grids = read_grids_from_bytes(data, upload.filename or "workbook.xlsx", settings.limits)
            return check_model(build_model(grids))

        try:  # in a thread: one large workbook must not stall every other request
            return await asyncio.to_thread(parse)
        except XlsummaryError as error:
            raise from_core(error) from None

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def page() -> str:
        return _page()

    @app.get("/api/health")
    async def health() -> JSONResponse:
        """200 while the server can do its work; 503 when PDF conversion is installed
        but no converter can convert (every one failed to start, or hangs)."""
        converters = pdf.status()
        body = {
            "status": "ok",
            "version": __version__,
            "pdf": converters["available"] and converters["can_convert"],
            "converters": converters["converters"],
            "waiting": {"pdf": converters.get("waiting", 0), "templates": templates.waiting},
        }
        if converters["available"] and not converters["can_convert"]:
            body["status"] = "degraded"
            return JSONResponse(body, status_code=503, headers={"Retry-After": "10"})
        return JSONResponse(body)

    @app.get("/api/profiles")
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

    @app.get("/api/templates")
    async def shipped_templates() -> list[dict]:
        return [{"name": name, "lang": lang} for name, lang in SHIPPED.items()]

    @app.get("/api/workbooks/{profile}")
    async def blank_workbook(
        profile: str,
        lang: str = "zh",
        year: Annotated[int | None, Query(ge=1990, le=2100)] = None,
    ) -> Response:
        if profile not in profile_names():
            raise WebError(
                404,
                "unknown_profile",
                f"没有名为“{profile}”的指标方案。",
                f"No profile named {profile!r}.",
            )
        try:
            data = generate_workbook(profile, year, lang)
        except XlsummaryError as error:
            raise from_core(error) from None
        name = (
            f"{load_profile(profile).name(lang)}统计表.xlsx"
            if lang == "zh"
            else f"{profile}-workbook.xlsx"
        )
        return Response(data, media_type=XLSX, headers={"Content-Disposition": attachment(name)})

    @app.post("/api/check")
    async def check(file: Annotated[UploadFile, File()]) -> dict:
        """Issues and totals as ``xlsummary check --json``, plus ``figures``: each
        indicator's figures formatted as the report prints them, for people to read."""
        result = await checked(file)
        data = result.to_dict()
        model = result.model
        data["figures"] = [
            figure_row(ind, result.totals[ind.code], model.lang) for ind in model.indicators
        ]
        return data

    @app.post("/api/render")
    async def render(
        file: Annotated[UploadFile, File()],
        format: Annotated[str, Form()] = "docx",
        draft: Annotated[bool, Form()] = False,
        lang: Annotated[str | None, Form()] = None,
        template: Annotated[UploadFile | None, File()] = None,
    ) -> Response:
        if format not in ("docx", "pdf"):
            raise WebError(400, "bad_format", "格式只能是 docx 或 pdf。", "Format is docx or pdf.")
        if format == "pdf" and not app.state.pdf.available:
            raise WebError(
                503,
                "pdf_unavailable",
                "服务器未安装 LibreOffice，暂不能生成 PDF；可先下载 Word 版。",
                "PDF conversion is unavailable (no LibreOffice); DOCX still works.",
            )
        result = await checked(file)
        if result.errors and not draft:
            raise WebError(
                422,
                "validation",
                f"统计表有 {result.errors} 个错误，未生成报告。",
                f"The workbook has {result.errors} error(s); no report was written.",
                {"issues": [i.to_dict() for i in result.issues]},
            )
        lang = lang if lang in ("zh", "en") else result.model.lang
        custom = template is not None and bool(template.filename)
        if custom and not settings.custom_templates:
            raise WebError(
                400,
                "templates_disabled",
                "本服务器不接受自定义模板。",
                "This server does not accept custom templates.",
            )
        try:
            context = render_context(result, lang, draft)
            if custom:
                data = await template.read(settings.max_template + 1)
                check_size(data, settings.max_template)
                check_zip(data, kind="document")
                # someone else's code: rendered in a worker process that is killed past
                # its time and memory limits (xlsummary.untrusted), from threads of
                # its own so that checks keep answering while templates run
                docx = await templates.run(
                    untrusted.render_untrusted, data, template.filename, context, settings.limits
                )
            else:
                compiled = load_template(default_template(lang))
                docx = await asyncio.to_thread(compiled.render, context)
        except Busy as busy:
            raise WebError(
                503,
                "busy",
                "服务器正忙于渲染其他自定义模板，请稍后重试。",
                "The server is busy rendering other custom templates; try again shortly.",
                retry_after=busy.retry_after,
            ) from None
        except XlsummaryError as error:
            raise from_core(error) from None
        name = default_output(Path("x.xlsx"), context["title"], draft, lang).name
        if format == "docx":
            return Response(
                docx, media_type=DOCX, headers={"Content-Disposition": attachment(name)}
            )
        try:
            # no outer time limit: the pool bounds the wait and the conversion, and
            # keeps a converter until its LibreOffice is really done (or killed)
            document = await pdf.convert(docx)
        except PdfBusy as busy:
            raise WebError(
                503,
                "pdf_busy",
                "PDF 转换排队的人太多，请稍后重试，或先下载 Word 版。",
                "Too many PDF conversions are waiting; try again shortly or download the DOCX.",
                retry_after=busy.retry_after,
            ) from None
        except (ConversionError, OSError, ValueError) as error:
            log.warning("PDF conversion failed: %s", error)
            raise WebError(
                503,
                "pdf_failed",
                "PDF 转换失败，请稍后重试或下载 Word 版。",
                "PDF conversion failed; try again later or download the DOCX.",
                retry_after=ConversionError.retry_after,
            ) from None
        return Response(
            document,
            media_type="application/pdf",
            headers={"Content-Disposition": attachment(name[:-5] + ".pdf")},
        )

    return app


@lru_cache(maxsize=1)
def _page() -> str:
    return (resources.files("xlsummary.web") / "static" / "index.html").read_text("utf-8")
