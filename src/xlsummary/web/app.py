"""The app factory: builds one server from :class:`Settings` (no module-level state,
so tests make as many as they like), wiring the routes (``routes.py``), the limits on
requests (``http_limits.py``), the security headers and the one error shape
(``errors.py``)."""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from xlsummary import __version__, untrusted
from xlsummary.errors import XlsummaryError
from xlsummary.pdf import PdfConverter
from xlsummary.web import errors
from xlsummary.web.headers import COMMON_HEADERS, SecurityHeaders, page_policy
from xlsummary.web.http_limits import BodyLimits
from xlsummary.web.lanes import Lane
from xlsummary.web.routes import Services, page_html, router
from xlsummary.web.settings import Settings


def _answer(error: XlsummaryError, extra_headers: dict | None = None) -> JSONResponse:
    return JSONResponse(
        errors.body(error),
        status_code=errors.status_of(error),
        headers={**errors.headers(error), **(extra_headers or {})},
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    services = Services(
        settings,
        PdfConverter(settings.pool),
        Lane("template", settings.template_workers, settings.queue_size, settings.queue_timeout),
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI):
        await services.pdf.start(converters=settings.pdf_autostart)
        yield
        untrusted.stop_all()  # templates still running fail now, not at their limit
        services.templates.close()
        await services.pdf.aclose()  # the LibreOffice processes, profiles and temporary files

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
    app.state.pdf = services.pdf
    app.state.services = services
    app.add_middleware(BodyLimits, max_body=settings.max_body, body_timeout=settings.body_timeout)
    app.add_middleware(SecurityHeaders, page_csp=page_policy(page_html()))
    app.include_router(router)

    @app.exception_handler(XlsummaryError)
    async def library_error(_: Request, error: XlsummaryError) -> JSONResponse:
        return _answer(error)

    @app.exception_handler(RequestValidationError)
    async def bad_request(_: Request, error: RequestValidationError) -> JSONResponse:
        return _answer(errors.invalid_request(error.errors()))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, error: StarletteHTTPException) -> JSONResponse:
        return _answer(errors.http_problem(error.status_code), error.headers)

    @app.exception_handler(Exception)
    async def unexpected(_: Request, error: Exception) -> JSONResponse:
        # outside every middleware (Starlette's error middleware): headers added here
        return _answer(errors.RequestProblem("internal"), COMMON_HEADERS)

    return app
