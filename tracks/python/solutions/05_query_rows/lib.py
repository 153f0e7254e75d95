"""Exercise 05, solved: query with placeholders and turn rows into objects."""

from dataclasses import dataclass

from mysql.connector.abstracts import MySQLConnectionAbstract


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


# ANCHOR: solution
FIND_ORDERS = """
    SELECT o.id, p.name, o.quantity, o.amount, o.ordered_at
    FROM orders AS o
    JOIN products AS p ON p.id = o.product_id
    WHERE o.customer_id = %s
      AND o.amount >= %s
      AND o.ordered_at BETWEEN %s AND %s
    ORDER BY o.ordered_at, o.id"""


def find_orders(conn: MySQLConnectionAbstract, order_filter: OrderFilter) -> list[OrderLine]:
    """Returns the orders that match `order_filter`, oldest first (orders placed at the
    same time by id), with the product's name."""
    # A prepared cursor: the SQL text stays fixed, the values travel apart from it.
    cursor = conn.cursor(prepared=True)
    f = order_filter
    cursor.execute(FIND_ORDERS, (f.customer_id, f.min_amount, f.start, f.end))
    # The driver gives a DECIMAL as a Decimal and a DATETIME as a datetime.
    return [
        OrderLine(id, product, quantity, str(amount), ordered_at.strftime("%Y-%m-%d %H:%M:%S"))
        for (id, product, quantity, amount, ordered_at) in cursor.fetchall()
    ]
# ANCHOR_END: solution
