"""Tests that prove the test database infrastructure (tests/conftest.py, tests/database.py)."""
