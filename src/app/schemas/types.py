"""Field types every request model shares: text PostgreSQL can store, integers that fit the
column, and the one e-mail normalisation that sign-up and login both apply."""

from typing import Annotated

from email_validator import validate_email
from pydantic import AfterValidator, WithJsonSchema

# --8<-- [start:text]
# --8<-- [start:int4]
# PostgreSQL's `integer`, the type of `users.id`: a larger value is not an id, it is an error.
INT4_MAX = 2**31 - 1
# --8<-- [end:int4]


def storable_text(value: str) -> str:
    """Refuse, as a 422 naming the field, the one character valid in JSON and in a Python `str`
    that PostgreSQL text cannot hold: NUL. Let through, the driver fails on it with a 500.
    (Lone surrogates, the other unstorable text, Pydantic's `str` already refuses.)"""
    if "\x00" in value:
        raise ValueError("must not contain the NUL character")
    return value


Text = Annotated[str, AfterValidator(storable_text)]
# --8<-- [end:text]


# --8<-- [start:email]
def normalize_email(value: str) -> str:
    """The one form an address is stored and looked up in: Unicode NFC, domain in Unicode (not
    Punycode), all lower case, so `Ada@Example.com` and `ada@example.com` are one account.
    `test_environment` accepts the reserved `.test` domain, which `format: email` allows."""
    storable_text(value)
    email = validate_email(value, check_deliverability=False, test_environment=True)
    return email.normalized.lower()


Email = Annotated[
    str,
    AfterValidator(normalize_email),
    WithJsonSchema({"type": "string", "format": "email"}),
]
# --8<-- [end:email]
