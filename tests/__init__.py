"""Tests of the reference app, the rules and the test infrastructure."""
