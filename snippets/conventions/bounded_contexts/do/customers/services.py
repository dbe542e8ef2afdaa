"""The customers context's rules. It imports nothing from another context."""

from snippets.conventions.bounded_contexts.do.customers.schemas import Customer


class CustomerInactive(Exception):
    """A closed account: it may not order."""


def ensure_can_order(customer: Customer) -> None:
    if not customer.active:
        raise CustomerInactive(customer.id)
