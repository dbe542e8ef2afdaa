"""Proofs for stack/native-generics: Python 3.14 baseline; builtin generics, `X | None` and type
parameters; ruff flags the `typing` aliases."""

import ast
import sys
import tomllib
from pathlib import Path

import pytest

from snippets.stack.native_generics import avoid, do
from tests.evidence import Evidence
from tests.lint import (
    PYPROJECT,
    line_of,
    mypy_codes,
    ruff_codes,
    ruff_codes_by_line,
    ruff_diagnostics,
    ruff_format_check,
    ruff_output,
)

DO = Path(do.__file__)
AVOID = Path(avoid.__file__)


def test_project_baseline_is_python_314() -> None:
    """`pyproject.toml` has `requires-python = ">=3.14"` and ruff's `target-version = "py314"`;
    the tests run on Python 3.14. The Do parses as Python 3.12 and not as 3.11:
    `ast.parse(..., feature_version=(3, 11))` raises `SyntaxError: Type statement is only
    supported in Python 3.12 and greater`."""
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    assert config["project"]["requires-python"] == ">=3.14"
    assert config["tool"]["ruff"]["target-version"] == "py314"
    assert sys.version_info[:2] >= (3, 14)
    # The Do uses syntax older interpreters cannot even parse (the `type` statement, PEP 695).
    source = DO.read_text(encoding="utf-8")
    ast.parse(source, feature_version=(3, 12))
    try:
        ast.parse(source, feature_version=(3, 11))
    except SyntaxError as error:
        assert error.msg == "Type statement is only supported in Python 3.12 and greater"
    else:
        raise AssertionError("the Do parsed as Python 3.11")


def test_ruff_flags_typing_aliases(evidence: Evidence) -> None:
    """Ruff with this project's configuration on the Avoid reports, line by line, exactly UP035
    on the `typing` import (three times), UP006 on the `Dict[str, List[str]]` annotations, UP047
    and UP045 on `first`, UP007 and UP045 on `parse_limit`, and nothing on any other line."""
    by_line = ruff_codes_by_line(AVOID)
    evidence.add(ruff_output(AVOID), "ruff check snippets/stack/native_generics/avoid.py")

    assert by_line == {
        # `from typing import Dict, Iterable, List, ...`: deprecated aliases and ABCs.
        line_of(AVOID, "from typing import"): {"UP035"},
        line_of(AVOID, "def group_by_initial("): {"UP006"},  # Dict[...], List[...]
        line_of(AVOID, "groups: Dict"): {"UP006"},
        line_of(AVOID, "def first("): {"UP047", "UP045"},  # TypeVar generic, Optional[T]
        line_of(AVOID, "def parse_limit("): {"UP007", "UP045"},  # Union[...], Optional[int]
    }
    # Dict, List and the two ABCs on the import line; Dict and List twice each in annotations.
    assert ruff_codes(AVOID) == {"UP035": 3, "UP006": 4, "UP045": 2, "UP007": 1, "UP047": 1}


@pytest.mark.slow
def test_native_generics_pass_ruff_and_mypy_strict() -> None:
    """`ruff check`, `ruff format --check` and `mypy --strict` (this project's configuration) on
    the Do: no findings."""
    assert ruff_diagnostics(DO) == []
    assert ruff_format_check(DO)
    assert mypy_codes(DO) == {}


@pytest.mark.slow
def test_typing_aliases_pass_mypy_and_run_the_same(evidence: Evidence) -> None:
    """Why only ruff can catch it: mypy reports nothing on a copy of the Avoid, and both modules
    return the same results (`{"A": ["ada", "alan"], "G": ["grace"]}`, `"ada"`, `None`, `10`)."""
    # Nothing fails at run time or in mypy: only ruff tells the two spellings apart. (The Avoid
    # in place: the suite's mypy run leaves out the override that silences it.)
    assert mypy_codes(AVOID) == {}
    evidence.add(
        f"{len(mypy_codes(AVOID))} errors", "mypy --strict snippets/stack/native_generics/avoid.py"
    )

    names = ["ada", "alan", "grace"]
    assert (
        do.group_by_initial(names)
        == avoid.group_by_initial(names)
        == {
            "A": ["ada", "alan"],
            "G": ["grace"],
        }
    )
    assert do.first(names) == avoid.first(names) == "ada"
    assert do.first([]) is None
    assert avoid.first([]) is None
    assert do.parse_limit("10") == avoid.parse_limit("10") == 10
    assert do.parse_limit(None) is None
    assert avoid.parse_limit(None) is None
    evidence.add(
        "\n".join(
            f"{call}: {value!r}"
            for call, value in (
                ('group_by_initial(["ada", "alan", "grace"])', avoid.group_by_initial(names)),
                ('first(["ada", "alan", "grace"])', avoid.first(names)),
                ("first([])", avoid.first([])),
                ('parse_limit("10")', avoid.parse_limit("10")),
                ("parse_limit(None)", avoid.parse_limit(None)),
            )
        ),
        "The Avoid's functions at run time, the same as the Do's",
    )
