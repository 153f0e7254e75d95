"""Exercise 04, solved: insert the customers of a CSV file with placeholders, all of
them in one transaction."""

from dataclasses import dataclass
from typing import Optional

from mysql.connector.abstracts import MySQLConnectionAbstract


@dataclass
class NewCustomer:
    """A customer read from the CSV file, before the server gives it an id."""

    email: str
    name: str
    city: Optional[str]


# ANCHOR: solution
def insert_customers(conn: MySQLConnectionAbstract, customers: list[NewCustomer]) -> int:
    """Inserts every customer in one transaction; all of them or, if any fails, none."""
    # Connector/Python does not autocommit: everything below is one transaction
    # until commit(), and rollback() undoes it. A prepared cursor sends the INSERT
    # once and each row's values apart from it (the default cursor would quote them
    # into the SQL text itself).
    cursor = conn.cursor(prepared=True)
    try:
        cursor.executemany(
            "INSERT INTO customers (email, name, city) VALUES (%s, %s, %s)",
            [(c.email, c.name, c.city) for c in customers],
        )
        conn.commit()
    except Exception:
        conn.rollback()
        raise
    return len(customers)
# ANCHOR_END: solution
