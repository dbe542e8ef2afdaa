"""The other half of the cycle: orders imports customers, which imports orders."""

from snippets.conventions.bounded_contexts.avoid.customers.services import ensure_can_order

PLACED: dict[int, int] = {}


def place_order(customer_id: int, active: bool) -> None:
    ensure_can_order(active)
    PLACED[customer_id] = PLACED.get(customer_id, 0) + 1


def count_orders(customer_id: int) -> int:
    return PLACED.get(customer_id, 0)
