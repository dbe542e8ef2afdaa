"""Proofs for routers/domain-exception-handlers: services raise domain exceptions and import
nothing from FastAPI; handlers registered once on the app turn each into its status code with a
fixed message, on every route; translated per endpoint, one forgotten route answers 500."""

import ast
import re
from pathlib import Path

import httpx
import pytest
from fastapi import status
from sqlalchemy.ext.asyncio import AsyncSession

import app.services
from app.api.routers import users as users_router
from app.main import create_app
from app.models import User
from app.services import users as user_service
from app.services.exceptions import (
    EmailAlreadyRegistered,
    IncorrectPassword,
    InvalidCredentials,
    UserNotFound,
)
from snippets.routers.domain_exception_handlers import avoid
from tests.app.fixtures import Serve
from tests.evidence import Evidence, describe_response

NOT_FOUND = {"detail": "User not found"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    names |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    return names


def test_services_know_nothing_about_http() -> None:
    """Parses every module of `app/services/` (`__init__.py`, `exceptions.py`, `passwords.py`,
    `users.py`): none imports `fastapi`, `starlette` or `httpx`."""
    services = Path(app.services.__file__).parent
    modules = sorted(services.glob("*.py"))

    assert [m.name for m in modules] == ["__init__.py", "exceptions.py", "passwords.py", "users.py"]
    for module in modules:
        for name in imported_modules(module):
            assert not name.startswith(("fastapi", "starlette", "httpx")), (module, name)


async def test_service_raises_a_domain_exception(db_session: AsyncSession) -> None:
    """Calls `get_user` with an unknown id, with no app involved: `UserNotFound`, "no user with
    id 999999", whose `user_id` is `999999`."""
    with pytest.raises(UserNotFound, match="no user with id 999999") as error:
        await user_service.get_user(db_session, 999_999)

    assert error.value.user_id == 999_999


async def test_app_wide_handler_answers_404_on_every_route(
    client: httpx.AsyncClient, admin: User, admin_headers: dict[str, str]
) -> None:
    """As an admin, `GET` and `DELETE /users/{unknown id}` are both `404` with
    `{"detail": "User not found"}`, and the id appears nowhere in the response."""
    missing = admin.id + 1000

    read = await client.get(f"/users/{missing}", headers=admin_headers)
    delete = await client.delete(f"/users/{missing}", headers=admin_headers)

    for response in (read, delete):
        assert response.status_code == status.HTTP_404_NOT_FOUND
        assert response.json() == NOT_FOUND  # fixed text: not the exception's message
        assert str(missing) not in response.text


def test_handlers_are_on_the_app_not_in_the_endpoints() -> None:
    """`create_app().exception_handlers` holds `UserNotFound`, `EmailAlreadyRegistered`,
    `InvalidCredentials` and `IncorrectPassword`, and the users router's source has no `try`
    statement."""
    handlers = create_app().exception_handlers
    router_source = Path(users_router.__file__).read_text(encoding="utf-8")

    domain = {UserNotFound, EmailAlreadyRegistered, InvalidCredentials, IncorrectPassword}
    assert domain <= handlers.keys()
    # No endpoint catches anything: every translation happens in the app's handlers.
    assert not [node for node in ast.walk(ast.parse(router_source)) if isinstance(node, ast.Try)]


async def test_a_route_that_forgets_to_translate_answers_500(
    serve: Serve, user: User, evidence: Evidence
) -> None:
    """Serves the Avoid: `GET /users/{unknown id}`, which translates, is `404` with
    `{"detail": "no user with id <id>"}`, the exception's own message; `DELETE` on the same id,
    which does not, is `500 Internal Server Error`, the `UserNotFound` escaping the app."""
    missing = user.id + 1000

    def shown(seen: httpx.Response | BaseException) -> str:
        """What was seen, with the unknown id (and the length it gives a body) masked."""
        text = describe_response(seen) if isinstance(seen, httpx.Response) else str(seen)
        masked = text.replace(str(missing), "<id>")
        if isinstance(seen, BaseException):
            return f"{type(seen).__module__}.{type(seen).__qualname__}: {masked}"
        if masked == text:
            return text
        return re.sub(r"content-length: \d+", "content-length: <length>", masked)

    async with serve(avoid.router, raise_app_exceptions=False) as client:
        read = await client.get(f"/users/{missing}")
        delete = await client.delete(f"/users/{missing}")
    async with serve(avoid.router) as client:
        with pytest.raises(UserNotFound) as escaped:
            await client.delete(f"/users/{missing}")

    # The route that remembered: a 404, but with the exception's own message passed through.
    assert read.status_code == status.HTTP_404_NOT_FOUND
    assert read.json() == {"detail": f"no user with id {missing}"}
    # The route that forgot: the same missing user is a server error.
    assert delete.status_code == status.HTTP_500_INTERNAL_SERVER_ERROR
    assert delete.text == "Internal Server Error"
    evidence.add(shown(read), "GET /users/{unknown id}, which translates")
    evidence.add(shown(delete), "DELETE /users/{unknown id}, which forgot")
    evidence.add(shown(escaped.value), "The exception behind the 500, escaping the app")
