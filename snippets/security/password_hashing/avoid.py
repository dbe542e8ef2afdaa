"""Passwords stored as plain SHA-256 digests: no salt, and fast to guess."""

import hashlib


def hash_password(password: str) -> str:
    return hashlib.sha256(password.encode()).hexdigest()  # expect: RB906


def verify_password(password: str, hashed: str) -> bool:
    return hash_password(password) == hashed
