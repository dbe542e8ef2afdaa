"""Proofs for security/password-hashing: pwdlib's Argon2id salts every hash; unsalted SHA-256
gives equal passwords equal hashes that a precomputed table reverses."""

import base64
from collections.abc import Callable

import pytest
from pwdlib import PasswordHash
from pwdlib.exceptions import UnknownHashError
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.security import hash_password, password_hash, verify_password
from app.models import User
from snippets.security.password_hashing import avoid
from tests.evidence import Evidence

PASSWORD = "letmein2024"
# A precomputed table stands for the leaked-password lists attackers hash ahead of time.
COMMON_PASSWORDS = ["123456", "password", "qwerty123", "letmein2024", "iloveyou"]
# pwdlib's recommended() hasher: Argon2id, version 19, 64 MiB memory, 3 passes, 4 lanes.
ARGON2ID_PREFIX = "$argon2id$v=19$m=65536,t=3,p=4$"

# Hashes stored more than once, with the accounts that share each one.
SHARED_HASHES = (
    select(User.hashed_password, func.array_agg(aggregate_order_by(User.email, User.email)))
    .group_by(User.hashed_password)
    .having(func.count() > 1)
)


async def store_users(session: AsyncSession, hasher: Callable[[str], str]) -> None:
    session.add_all(
        [
            User(email="ada@example.com", hashed_password=hasher(PASSWORD)),
            User(email="bob@example.com", hashed_password=hasher(PASSWORD)),
            User(email="cyd@example.com", hashed_password=hasher("another-passphrase")),
        ]
    )
    await session.flush()


async def stored_hash(session: AsyncSession, email: str) -> str:
    return (await session.scalars(select(User.hashed_password).where(User.email == email))).one()


async def test_sha256_gives_equal_passwords_equal_hashes(
    db_session: AsyncSession, evidence: Evidence
) -> None:
    """Stores three users in PostgreSQL's `users` table with the Avoid's `hash_password`, two of
    them with the same password. A query grouping `users` by `hashed_password` with `HAVING
    count(*) > 1` returns that one digest with both e-mail addresses."""
    await store_users(db_session, avoid.hash_password)

    shared = (await db_session.execute(SHARED_HASHES)).tuples().all()

    # One look at the table shows who shares a password.
    assert shared == [(avoid.hash_password(PASSWORD), ["ada@example.com", "bob@example.com"])]
    evidence.add(
        "\n".join(f"{digest} | {', '.join(emails)}" for digest, emails in shared),
        "SELECT hashed_password, array_agg(email) FROM users GROUP BY hashed_password "
        "HAVING count(*) > 1",
    )


async def test_sha256_hash_is_reversed_by_a_lookup_table(
    db_session: AsyncSession, evidence: Evidence
) -> None:
    """Builds a table of SHA-256 digests of five common passwords, reads one user's stored hash
    back from PostgreSQL and finds the password in the table: recovered without computing a
    single hash after the theft."""
    await store_users(db_session, avoid.hash_password)
    lookup = {avoid.hash_password(candidate): candidate for candidate in COMMON_PASSWORDS}

    stolen = await stored_hash(db_session, "ada@example.com")

    assert avoid.verify_password(PASSWORD, stolen)
    assert lookup[stolen] == PASSWORD  # recovered without computing a single hash after the theft
    evidence.add(
        f"stored hash of ada@example.com: {stolen}\nfound in the table: {lookup[stolen]!r}",
        "Ada's stored hash, looked up in a table of 5 common passwords' digests",
    )


@pytest.mark.slow
@pytest.mark.argon2_cost
async def test_argon2id_salts_every_hash(db_session: AsyncSession) -> None:
    """Stores the same three users with the app's `hash_password`. The same grouping query
    returns no rows; the two hashes of the same password differ, both start with
    `$argon2id$v=19$m=65536,t=3,p=4$` (a 16-byte salt), both verify, a wrong password does not,
    and a table of Argon2id hashes of the same five passwords, built in advance, does not contain
    the stored hash."""
    await store_users(db_session, hash_password)
    lookup = {hash_password(candidate): candidate for candidate in COMMON_PASSWORDS}

    shared = (await db_session.execute(SHARED_HASHES)).tuples().all()
    ada = await stored_hash(db_session, "ada@example.com")
    bob = await stored_hash(db_session, "bob@example.com")

    assert shared == []  # same password, different hashes
    assert ada != bob
    assert ada.startswith(ARGON2ID_PREFIX)
    assert bob.startswith(ARGON2ID_PREFIX)
    # $argon2id$v=19$m=...,t=...,p=...$<salt>$<hash>, base64 without padding: a 16-byte salt.
    salt = ada.split("$")[4]
    assert len(base64.b64decode(salt + "==")) == 16
    assert verify_password(PASSWORD, ada)
    assert verify_password(PASSWORD, bob)
    assert not verify_password("letmein2025", ada)
    assert ada not in lookup  # a table built in advance never matches a salted hash


@pytest.mark.argon2_cost
def test_verify_and_update_rehashes_outdated_hashes() -> None:
    """Hashes a password with weaker Argon2id parameters (`m=8192,t=1,p=1`). The app's
    `password_hash.verify_and_update` accepts it and returns a new hash with the current
    `m=65536,t=3,p=4`; given that new hash, it returns `(True, None)`; given a wrong password,
    `(False, None)`."""
    # A hash made with weaker Argon2 parameters than today's recommended ones.
    outdated = PasswordHash((Argon2Hasher(time_cost=1, memory_cost=8192, parallelism=1),))
    old = outdated.hash(PASSWORD)
    assert old.startswith("$argon2id$v=19$m=8192,t=1,p=1$")

    valid, new = password_hash.verify_and_update(PASSWORD, old)

    assert valid
    assert new is not None
    assert new.startswith(ARGON2ID_PREFIX)
    assert verify_password(PASSWORD, new)
    # A current hash needs no update, and a wrong password gets neither a match nor a hash.
    assert password_hash.verify_and_update(PASSWORD, new) == (True, None)
    assert password_hash.verify_and_update("letmein2025", old) == (False, None)


def test_verify_takes_the_password_first() -> None:
    """`verify(password, hash)` is true; `verify(hash, password)` raises
    `pwdlib.exceptions.UnknownHashError`: `This hash can't be identified. Make sure it's valid
    and that its corresponding hasher is enabled.`"""
    hashed = hash_password(PASSWORD)

    assert password_hash.verify(PASSWORD, hashed)
    # Swapped, the password is taken for the hash and no hasher recognises it.
    with pytest.raises(UnknownHashError, match="This hash can't be identified"):
        password_hash.verify(hashed, PASSWORD)
