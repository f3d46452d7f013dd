"""The headless server: an ASGI app (FastAPI) around the same library calls as the CLI.

``create_app(settings)`` builds an app from settings, with no module-level state, so
tests and workers can make as many as they like (the datasette pattern).
"""

from xlsummary.web.app import create_app
from xlsummary.web.settings import Settings

__all__ = ["Settings", "create_app"]
