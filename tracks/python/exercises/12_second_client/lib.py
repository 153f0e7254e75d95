"""Exercise 12: the query of exercise 05 with a second client library, SQLAlchemy.

The task is in README.md beside this file. Replace the `raise NotImplementedError`
below, then check your work with `cargo grader check --track python 12`.
"""

from dataclasses import dataclass

from sqlalchemy import Engine, text


# ANCHOR: types
@dataclass
class OrderFilter:
    """Which orders to find: one customer's orders of at least `min_amount`, placed
    between `start` and `end`, both included."""

    customer_id: int
    min_amount: str
    """The smallest amount to include, as a decimal with two places: "25.00"."""
    start: str
    """The earliest time to include, "YYYY-MM-DD HH:MM:SS"."""
    end: str
    """The latest time to include, "YYYY-MM-DD HH:MM:SS"."""


@dataclass
class OrderLine:
    """One order as the program prints it."""

    id: int
    product: str
    """The name of the product ordered."""
    quantity: int
    amount: str
    """The order's amount, as the server prints a DECIMAL: "25.98"."""
    ordered_at: str
    """When it was placed, "YYYY-MM-DD HH:MM:SS"."""
# ANCHOR_END: types


# ANCHOR: stub
def find_orders(engine: Engine, order_filter: OrderFilter) -> list[OrderLine]:
    """Returns the orders that match `order_filter`, oldest first (orders placed at the
    same time by id), with the product's name: exercise 05's query, through SQLAlchemy."""
    _ = (engine, order_filter, text)  # delete this line when you use them
    raise NotImplementedError("run exercise 05's SELECT as text() with :named parameters on engine.connect()")
# ANCHOR_END: stub
