"""`password_cost` (tests/conftest.py): the app hashes at Argon2id's lowest cost in most tests and
at its own parameters in tests marked `argon2_cost`; the hashes cached for the run (the login's
stand-in, the factories' users) follow.

The tests run in file order, so each kind of test also runs right after the other kind and
proves it did not inherit its parameters.
"""

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.security import hash_password
from app.services.users import _stand_in_hash
from tests.app.factories import UserFactory
from tests.conftest import QUICK_ARGON2

APP_PARAMETERS = "$argon2id$v=19$m=65536,t=3,p=4$"  # pwdlib's recommended, today
QUICK_PARAMETERS = "$argon2id$v=19$m=1024,t=1,p=1$"


def hashes(db_session: AsyncSession) -> list[str]:
    user = UserFactory(db_session).build()
    return [hash_password("x"), _stand_in_hash(), user.hashed_password]


def test_quick_hasher_is_argon2id_at_its_lowest_cost(db_session: AsyncSession) -> None:
    assert QUICK_ARGON2.hash("x").startswith(QUICK_PARAMETERS)
    assert all(h.startswith(QUICK_PARAMETERS) for h in hashes(db_session))


@pytest.mark.argon2_cost
def test_marked_test_hashes_at_the_apps_parameters(db_session: AsyncSession) -> None:
    assert all(h.startswith(APP_PARAMETERS) for h in hashes(db_session))


def test_next_unmarked_test_hashes_quickly_again(db_session: AsyncSession) -> None:
    assert all(h.startswith(QUICK_PARAMETERS) for h in hashes(db_session))
