"""The mypy batch starts before the first test when a selected test's module reads it
(`start_mypy_batch` in tests/lint.py), and not otherwise."""

from types import ModuleType, SimpleNamespace

import pytest

from tests.lint import reads_mypy_batch, start_mypy_batch
from tests.rules.async_sqlalchemy import test_query_style, test_typed_columns
from tests.rules.conventions import test_naming
from tests.site import test_links


@pytest.mark.parametrize("module", [test_naming, test_query_style, test_typed_columns])
def test_a_module_that_asks_mypy_reads_the_batch(module: ModuleType) -> None:
    """test_naming holds `mypy_codes`; the others `mypy_findings`, which calls `mypy_errors`."""
    assert reads_mypy_batch(module)


def test_no_batch_starts_when_no_selected_test_reads_it() -> None:
    assert not reads_mypy_batch(test_links)
    assert start_mypy_batch([SimpleNamespace(module=test_links)]) is None  # a test of test_links
