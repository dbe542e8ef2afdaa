"""Proofs for conventions/bounded-contexts: the Do's contexts import cleanly in either order and
depend one way (orders on customers' services and schemas); the Avoid's two contexts import each
other's names at import time, and importing either fails with a circular-import ImportError."""

import ast
import sys
from importlib import import_module
from pathlib import Path

import pytest

from tests.evidence import Evidence
from tests.lint import ROOT

SNIPPETS = "snippets.conventions.bounded_contexts"
DO, AVOID = f"{SNIPPETS}.do", f"{SNIPPETS}.avoid"
CONTEXTS = ("customers", "orders")
FOLDER = ROOT / "snippets/conventions/bounded_contexts"
LAYERS = {"__init__.py", "schemas.py", "services.py"}
CIRCULAR = (
    r"^cannot import name '(\w+)' from partially initialized module '([\w.]+)' "
    r"\(most likely due to a circular import\)"
)


def forget(package: str) -> None:
    """Drop a package's modules from sys.modules, so the next import runs them again."""
    for name in [name for name in sys.modules if name.startswith(package)]:
        del sys.modules[name]


def imported_contexts(file: Path, package: str) -> set[str]:
    """The contexts of `package` that a module imports from (`customers`, `orders`)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
        names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        found |= {n.removeprefix(package + ".").split(".")[0] for n in names if package in n}
    return found


@pytest.mark.parametrize("first", CONTEXTS)
def test_contexts_importing_each_other_fail_at_import(first: str, evidence: Evidence) -> None:
    """Imports the Avoid's `customers.services`, then (a second case) its `orders.services`,
    each time from scratch: both raise a circular-import `ImportError` naming the module imported
    first, which its own import of the other context reaches half run, and neither module is
    left in `sys.modules`. Parsing both modules shows each imports the other context."""
    other = next(context for context in CONTEXTS if context != first)
    forget(AVOID)
    with pytest.raises(ImportError, match=CIRCULAR) as raised:
        import_module(f"{AVOID}.{first}.services")
    evidence.add(raised.value, f"import {AVOID}.{first}.services")
    assert raised.value.name == f"{AVOID}.{first}.services"  # the half-run module
    # Neither half stays importable: the failed imports left nothing behind in sys.modules.
    assert f"{AVOID}.{first}.services" not in sys.modules
    assert f"{AVOID}.{other}.services" not in sys.modules
    # Each half imports the other: customers' services from orders, orders' from customers.
    assert imported_contexts(FOLDER / f"avoid/{first}/services.py", AVOID) == {other}
    assert imported_contexts(FOLDER / f"avoid/{other}/services.py", AVOID) == {first}


@pytest.mark.parametrize("first", CONTEXTS)
def test_contexts_depending_one_way_import_in_either_order(first: str) -> None:
    """Imports the Do's contexts from scratch, `customers` first and then `orders` first: both
    orders work. `place_order` for an active customer returns `{"customer_id": 7,
    "total_cents": 1250}`; for an inactive one it raises `CustomerInactive`."""
    forget(DO)
    import_module(f"{DO}.{first}.services")
    services = import_module(f"{DO}.orders.services")
    schemas = import_module(f"{DO}.orders.schemas")
    customers = import_module(f"{DO}.customers.schemas")
    order = services.place_order(
        customers.Customer(id=7, name="Ada", active=True), schemas.OrderCreate(total_cents=1250)
    )
    assert order.model_dump() == {"customer_id": 7, "total_cents": 1250}
    closed = import_module(f"{DO}.customers.services").CustomerInactive
    with pytest.raises(closed):
        services.place_order(
            customers.Customer(id=8, name="Bo", active=False), schemas.OrderCreate(total_cents=1)
        )


def test_each_context_is_layered_and_depends_one_way() -> None:
    """Both contexts are packages with the same layers (`schemas.py`, `services.py`);
    `customers` imports no other context, and `orders` imports only `customers.schemas`,
    `customers.services` and its own `orders.schemas`."""
    root = FOLDER / "do"
    for context in CONTEXTS:
        assert {p.name for p in (root / context).glob("*.py")} == LAYERS, context
    for file in (root / "customers").glob("*.py"):
        assert imported_contexts(file, DO) <= {"customers"}, file
    reached: set[str] = set()
    for file in (root / "orders").glob("*.py"):
        tree = ast.parse(file.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            module = node.module or "" if isinstance(node, ast.ImportFrom) else ""
            if module.startswith(DO):
                reached.add(module.removeprefix(DO + "."))
    assert reached == {"customers.schemas", "customers.services", "orders.schemas"}
