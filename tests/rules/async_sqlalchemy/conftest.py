"""Fixtures for this section's proofs: an embedded PostgreSQL of the test's own, and the app's
session factory bound to it (defined in tests/outage.py)."""

from tests.outage import app_on_own_server, own_server

__all__ = ["app_on_own_server", "own_server"]
