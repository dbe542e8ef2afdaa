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


def messages(
    record: list[warnings.WarningMessage], category: type[Warning]
) -> list[tuple[str, int]]:
    return [(str(w.message), w.lineno) for w in record if w.category is category]


def test_class_config_is_deprecated(v1: tuple[ModuleType, list[warnings.WarningMessage]]) -> None:
    module, record = v1

    deprecated = messages(record, PydanticDeprecatedSince20)

    message = "Support for class-based `config` is deprecated, use ConfigDict instead."
    assert (message + SINCE_20, line_in(module, "class UserRead(BaseModel)")) in deprecated


async def test_orm_mode_is_renamed_and_ignored(
    v1: tuple[ModuleType, list[warnings.WarningMessage]], users: UserFactory
) -> None:
    module, record = v1
    user = await users.create(email="ada@example.com")

    # Not a PydanticDeprecatedSince20: a UserWarning, raised from inside pydantic...
    renamed = [str(w.message) for w in record if w.category is UserWarning]
    message = "Valid config keys have changed in V2:\n"
    assert renamed == [message + "* 'orm_mode' has been renamed to 'from_attributes'"] * 2
    # ...and the old key is kept as is, not translated: the model cannot read attributes.
    assert module.UserRead.model_config == {"orm_mode": True}
    with pytest.raises(ValidationError) as error:
        module.UserRead.model_validate(user)
    assert error.value.errors()[0]["type"] == "model_type"
    assert error.value.errors()[0]["msg"] == (
        "Input should be a valid dictionary or instance of UserRead"
    )
    # `from_orm` is deprecated too, and refuses to run without from_attributes.
    with (
        pytest.warns(PydanticDeprecatedSince20, match="The `from_orm` method is deprecated"),
        pytest.raises(PydanticUserError, match="You must set the config attribute"),
    ):
        module.read_user(user)


def test_validator_decorators_are_deprecated(
    v1: tuple[ModuleType, list[warnings.WarningMessage]],
) -> None:
    module, record = v1

    deprecated = messages(record, PydanticDeprecatedSince20)

    for old, new in (("validator", "field_validator"), ("root_validator", "model_validator")):
        message = (
            f"Pydantic V1 style `@{old}` validators are deprecated. You should migrate to "
            f"Pydantic V2 style `@{new}` validators, see the migration guide for more details."
        )
        assert (message + SINCE_20, line_in(module, f"@{old}(")) in deprecated
    assert len(deprecated) == 3  # class Config, @validator, @root_validator: nothing else


def test_parse_obj_is_deprecated(v1: tuple[ModuleType, list[warnings.WarningMessage]]) -> None:
    module, _ = v1

    with pytest.warns(PydanticDeprecatedSince20) as record:
        sign_up = module.parse_sign_up(SIGN_UP)

    assert [str(w.message) for w in record] == [
        "The `parse_obj` method is deprecated; use `model_validate` instead." + SINCE_20
    ]
    assert record[0].lineno == line_in(module, "SignUp.parse_obj(")
    assert sign_up.email == "ada@example.com"  # it still works: the warning is the only signal
    with (
        pytest.warns(PydanticDeprecatedSince20),
        pytest.raises(ValidationError, match="passwords do not match"),
    ):
        module.parse_sign_up(SIGN_UP | {"password_repeat": "something else"})


def test_dict_is_deprecated(v1: tuple[ModuleType, list[warnings.WarningMessage]]) -> None:
    module, _ = v1
    with pytest.warns(PydanticDeprecatedSince20):
        sign_up = module.parse_sign_up(SIGN_UP)

    with pytest.warns(PydanticDeprecatedSince20) as record:
        data = module.sign_up_as_dict(sign_up)

    assert [str(w.message) for w in record] == [
        "The `dict` method is deprecated; use `model_dump` instead." + SINCE_20
    ]
    assert record[0].lineno == line_in(module, "sign_up.dict(")
    assert data == {"email": "ada@example.com"}


async def test_v2_api_does_the_same_without_a_warning(users: UserFactory) -> None:
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
