"""The archive browser's application: pages, JSON API, /healthz, /metrics. Read-only over the archive."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn
from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text

from worker import __version__
from worker.config import Config
from worker.store.engine import make_engine, mask_url
from worker.web import api, errors, evidence, memento, metrics, pages, schemas
from worker.web.params import reject_nul
from worker.web.protocol import HardenedH11Protocol

log = logging.getLogger("newsarchive.web")


def create_app(db_url: str, config: Config | None = None, base_url: str | None = None) -> FastAPI:
    """The ASGI app over the archive at db_url; config (optional) adds schedules and health checks;
    base_url (optional, e.g. https://archive.example.org) makes the Atom feed's links absolute. Links
    are never built from the request's Host header."""
    app = FastAPI(title="newsarchive", version=__version__, docs_url=None, redoc_url=None,
                  openapi_url="/openapi.json", redirect_slashes=False,  # its redirect names the Host
                  dependencies=[Depends(reject_nul)],
                  description="A read-only view of a versioned news archive: sources, articles, versions, "
                              "diffs, reprints, changes. Lists are paginated with `cursor`.")
    app.state.engine = make_engine(db_url, writer=False)
    app.state.config = config
    app.state.db_label = mask_url(db_url)
    app.state.base_url = base_url.rstrip("/") if base_url else None
    app.mount("/static", StaticFiles(directory=str(Path(__file__).with_name("static"))), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(evidence.router)  # /articles/ID/evidence and /articles/ID/evidence.wacz
    app.include_router(memento.router)
    _ops_routes(app)
    errors.install(app)
    return app


def _ops_routes(app: FastAPI) -> None:
    @app.get("/healthz", response_model=schemas.Health, tags=["operations"], summary="Liveness and database check",
             responses={503: {"model": schemas.Health, "description": "the database does not answer"}})
    def healthz(request: Request) -> Response:
        try:
            with request.app.state.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception as e:  # any database failure is "unhealthy", said plainly
            return JSONResponse({"status": "error", "database": f"{type(e).__name__}: {e}"[:300]}, status_code=503)
        return JSONResponse({"status": "ok", "database": request.app.state.db_label})

    @app.get("/metrics", tags=["operations"], summary="Prometheus metrics, computed from the archive",
             response_class=Response)
    def prometheus(request: Request) -> Response:
        return Response(metrics.render(request.app.state.engine), media_type="text/plain; version=0.0.4")


def serve(db_url: str, config: Config | None = None, host: str = "127.0.0.1", port: int = 8080,
          base_url: str | None = None) -> int:
    """Run the browser until SIGINT/SIGTERM; 0 on a clean stop, 1 when it could not start."""
    app = create_app(db_url, config, base_url)
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="info", access_log=False,
                                           proxy_headers=False, server_header=False, http=HardenedH11Protocol))
    log.info("archive browser on http://%s:%d/ over %s", host, port, mask_url(db_url))
    try:
        with _signals_end_cleanly():
            server.run()
    except SystemExit as e:  # uvicorn exits 1 when it cannot bind the port
        return e.code if isinstance(e.code, int) else 1
    finally:
        app.state.engine.dispose()
    return 0 if server.started else 1


@contextmanager
def _signals_end_cleanly() -> Iterator[None]:
    """After its graceful shutdown uvicorn re-raises the stop signal to the handler it found; with this
    no-op there, a stop by SIGTERM/SIGINT ends serve() normally (exit status 0) instead of by the signal."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = {sig: signal.signal(sig, lambda *_: None) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)
