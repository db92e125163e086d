"""The FastAPI application factory: settings, engine, routers (discovered from api/routes), errors, logs."""

from __future__ import annotations

import importlib
import logging
import pkgutil
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from api import routes
from api.logging import configure_logging, request_id_var
from crm.db import make_engine, session_factory
from crm.errors import Conflict, DealwiseError, Forbidden, InvalidInput, NotFound
from crm.settings import Settings, get_settings

log = logging.getLogger("dealwise.http")
STATUS = {NotFound: 404, Forbidden: 403, InvalidInput: 422, Conflict: 409}
StartupHook = Callable[[FastAPI], None]
startup_hooks: list[StartupHook] = []  # e.g. the in-process job worker registers itself here


def _domain_error(_request: Request, exc: Exception) -> JSONResponse:
    code = next((c for t, c in STATUS.items() if isinstance(exc, t)), 400)
    return JSONResponse({"detail": str(exc)}, status_code=code)


# a write that lost to a concurrent one: PostgreSQL deadlock / serialization failure, SQLite's busy timeout
RETRYABLE_SQLSTATES = ("40P01", "40001")


def retryable(exc: DBAPIError) -> bool:
    """The transaction was rolled back only because another one held the rows it needed: the same request,
    sent again, succeeds."""
    code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    return code in RETRYABLE_SQLSTATES or "database is locked" in str(exc.orig)


def _database_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DBAPIError)
    if not retryable(exc):
        raise exc  # a real fault: the server error handler logs it and answers 500
    return JSONResponse({"detail": "The database was busy with a concurrent change, so nothing was saved; "
                                   "please send the request again."}, status_code=503, headers={"Retry-After": "1"})


def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [{"field": ".".join(str(p) for p in e["loc"] if p != "body"), "reason": e["msg"], "loc": e["loc"]}
              for e in exc.errors()]
    first = errors[0] if errors else {"field": "", "reason": "invalid input"}
    return JSONResponse({"detail": f"{first['field']}: {first['reason']}", "errors": errors}, status_code=422)


def include_routers(app: FastAPI) -> None:
    for mod in sorted(pkgutil.iter_modules(routes.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"api.routes.{mod.name}")
        router = getattr(module, "router", None)
        if router is not None:
            app.include_router(router)


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        for hook in startup_hooks:
            hook(app)
        yield
        for stop in getattr(app.state, "shutdown_hooks", []):
            stop()

    app = FastAPI(title="Dealwise", version="0.1.0", lifespan=lifespan,
                  description="Conversational AI sales assistant for Chinese B2B sales teams.")
    app.state.settings = settings
    app.state.engine = engine or make_engine(settings.database_url)
    app.state.sessionmaker = session_factory(app.state.engine)
    app.state.shutdown_hooks = []
    app.add_exception_handler(DealwiseError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(DBAPIError, _database_error)

    @app.middleware("http")
    async def request_id(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        rid = request.headers.get("x-request-id") or uuid.uuid4().hex[:16]
        token = request_id_var.set(rid)
        start = time.perf_counter()
        try:
            response = await call_next(request)
        finally:
            request_id_var.reset(token)
        response.headers["x-request-id"] = rid
        extra: dict[str, Any] = {"method": request.method, "path": request.url.path,
                                 "status": response.status_code, "ms": round((time.perf_counter() - start) * 1000, 1),
                                 "request_id": rid}
        log.info("request", extra=extra)
        return response

    include_routers(app)
    return app
