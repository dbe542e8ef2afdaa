"""Proofs for stack/runtime-imports: a type FastAPI or Pydantic reads at run time, imported only
under `if TYPE_CHECKING:`, turns a JSON body into a query parameter and breaks the OpenAPI schema,
while mypy sees nothing wrong."""

from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from pydantic import PydanticUserError

from snippets.stack.runtime_imports import avoid, do
from snippets.stack.runtime_imports.schemas import ItemCreate, ItemRead
from tests.evidence import Evidence
from tests.lint import mypy_codes

PEN = {"name": "pen", "price_cents": 120}


def client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


def only_route(routes: list[object]) -> APIRoute:
    (route,) = routes
    assert isinstance(route, APIRoute)
    return route


async def test_runtime_import_gives_a_body_and_a_schema() -> None:
    """With the schemas imported normally, `item` is the endpoint's body parameter and `ItemRead`
    its response model: `POST /items` with `{"name": "pen", "price_cents": 120}` is `201` with
    `{"id": 1, "name": "pen", "price_cents": 120}`, an empty name and a zero price get `422` at
    `["body", "name"]` and `["body", "price_cents"]`, and the OpenAPI request body is `{"$ref":
    "#/components/schemas/ItemCreate"}`. `Order` validates a nested item."""
    route = only_route(list(do.router.routes))
    assert [p.name for p in route.dependant.body_params] == ["item"]
    assert route.dependant.query_params == []
    assert route.response_model is ItemRead

    app = do.create_app()
    async with client(app) as http:
        created = await http.post("/items", json=PEN)
        invalid = await http.post("/items", json={"name": "", "price_cents": 0})

    assert created.status_code == 201
    assert created.json() == {"id": 1, **PEN}
    assert invalid.status_code == 422  # the schema's constraints run
    assert {tuple(e["loc"]) for e in invalid.json()["detail"]} == {
        ("body", "name"),
        ("body", "price_cents"),
    }
    operation = app.openapi()["paths"]["/items"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/ItemCreate"}
    assert do.Order.model_validate({"item": PEN, "quantity": 2}).item.name == "pen"


async def test_type_checking_import_turns_the_body_into_a_query_parameter(
    evidence: Evidence,
) -> None:
    """The Avoid imports and builds its app, but its endpoint has no body parameter, one query
    parameter `item`, and a response model that is `ForwardRef('ItemRead', ...)`: the same JSON
    body gets a 422. Sent the `?item=pen` it asks for, the request raises `PydanticUserError`
    (`class-not-fully-defined`) inside the app, and so does `app.openapi()`."""
    # Nothing fails at import: the app builds, with the wrong idea of its endpoint.
    route = only_route(list(avoid.router.routes))
    assert route.dependant.body_params == []
    assert [p.name for p in route.dependant.query_params] == ["item"]
    assert "ForwardRef('ItemRead'" in repr(route.response_model)

    app = avoid.create_app()
    async with client(app) as http:
        sent_as_json = await http.post("/items", json=PEN)
        evidence.add(sent_as_json, "POST /items with a JSON body, served by the Avoid")
        assert sent_as_json.status_code == 422
        assert sent_as_json.json()["detail"] == [
            {"type": "missing", "loc": ["query", "item"], "msg": "Field required", "input": None}
        ]
        # Given the query parameter it asks for, it cannot validate it at all.
        with pytest.raises(PydanticUserError) as in_request:
            await http.post("/items", params={"item": "pen"})
    evidence.add(in_request.value, "POST /items?item=pen")
    assert in_request.value.code == "class-not-fully-defined"
    assert "ForwardRef('ItemCreate'" in str(in_request.value)

    with pytest.raises(PydanticUserError) as in_openapi:
        app.openapi()
    evidence.add(in_openapi.value, "app.openapi()")
    assert in_openapi.value.code == "class-not-fully-defined"
    assert "ForwardRef('ItemRead'" in str(in_openapi.value)


def test_type_checking_import_breaks_a_pydantic_model(evidence: Evidence) -> None:
    """`Order.model_validate(...)` raises `PydanticUserError`: `` `Order` is not fully defined;
    you should define `ItemCreate`, then call `Order.model_rebuild()`. ``"""
    with pytest.raises(PydanticUserError) as raised:
        avoid.Order.model_validate({"item": PEN, "quantity": 2})

    evidence.add(raised.value, "Order.model_validate(...)")
    assert raised.value.code == "class-not-fully-defined"
    assert str(raised.value).startswith(
        "`Order` is not fully defined; you should define `ItemCreate`, "
        "then call `Order.model_rebuild()`."
    )


@pytest.mark.slow
async def test_mypy_sees_nothing_wrong(evidence: Evidence) -> None:
    """mypy (strict, this project's configuration) reports nothing on a copy of the Avoid, nor on
    the Do. Called directly, without FastAPI, the Avoid's handler fails too: `NameError: name
    'ItemRead' is not defined`."""
    # The Avoid in place: the suite's mypy run leaves out the override that silences it.
    assert mypy_codes(Path(avoid.__file__)) == {}
    evidence.add(
        f"{len(mypy_codes(Path(avoid.__file__)))} errors",
        "mypy --strict snippets/stack/runtime_imports/avoid.py",
    )
    assert mypy_codes(Path(do.__file__)) == {}
    # Called directly, the handler's body fails too: `ItemRead` was never imported at run time.
    with pytest.raises(NameError, match="name 'ItemRead' is not defined") as error:
        await avoid.create_item(ItemCreate.model_validate(PEN))
    evidence.add(error.value, "The Avoid's create_item, called directly")
