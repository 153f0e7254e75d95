"""Exercise 05: query with placeholders and turn rows into objects.

The task is in README.md beside this file. Replace the `raise NotImplementedError`
below, then check your work with `cargo grader check --track python 05`.
"""

from dataclasses import dataclass

from mysql.connector.abstracts import MySQLConnectionAbstract


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
def find_orders(conn: MySQLConnectionAbstract, order_filter: OrderFilter) -> list[OrderLine]:
    """Returns the orders that match `order_filter`, oldest first (orders placed at the
    same time by id), with the product's name."""
    _ = (conn, order_filter)  # delete this line when you use `conn` and `order_filter`
    raise NotImplementedError("run one SELECT with a %s for each value of the filter, and make an OrderLine of each row")
# ANCHOR_END: stub
