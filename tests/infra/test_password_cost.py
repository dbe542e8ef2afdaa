"""`password_cost` (tests/conftest.py): the app hashes at Argon2id's lowest cost in most tests and
at its own parameters in tests marked `argon2_cost`; the login's cached stand-in hash follows.

The tests run in file order, so each kind of test also runs right after the other kind and
proves it did not inherit its parameters.
"""

import pytest

from app.core.security import hash_password
from app.services.users import _stand_in_hash
from tests.conftest import QUICK_ARGON2

APP_PARAMETERS = "$argon2id$v=19$m=65536,t=3,p=4$"  # pwdlib's recommended, today
QUICK_PARAMETERS = "$argon2id$v=19$m=1024,t=1,p=1$"


def test_quick_hasher_is_argon2id_at_its_lowest_cost() -> None:
    assert QUICK_ARGON2.hash("x").startswith(QUICK_PARAMETERS)
    assert hash_password("x").startswith(QUICK_PARAMETERS)
    assert _stand_in_hash().startswith(QUICK_PARAMETERS)


@pytest.mark.argon2_cost
def test_marked_test_hashes_at_the_apps_parameters() -> None:
    assert hash_password("x").startswith(APP_PARAMETERS)
    assert _stand_in_hash().startswith(APP_PARAMETERS)


def test_next_unmarked_test_hashes_quickly_again() -> None:
    assert hash_password("x").startswith(QUICK_PARAMETERS)
    assert _stand_in_hash().startswith(QUICK_PARAMETERS)
