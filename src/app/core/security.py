"""Password hashing (pwdlib, Argon2). JWT helpers join it as the auth rules land."""

from pwdlib import PasswordHash

# --8<-- [start:password-hash]
password_hash = PasswordHash.recommended()  # Argon2id with pwdlib's current parameters


def hash_password(password: str) -> str:
    return password_hash.hash(password)


def verify_password(password: str, hashed: str) -> bool:
    return password_hash.verify(password, hashed)


# --8<-- [end:password-hash]
