"""Two contexts importing each other's names at import time: ImportError, whichever is first.

Customers imports orders' count of a customer's orders; orders imports customers' check."""

from snippets.conventions.bounded_contexts.avoid.orders.services import count_orders


def ensure_can_order(active: bool) -> None:
    if not active:
        raise ValueError("inactive customer")


def may_close_account(customer_id: int) -> bool:
    return count_orders(customer_id) == 0
