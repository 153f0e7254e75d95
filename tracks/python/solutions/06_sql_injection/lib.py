"""Exercise 06, solved: the name travels apart from the SQL text."""

from dataclasses import dataclass

from mysql.connector.abstracts import MySQLConnectionAbstract


@dataclass
class Customer:
    """A customer the search found."""

    id: int
    name: str
    email: str


# ANCHOR: solution
def customers_named(conn: MySQLConnectionAbstract, name: str) -> list[Customer]:
    """Returns every customer whose name equals `name`, by ascending id."""
    # A prepared cursor sends the SQL text once and the name apart from it, as the
    # Rust driver's `exec` does; the text never changes, whatever the name holds.
    cursor = conn.cursor(prepared=True)
    cursor.execute("SELECT id, name, email FROM customers WHERE name = %s ORDER BY id", (name,))
    return [Customer(id, name, email) for (id, name, email) in cursor.fetchall()]
# ANCHOR_END: solution
