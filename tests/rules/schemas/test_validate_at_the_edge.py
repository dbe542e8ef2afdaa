"""Proofs for schemas/validate-at-the-edge: constrained types turn each bad value into a 422
naming the field; bare `str` and `int` let the same values through."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import status

from snippets.schemas.validate_at_the_edge import avoid, do
from tests.app.fixtures import Serve
from tests.evidence import Evidence, masked

VALID = {
    "email": "new.hire@example.com",
    "full_name": "Ada Lovelace",
    "redirect_url": "https://app.example.com/welcome",
    "valid_days": 7,
}


@pytest.mark.parametrize(
    ("field", "value", "error_type", "message"),
    [
        (
            "email",
            "not-an-email",
            "value_error",
            "value is not a valid email address: An email address must have an @-sign.",
        ),
        ("full_name", "   ", "string_too_short", "String should have at least 1 character"),
        ("full_name", "x" * 201, "string_too_long", "String should have at most 200 characters"),
        (
            "redirect_url",
            "javascript:alert(document.cookie)",
            "url_scheme",
            "URL scheme should be 'http' or 'https'",
        ),
        (
            "redirect_url",
            "welcome",
            "url_parsing",
            "Input should be a valid URL, relative URL without a base",
        ),
        ("valid_days", 0, "greater_than", "Input should be greater than 0"),
        ("valid_days", -3, "greater_than", "Input should be greater than 0"),
        ("valid_days", 31, "less_than_equal", "Input should be less than or equal to 30"),
    ],
)
async def test_each_constraint_is_a_422_at_its_field(
    serve: Serve, field: str, value: Any, error_type: str, message: str
) -> None:
    """A valid invitation with one field replaced, posted to the Do: `422` with exactly one
    error, at `["body", <field>]`, of the type and message in the table above."""
    async with serve(do.router) as client:
        response = await client.post("/invites", json=VALID | {field: value})

    assert response.status_code == status.HTTP_422_UNPROCESSABLE_CONTENT
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", field]
    assert error["type"] == error_type
    assert error["msg"] == message


async def test_valid_invite_is_normalised(serve: Serve) -> None:
    """`"  Ada Lovelace  "` and `https://Example.COM` posted to the Do: `201`, with
    `Ada Lovelace` and `https://example.com/`, and an `expires_at` between six and seven days
    ahead."""
    async with serve(do.router) as client:
        response = await client.post(
            "/invites",
            json=VALID | {"full_name": "  Ada Lovelace  ", "redirect_url": "https://Example.COM"},
        )

    assert response.status_code == status.HTTP_201_CREATED
    body = response.json()
    assert body["full_name"] == "Ada Lovelace"  # whitespace stripped before the length check
    assert body["redirect_url"] == "https://example.com/"  # host lower-cased, path added
    expires_at = datetime.fromisoformat(body["expires_at"])
    assert timedelta(days=6) < expires_at - datetime.now(UTC) <= timedelta(days=7)


async def test_bare_types_let_every_bad_value_in(serve: Serve, evidence: Evidence) -> None:
    """All the bad values at once, posted to the Avoid: `201`, and the body echoes
    `not-an-email`, `"   "`, `javascript:alert(document.cookie)` and an `expires_at` more than
    two days in the past. A 100,000-character name is accepted too."""
    bad = {
        "email": "not-an-email",
        "full_name": "   ",
        "redirect_url": "javascript:alert(document.cookie)",
        "valid_days": -3,
    }
    async with serve(avoid.router) as client:
        response = await client.post("/invites", json=bad)
        huge = await client.post("/invites", json=VALID | {"full_name": "x" * 100_000})

    assert response.status_code == status.HTTP_201_CREATED
    body = response.json()
    assert body["email"] == "not-an-email"
    assert body["full_name"] == "   "
    # A script URL, ready to be put behind the link in the invitation email.
    assert body["redirect_url"] == "javascript:alert(document.cookie)"
    # An invitation that expired three days before it was sent.
    assert datetime.fromisoformat(body["expires_at"]) < datetime.now(UTC) - timedelta(days=2)
    assert huge.status_code == status.HTTP_201_CREATED
    assert len(huge.json()["full_name"]) == 100_000
    evidence.add(
        masked(response, expires_at="<three days before the request>"),
        "POST /invites with every bad value, served by the Avoid",
    )
    evidence.add(
        f"HTTP/1.1 {huge.status_code} {huge.reason_phrase}, "
        f"full_name of {len(huge.json()['full_name']):,} characters",
        "POST /invites with a 100,000-character full_name, served by the Avoid",
    )
