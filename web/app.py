"""The workbench as a Starlette app: `create_app(store, ...)` wires routes, templates, static files
and the security layer. Pages render on the server (Jinja2, autoescape on) and need no script."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import jinja2
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graph.review import ReviewError
from graph.store import GraphError, GraphStore
from web import pages, text, views
from web.security import HEADERS, Refused, allowed_hosts, new_token


@dataclass(frozen=True)
class Workbench:
    """What every request needs: the graph, whether reviews may be written, and the form token."""

    store: GraphStore
    review: bool = False
    reviewer: str = ""  # the default name on review forms
    graph: str = ""  # which graph, for the page footer
    csrf_token: str = field(default_factory=new_token, repr=False)


class SecurityHeaders:
    """Adds security.HEADERS to every response, static files and errors included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(k.lower().encode(), v.encode()) for k, v in HEADERS.items()
                            if k.lower().encode() not in present]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


def templates() -> Jinja2Templates:
    env = jinja2.Environment(loader=jinja2.PackageLoader("web", "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(link=text.link, doi_url=text.doi_url, segments=text.segments,
                       formula_parts=text.formula_parts, display_formula=text.display_formula, number=text.number, when=text.when,
                       entity_href=pages.entity_href)
    return Jinja2Templates(env=env)


def _error_page(request: Request, status: int, message: str) -> Response:
    return views.render(request, "error.html", {"status": status, "message": message}, status)


async def _refused(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Refused)
    return _error_page(request, exc.status, str(exc))


async def _bad_review(request: Request, exc: Exception) -> Response:
    return _error_page(request, 400, f"not recorded: {exc}")


async def _graph_down(request: Request, exc: Exception) -> Response:
    return _error_page(request, 503, f"the graph could not answer: {exc}")


async def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return _error_page(request, exc.status_code, str(exc.detail))


def create_app(store: GraphStore, *, review: bool = False, reviewer: str = "", graph: str = "",
               bind: str = "127.0.0.1") -> Starlette:
    """The workbench over `store`; writes (review decisions) only when `review` is set."""
    routes = [
        Route("/", views.home),
        Route("/search", views.home),
        Route("/material", views.material),
        Route("/property", views.prop),
        Route("/application", views.application),
        Route("/fact", views.fact),
        Route("/reviews", views.reviews),
        Route("/review", views.review, methods=["POST"]),
        Route("/cypher", views.console),
        Mount("/static", StaticFiles(packages=[("web", "static")]), name="static"),
    ]
    handlers: dict[Any, Any] = {Refused: _refused, ReviewError: _bad_review, GraphError: _graph_down,
                                HTTPException: _http}
    app = Starlette(routes=routes, exception_handlers=handlers,
                    middleware=[Middleware(SecurityHeaders),
                                Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts(bind))])
    app.state.workbench = Workbench(store, review, reviewer, graph)
    app.state.templates = templates()
    return app
