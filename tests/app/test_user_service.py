"""The users service called directly, as a job or a script would: no HTTP involved."""

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import User
from app.schemas.user import UserCreate, UserUpdate
from app.services import users as user_service
from app.services.exceptions import EmailAlreadyRegistered, UserNotFound
from tests.app.factories import PASSWORD, UserFactory


async def test_taken_email_leaves_the_session_usable(
    db_session: AsyncSession, users: UserFactory
) -> None:
    ada = await users.create(email="ada@example.com")
    bob = await users.create(email="bob@example.com")

    with pytest.raises(EmailAlreadyRegistered, match=r"'ada@example\.com' already exists"):
        await user_service.create_user(
            db_session, UserCreate(email="ada@example.com", password=PASSWORD)
        )
    with pytest.raises(EmailAlreadyRegistered):
        await user_service.update_user(
            db_session, bob, UserUpdate(email="ada@example.com", current_password=PASSWORD)
        )

    # Only the SAVEPOINT was rolled back: the session runs the next statement.
    count = await db_session.execute(select(func.count()).select_from(User))
    assert count.scalar_one() == 2
    assert (await user_service.get_user(db_session, ada.id)).email == "ada@example.com"


async def test_other_integrity_errors_are_not_taken_for_a_duplicate_email(
    db_session: AsyncSession,
) -> None:
    # model_construct skips validation: a NULL email breaks NOT NULL, not the unique index.
    data = UserCreate.model_construct(email=None, password=PASSWORD)  # type: ignore[arg-type]

    with pytest.raises(IntegrityError, match="NotNullViolationError"):
        await user_service.create_user(db_session, data)


async def test_deleting_an_unknown_user_raises_user_not_found(db_session: AsyncSession) -> None:
    with pytest.raises(UserNotFound) as error:
        await user_service.delete_user(db_session, 424242)

    assert error.value.user_id == 424242
