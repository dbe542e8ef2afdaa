"""Proofs for stack/lazy-annotations: on Python 3.14 forward references work unquoted; under
`from __future__ import annotations` FastAPI loses a dependency and asks for a query parameter."""

from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from pydantic import BaseModel, PydanticUserError

from snippets.stack.lazy_annotations import avoid, do
from tests.evidence import Evidence
from tests.lint import line_of, ruff_codes_by_line, ruff_diagnostics, ruff_output

# An endpoint above the class it takes: FastAPI reads the annotation when the decorator runs.
late_app = FastAPI()


@late_app.post("/notes")
async def create_note(note: Note) -> dict[str, str]:
    return {"text": note.text}


class Note(BaseModel):
    text: str


CATEGORY = {"name": "books", "parent": {"name": "media"}, "children": [{"name": "novels"}]}


def route(app: FastAPI, path: str) -> APIRoute:
    return next(r for r in app.routes if isinstance(r, APIRoute) and r.path == path)


def client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


async def test_forward_references_work_unquoted() -> None:
    """A nested `Category` validates (its `parent` typed by the class defined below it, its
    `children` by itself), and `children`'s annotation is the real `list[Category]`, not a
    string. In `create_app()`, `/pages/current` has one dependency, `pagination`, and no query
    parameters of its own: `POST /categories` is `201` with the nested body, `GET
    /pages/current?limit=5` is `{"limit": 5, "offset": 0}`, `limit=500` is a 422 at `["query",
    "limit"]` from the dependency's `Query(le=100)`, and the OpenAPI schema has the `Category`
    request body and the `limit` and `offset` parameters."""
    # The model: a field typed by a class defined further down, and one typed by the class itself.
    category = do.Category.model_validate(CATEGORY)
    assert category.parent == do.CategoryRef(name="media")
    assert category.children == [do.Category(name="novels")]
    assert do.Category.model_fields["children"].annotation == list[do.Category]

    app = do.create_app()
    # The endpoint: the local `PageDep` alias resolves, so `page` is a dependency, not a parameter.
    current = route(app, "/pages/current").dependant
    assert [d.call.__name__ for d in current.dependencies if d.call] == ["pagination"]
    assert current.query_params == []
    async with client(app) as http:
        created = await http.post("/categories", json=CATEGORY)
        page = await http.get("/pages/current", params={"limit": 5})
        too_big = await http.get("/pages/current", params={"limit": 500})

    assert created.status_code == 201
    assert created.json()["children"][0]["name"] == "novels"
    assert page.status_code == 200
    assert page.json() == {"limit": 5, "offset": 0}
    assert too_big.status_code == 422  # the dependency's `Query(le=100)` applies
    assert too_big.json()["detail"][0]["loc"] == ["query", "limit"]

    paths = app.openapi()["paths"]
    body = paths["/categories"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"]["$ref"].startswith("#/components/schemas/Category")
    parameters = paths["/pages/current"]["get"]["parameters"]
    assert [p["name"] for p in parameters] == ["limit", "offset"]


async def test_future_import_turns_a_dependency_into_a_query_parameter(
    evidence: Evidence,
) -> None:
    """The Avoid's app, the Do with the `__future__` import (and one quoted annotation), imports
    fine, but `/pages/current` has no dependency left and one query parameter, `page`: `GET
    /pages/current?limit=5` is a 422, and `app.openapi()` raises `PydanticUserError`
    (`class-not-fully-defined`). `POST /categories` is still `201`, as `Category` is a
    module-level name: only local names are lost, which makes it easy to miss. Called directly,
    `pagination(limit=5)` and the endpoint work: FastAPI never calls them."""
    app = avoid.create_app()

    # "PageDep" is a string FastAPI can only look up in the module's globals, where it is not:
    # the dependency is gone and `page` has become a required query parameter.
    current = route(app, "/pages/current").dependant
    assert current.dependencies == []
    assert [p.name for p in current.query_params] == ["page"]
    async with client(app) as http:
        page = await http.get("/pages/current", params={"limit": 5})
        created = await http.post("/categories", json=CATEGORY)

    evidence.add(page, "GET /pages/current?limit=5, served by the Avoid")
    assert page.status_code == 422
    assert page.json()["detail"] == [
        {"type": "missing", "loc": ["query", "page"], "msg": "Field required", "input": None}
    ]
    assert created.status_code == 201  # module-level names still resolve: the bug is selective

    with pytest.raises(PydanticUserError) as raised:
        app.openapi()
    evidence.add(raised.value, "app.openapi()")
    assert raised.value.code == "class-not-fully-defined"
    assert "ForwardRef('PageDep')" in str(raised.value)
    assert "is not fully defined" in str(raised.value)

    # Called directly, the dependency and the endpoint work: FastAPI just never wires them up.
    direct = await avoid.pagination(limit=5)
    assert direct == avoid.Page(limit=5, offset=0)
    assert await route(app, "/pages/current").endpoint(page=direct) is direct


def test_ruff_flags_quotes_not_the_future_import(evidence: Evidence) -> None:
    """Ruff on the Avoid: the only finding is UP037 on the quoted `"CategoryRef | None"`. No rule
    in this project's selection flags the `from __future__ import annotations` line itself, so
    the run-time proof is what catches it. The Do has no findings."""
    source = Path(avoid.__file__)
    quoted = line_of(source, '"CategoryRef | None"')

    # UP037: quotes are useless on 3.14. Nothing in the project's rule selection flags the
    # `from __future__ import annotations` line itself: only the run-time proof above does.
    evidence.add(ruff_output(source), "ruff check snippets/stack/lazy_annotations/avoid.py")
    assert ruff_codes_by_line(source) == {quoted: {"UP037"}}
    assert ruff_diagnostics(Path(do.__file__)) == []


async def test_a_type_defined_after_its_endpoint_is_read_too_early(evidence: Evidence) -> None:
    """`POST /notes` takes a `note: Note` one line above `class Note(BaseModel)`, with no
    `__future__` import: FastAPI reads the annotation when the decorator runs, finds no `Note`
    yet, and makes `note` a query parameter, so a JSON body gets a 422 at `["query", "note"]`."""
    create = route(late_app, "/notes").dependant
    assert create.body_params == []
    assert [p.name for p in create.query_params] == ["note"]
    async with client(late_app) as http:
        response = await http.post("/notes", json={"text": "hello"})
    evidence.add(response, "POST /notes with a JSON body, the endpoint above its model")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "note"]
