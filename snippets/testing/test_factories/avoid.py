"""Test data as one shared dict: every test gets the same object and the same values.

Typically in a conftest.py, or copied into each test module that needs a user.
"""

import pytest

USER = {
    "email": "ada@example.com",
    "full_name": "Ada Lovelace",
    "hashed_password": "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA",
    "is_admin": False,
}


@pytest.fixture
def user_data() -> dict[str, object]:
    return USER
