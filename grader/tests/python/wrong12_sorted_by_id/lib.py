"""A wrong answer to exercise 12: SQLAlchemy, but the orders sorted by id, not by time."""

from dataclasses import dataclass

from sqlalchemy import Engine, text


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


def find_orders(engine: Engine, order_filter: OrderFilter) -> list[OrderLine]:
    query = text("""
        SELECT o.id, p.name AS product, o.quantity, CAST(o.amount AS CHAR) AS amount,
               DATE_FORMAT(o.ordered_at, '%Y-%m-%d %H:%i:%s') AS ordered_at
        FROM orders AS o JOIN products AS p ON p.id = o.product_id
        WHERE o.customer_id = :customer_id AND o.amount >= :min_amount
          AND o.ordered_at BETWEEN :start AND :end
        ORDER BY o.id""")  # the mistake: by id, not by time
    f = order_filter
    values = {"customer_id": f.customer_id, "min_amount": f.min_amount, "start": f.start, "end": f.end}
    with engine.connect() as conn:
        return [OrderLine(**row._mapping) for row in conn.execute(query, values)]
