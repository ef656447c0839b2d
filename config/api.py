"""The JSON API (OpenAPI 3.1 at /api/v1/openapi.json): one router per app, mounted here."""

from ninja import NinjaAPI

from sihai.accounts.api import router as auth_router
from sihai.applications.api import router as applications_router
from sihai.areas.api import router as areas_router
from sihai.cases.api import router as cases_router
from sihai.core.api_errors import install_error_handlers
from sihai.directory.api import router as directory_router
from sihai.reporting.api import router as metrics_router
from sihai.residents.api import me_router, staff_router

api = NinjaAPI(
    title="Sihai API",
    version="1",
    description="Sihai (四海之家) platform API. Errors are JSON: {code, message}.",
    urls_namespace="api",
)
install_error_handlers(api)
api.add_router("/auth/", auth_router, tags=["auth"])
api.add_router("/areas/", areas_router, tags=["areas"])
api.add_router("/me/", me_router, tags=["my data (resident)"])
api.add_router("/residents/", staff_router, tags=["residents (staff)"])
api.add_router("/directory/", directory_router, tags=["directory"])
api.add_router("/cases/", cases_router, tags=["service requests"])
api.add_router("/applications/", applications_router, tags=["applications"])
api.add_router("/metrics/", metrics_router, tags=["metrics"])
