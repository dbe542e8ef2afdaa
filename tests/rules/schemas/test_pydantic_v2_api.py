"""Proofs for schemas/pydantic-v2-api: each Pydantic v1 spelling warns (or fails) on Pydantic 2;
the v2 API does the same work without a warning."""

import importlib
import sys
import warnings
from pathlib import Path
from types import ModuleType

import pytest
from pydantic import PydanticDeprecatedSince20, PydanticUserError, ValidationError

from snippets.schemas.pydantic_v2_api import do
from tests.app.factories import UserFactory
from tests.evidence import Evidence
from tests.lint import line_of

AVOID = "snippets.schemas.pydantic_v2_api.avoid"
SIGN_UP = {
    "email": "Ada@Example.com",
    "password": "s3cret-s3cret",
    "password_repeat": "s3cret-s3cret",
}
# Pydantic appends this to every PydanticDeprecatedSince20 message.
SINCE_20 = (
    " Deprecated in Pydantic V2.0 to be removed in V3.0. See Pydantic V2 Migration Guide at "
    "https://errors.pydantic.dev/2.13/migration/"
)


@pytest.fixture
def v1() -> tuple[ModuleType, list[warnings.WarningMessage]]:
    """The Avoid module imported afresh, with every warning its class definitions raise."""
    sys.modules.pop(AVOID, None)
    with pytest.warns((PydanticDeprecatedSince20, UserWarning)) as record:
        module = importlib.import_module(AVOID)
    assert {w.category for w in record} == {PydanticDeprecatedSince20, UserWarning}
    return module, list(record)


def line_in(module: ModuleType, text: str) -> int:
    """The line number of the only line of `module` containing `text`."""
    assert module.__file__ is not None
    return line_of(Path(module.__file__), text)


def shown(record: list[warnings.WarningMessage], category: type[Warning]) -> str:
    """Each warning of `category` as Python prints it: `file:line: Category: message`."""
    return "\n".join(
        f"{w.filename}:{w.lineno}: {category.__name__}: {w.message}"
        for w in record
        if w.category is category
    )


def messages(
    record: list[warnings.WarningMessage], category: type[Warning]
) -> list[tuple[str, int]]:
    return [(str(w.message), w.lineno) for w in record if w.category is category]


def test_class_config_is_deprecated(
    v1: tuple[ModuleType, list[warnings.WarningMessage]], evidence: Evidence
) -> None:
    """Importing the Avoid warns at the `class UserRead(BaseModel)` line: "Support for
    class-based `config` is deprecated, use ConfigDict instead." and
    the removal notice every `PydanticDeprecatedSince20` message ends with."""
    module, record = v1

    deprecated = messages(record, PydanticDeprecatedSince20)

    message = "Support for class-based `config` is deprecated, use ConfigDict instead."
    assert (message + SINCE_20, line_in(module, "class UserRead(BaseModel)")) in deprecated
    evidence.add(
        "\n".join(
            line
            for line in shown(record, PydanticDeprecatedSince20).splitlines()
            if "class-based `config`" in line
        ),
        "import snippets.schemas.pydantic_v2_api.avoid: class Config",
    )


async def test_orm_mode_is_renamed_and_ignored(
    v1: tuple[ModuleType, list[warnings.WarningMessage]], users: UserFactory, evidence: Evidence
) -> None:
    """`orm_mode` raises no `PydanticDeprecatedSince20` but a `UserWarning`, twice, from inside
    Pydantic, and is kept as written: `UserRead.model_config` is `{'orm_mode': True}`, a user
    loaded from PostgreSQL is rejected with `model_type`, and the Avoid's `read_user`
    (`UserRead.from_orm(user)`) warns that `from_orm` is deprecated and then raises
    `PydanticUserError`.

    The issue this rule comes from lists `orm_mode` among the spellings that raise
    `PydanticDeprecatedSince20`; it does not: it raises a `UserWarning` and is ignored."""
    module, record = v1
    user = await users.create(email="ada@example.com")

    # Not a PydanticDeprecatedSince20: a UserWarning, raised from inside pydantic...
    renamed = [str(w.message) for w in record if w.category is UserWarning]
    message = "Valid config keys have changed in V2:\n"
    assert renamed == [message + "* 'orm_mode' has been renamed to 'from_attributes'"] * 2
    evidence.add(
        shown(record, UserWarning), "import snippets.schemas.pydantic_v2_api.avoid: orm_mode"
    )
    evidence.add(f"UserRead.model_config == {module.UserRead.model_config!r}", "The key, as kept")
    # ...and the old key is kept as is, not translated: the model cannot read attributes.
    assert module.UserRead.model_config == {"orm_mode": True}
    with pytest.raises(ValidationError) as error:
        module.UserRead.model_validate(user)
    evidence.add(error.value, "UserRead.model_validate(user), user loaded from PostgreSQL")
    assert error.value.errors()[0]["type"] == "model_type"
    assert error.value.errors()[0]["msg"] == (
        "Input should be a valid dictionary or instance of UserRead"
    )
    # `from_orm` is deprecated too, and refuses to run without from_attributes.
    with (
        pytest.warns(
            PydanticDeprecatedSince20, match="The `from_orm` method is deprecated"
        ) as from_orm,
        pytest.raises(PydanticUserError, match="You must set the config attribute") as refused,
    ):
        module.read_user(user)
    evidence.add(
        shown(list(from_orm), PydanticDeprecatedSince20), "read_user(user): UserRead.from_orm(user)"
    )
    evidence.add(refused.value, "and then")


def test_validator_decorators_are_deprecated(
    v1: tuple[ModuleType, list[warnings.WarningMessage]], evidence: Evidence
) -> None:
    """Importing the Avoid warns at the `@validator(` line that "Pydantic V1 style `@validator`
    validators are deprecated", and at `@root_validator(` the same for `@root_validator` and
    `@model_validator`. Those two and `class Config` are the only three
    `PydanticDeprecatedSince20` warnings raised at import."""
    module, record = v1

    deprecated = messages(record, PydanticDeprecatedSince20)

    for old, new in (("validator", "field_validator"), ("root_validator", "model_validator")):
        message = (
            f"Pydantic V1 style `@{old}` validators are deprecated. You should migrate to "
            f"Pydantic V2 style `@{new}` validators, see the migration guide for more details."
        )
        assert (message + SINCE_20, line_in(module, f"@{old}(")) in deprecated
    assert len(deprecated) == 3  # class Config, @validator, @root_validator: nothing else
    evidence.add(
        shown(record, PydanticDeprecatedSince20),
        "import snippets.schemas.pydantic_v2_api.avoid: every PydanticDeprecatedSince20",
    )


def test_parse_obj_is_deprecated(
    v1: tuple[ModuleType, list[warnings.WarningMessage]], evidence: Evidence
) -> None:
    """Calling `parse_sign_up` raises exactly one warning, at the `SignUp.parse_obj(` line. The
    call still works (the email comes back lower-cased, and mismatched passwords still fail):
    the warning is the only signal."""
    module, _ = v1

    with pytest.warns(PydanticDeprecatedSince20) as record:
        sign_up = module.parse_sign_up(SIGN_UP)

    assert [str(w.message) for w in record] == [
        "The `parse_obj` method is deprecated; use `model_validate` instead." + SINCE_20
    ]
    assert record[0].lineno == line_in(module, "SignUp.parse_obj(")
    evidence.add(shown(list(record), PydanticDeprecatedSince20), "parse_sign_up(payload)")
    assert sign_up.email == "ada@example.com"  # it still works: the warning is the only signal
    with (
        pytest.warns(PydanticDeprecatedSince20),
        pytest.raises(ValidationError, match="passwords do not match"),
    ):
        module.parse_sign_up(SIGN_UP | {"password_repeat": "something else"})


def test_dict_is_deprecated(
    v1: tuple[ModuleType, list[warnings.WarningMessage]], evidence: Evidence
) -> None:
    """`sign_up_as_dict` raises exactly one warning, at `sign_up.dict(`: "The `dict` method is
    deprecated; use `model_dump` instead."
    The call still returns the dict without the passwords."""
    module, _ = v1
    with pytest.warns(PydanticDeprecatedSince20):
        sign_up = module.parse_sign_up(SIGN_UP)

    with pytest.warns(PydanticDeprecatedSince20) as record:
        data = module.sign_up_as_dict(sign_up)

    assert [str(w.message) for w in record] == [
        "The `dict` method is deprecated; use `model_dump` instead." + SINCE_20
    ]
    assert record[0].lineno == line_in(module, "sign_up.dict(")
    evidence.add(shown(list(record), PydanticDeprecatedSince20), "sign_up_as_dict(sign_up)")
    assert data == {"email": "ada@example.com"}


async def test_v2_api_does_the_same_without_a_warning(users: UserFactory) -> None:
    """The Do module, reloaded, runs all three helpers under `warnings.simplefilter("error")`,
    so any warning of any category would fail it: the sign-up is parsed, its email lower-cased,
    dumped without the passwords, rejected with "passwords do not match" when they differ, and
    a user loaded from PostgreSQL is read into `UserRead`."""
    user = await users.create(email="ada@example.com")

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning, of any category, fails the test
        module = importlib.reload(do)
        sign_up = module.parse_sign_up(SIGN_UP)
        data = module.sign_up_as_dict(sign_up)
        read = module.read_user(user)
        with pytest.raises(ValidationError, match="passwords do not match"):
            module.parse_sign_up(SIGN_UP | {"password_repeat": "something else"})

    assert data == {"email": "ada@example.com"}
    assert read.model_dump() == {"id": user.id, "email": "ada@example.com"}
