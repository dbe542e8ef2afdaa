"""Two contexts importing each other's names at import time: customers needs orders' count,
orders needs customers' check, and whichever is imported first fails with ImportError."""

from snippets.conventions.bounded_contexts.avoid.orders.services import count_orders


def ensure_can_order(active: bool) -> None:
    if not active:
        raise ValueError("inactive customer")


def may_close_account(customer_id: int) -> bool:
    return count_orders(customer_id) == 0
