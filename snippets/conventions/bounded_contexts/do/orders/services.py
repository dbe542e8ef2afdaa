"""The orders context's rules. It uses the customers context through that context's services
and schemas only: the dependency points one way, so either package imports first."""

from snippets.conventions.bounded_contexts.do.customers.schemas import Customer
from snippets.conventions.bounded_contexts.do.customers.services import ensure_can_order
from snippets.conventions.bounded_contexts.do.orders.schemas import Order, OrderCreate


def place_order(customer: Customer, data: OrderCreate) -> Order:
    ensure_can_order(customer)
    return Order(customer_id=customer.id, total_cents=data.total_cents)
