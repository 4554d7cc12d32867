"""Request handlers: read the request, ask web.pages (or graph.review) for the data, render a
template. Sync handlers run in Starlette's thread pool, so graph calls never block the loop."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from graph.review import Decision, ReviewError, parse_correction, recent, record
from web import pages
from web.console import EXAMPLE, EXAMPLE_PARAMS, run_query
from web.security import Refused, check_post, local_path
from web.text import link

if TYPE_CHECKING:
    from web.app import Workbench

READ_ONLY = ("this workbench is read-only: start it with `mattermine serve --review` to accept, "
             "reject or correct facts. Nothing was changed.")


def _wb(request: Request) -> Workbench:
    return request.app.state.workbench  # type: ignore[no-any-return]


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    wb = _wb(request)
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    base = {"review_mode": wb.review, "reviewer": wb.reviewer, "csrf": wb.csrf_token, "graph": wb.graph,
            "here": here}
    return request.app.state.templates.TemplateResponse(  # type: ignore[no-any-return]
        request, name, {**base, **context}, status_code=status)


def _param(request: Request, name: str) -> str:
    value = request.query_params.get(name, "")
    if not value.strip():
        raise HTTPException(400, f"missing ?{name}=")
    return value


def home(request: Request) -> Response:
    return render(request, "search.html", pages.search(_wb(request).store, request.query_params.get("q", "")))


def material(request: Request) -> Response:
    key = _param(request, "key")
    data = pages.material(_wb(request).store, key)
    if data is None:
        raise HTTPException(404, f"no material {key!r} in the graph; try the search")
    return render(request, "material.html", data)


def prop(request: Request) -> Response:
    return render(request, "property.html", pages.prop(_wb(request).store, _param(request, "key")))


def application(request: Request) -> Response:
    return render(request, "application.html", pages.application(_wb(request).store, _param(request, "key")))


def fact(request: Request) -> Response:
    data = pages.fact(_wb(request).store, _param(request, "id"))
    if data is None:
        raise HTTPException(404, "no such fact in the graph")
    return render(request, "fact.html", data)


def reviews(request: Request) -> Response:
    return render(request, "reviews.html", {"reviews": recent(_wb(request).store)})


def console(request: Request) -> Response:
    query = request.query_params.get("q", "")
    params = request.query_params.get("params", "")
    result = run_query(_wb(request).store, query, params)
    return render(request, "console.html", {"q": query or EXAMPLE, "params": params if query else EXAMPLE_PARAMS,
                                            "result": result, "ran": bool(query.strip())})


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _decision(form: FormData) -> Decision:
    fact_id, decision = _field(form, "id"), _field(form, "decision")
    if not fact_id:
        raise ReviewError("the form names no fact")
    correction = None
    if decision == "corrected":
        correction = parse_correction(_field(form, "value"), _field(form, "unit"), _field(form, "material"),
                                      _field(form, "property"))
    return Decision(fact_id, decision, _field(form, "reviewer"), _field(form, "note"), correction)


async def review(request: Request) -> Response:
    """POST: record one decision, then back to the page it came from."""
    wb = _wb(request)
    if not wb.review:
        raise Refused(403, READ_ONLY)
    form = await request.form()
    check_post(request.headers, wb.csrf_token, _field(form, "csrf"))
    decision = _decision(form)
    await run_in_threadpool(record, wb.store, decision)
    return RedirectResponse(local_path(_field(form, "next"), link("/fact", id=decision.fact)), status_code=303)
