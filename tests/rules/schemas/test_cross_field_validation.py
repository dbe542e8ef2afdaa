"""Proofs for schemas/cross-field-validation: a model validator in "after" mode that returns
self sees every field, valid; a field validator reading `info.data` skips or crashes, and an
after-validator that returns nothing hands the endpoint `None`."""

import warnings
from typing import Any

import httpx
import pytest
from fastapi import status

from app.schemas.user import UserUpdate
from snippets.schemas.cross_field_validation import avoid
from tests.app.factories import PASSWORD
from tests.app.fixtures import Serve
from tests.evidence import Evidence

NEW_PASSWORD = "a brand new passphrase"
TOGETHER = "Value error, current_password is needed to change password or email, and only then"


@pytest.mark.parametrize(
    "body",
    [{"password": NEW_PASSWORD}, {"current_password": PASSWORD}],
    ids=["password-alone", "current-password-alone"],
)
async def test_model_validator_rejects_one_without_the_other(
    client: httpx.AsyncClient, user_headers: dict[str, str], body: dict[str, Any]
) -> None:
    """`{"password": ...}` alone, and `{"current_password": ...}` alone, are each `422` with
    one error: `loc` `["body"]`, type `value_error`, message "Value error, current_password is
    needed to change password or email, and only then"."""
    response = await client.patch("/users/me", json=body, headers=user_headers)

    assert response.status_code == status.HTTP_422_UNPROCESSABLE_CONTENT
    (error,) = response.json()["detail"]
    assert (error["loc"], error["type"], error["msg"]) == (["body"], "value_error", TOGETHER)


async def test_model_validator_runs_only_on_valid_fields(
    client: httpx.AsyncClient, user_headers: dict[str, str]
) -> None:
    """A 5-character password with the current password is `422` with one error only,
    `["body", "password"]`, `string_too_short`; the model validator did not run."""
    response = await client.patch(
        "/users/me", json={"password": "short", "current_password": PASSWORD}, headers=user_headers
    )

    assert response.status_code == status.HTTP_422_UNPROCESSABLE_CONTENT
    assert [(e["loc"], e["type"]) for e in response.json()["detail"]] == [
        (["body", "password"], "string_too_short")
    ]


async def test_model_validator_lets_a_complete_change_through(
    client: httpx.AsyncClient, user_headers: dict[str, str]
) -> None:
    """Both fields, valid: `200`. Under `warnings.simplefilter("error")`,
    `UserUpdate.model_validate({...})` returns a `UserUpdate` equal to the one the constructor
    builds."""
    response = await client.patch(
        "/users/me",
        json={"password": NEW_PASSWORD, "current_password": PASSWORD},
        headers=user_headers,
    )

    assert response.status_code == status.HTTP_200_OK
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        update = UserUpdate.model_validate({"full_name": "Ada"})
        init = UserUpdate(full_name="Ada")
    assert isinstance(update, UserUpdate)  # the validator returned self: a model, not None
    assert update == init


async def test_field_validator_is_skipped_when_its_field_is_omitted(
    serve: Serve, evidence: Evidence
) -> None:
    """With `"current_password": null` the check runs (`422`); with both fields, `200`; with
    `current_password` left out, `200` and `{"password_changed": true}`: a password change
    without the current password."""
    async with serve(avoid.router) as client:
        sent_null = await client.post(
            "/users/me/password", json={"password": NEW_PASSWORD, "current_password": None}
        )
        omitted = await client.post("/users/me/password", json={"password": NEW_PASSWORD})
        both = await client.post(
            "/users/me/password", json={"password": NEW_PASSWORD, "current_password": PASSWORD}
        )

    # The check works when current_password is sent, even as null...
    assert sent_null.status_code == status.HTTP_422_UNPROCESSABLE_CONTENT
    assert both.status_code == status.HTTP_200_OK
    # ...and never runs when it is left out: a password change without the current password.
    assert omitted.status_code == status.HTTP_200_OK
    assert omitted.json() == {"password_changed": True}
    evidence.add(omitted, "current_password left out, served by the Avoid")


async def test_field_validator_crashes_when_the_other_field_failed(
    serve: Serve, evidence: Evidence
) -> None:
    """A too-short password with a current password is `500 Internal Server Error`; validating
    the same data directly raises `KeyError: 'password'`."""
    body = {"password": "short", "current_password": PASSWORD}
    async with serve(avoid.router, raise_app_exceptions=False) as client:
        response = await client.post("/users/me/password", json=body)
    assert response.status_code == status.HTTP_500_INTERNAL_SERVER_ERROR
    evidence.add(response, "A too-short password, served by the Avoid")

    # `password` failed, so it is missing from info.data: a KeyError, not a validation error.
    with pytest.raises(KeyError, match="'password'") as error:
        avoid.PasswordChange.model_validate(body)
    evidence.add(error.value, "PasswordChange.model_validate(body)")


async def test_after_validator_without_return_hands_the_endpoint_none(
    serve: Serve, evidence: Evidence
) -> None:
    """A valid name change is `500`; the exception behind it is `AttributeError: 'NoneType'
    object has no attribute 'clear_full_name'`, because `NameChange.model_validate({"full_name":
    "Ada"})` is `None`. The check itself works (both fields at once: `422`), and
    `NameChange(full_name="Ada")` keeps the model but raises a `UserWarning`."""
    async with serve(avoid.router, raise_app_exceptions=False) as client:
        valid = await client.post("/users/me/name", json={"full_name": "Ada"})
        invalid = await client.post(
            "/users/me/name", json={"full_name": "Ada", "clear_full_name": True}
        )
    async with serve(avoid.router) as client:
        no_body = "'NoneType' object has no attribute 'clear_full_name'"
        with pytest.raises(AttributeError, match=no_body) as error:
            await client.post("/users/me/name", json={"full_name": "Ada"})
    evidence.add(valid, "A valid name change, served by the Avoid")
    evidence.add(error.value, "The exception behind the 500")

    assert valid.status_code == status.HTTP_500_INTERNAL_SERVER_ERROR  # the valid request fails
    assert invalid.status_code == status.HTTP_422_UNPROCESSABLE_CONTENT  # the check itself works
    assert avoid.NameChange.model_validate({"full_name": "Ada"}) is None
    with pytest.warns(
        UserWarning, match="A custom validator is returning a value other than"
    ) as record:
        assert avoid.NameChange(full_name="Ada").full_name == "Ada"  # __init__ keeps the model
    evidence.add(
        "\n".join(f"UserWarning: {w.message}" for w in record), 'NameChange(full_name="Ada")'
    )
