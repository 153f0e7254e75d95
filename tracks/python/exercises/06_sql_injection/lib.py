"""Exercise 06: close an SQL injection hole.

The task is in README.md beside this file. The code below works, and is dangerous:
make it safe, then check your work with `cargo grader check --track python 06`.
"""

from dataclasses import dataclass

from mysql.connector.abstracts import MySQLConnectionAbstract


@dataclass
class Customer:
    """A customer the search found."""

    id: int
    name: str
    email: str


# ANCHOR: stub
def customers_named(conn: MySQLConnectionAbstract, name: str) -> list[Customer]:
    """Returns every customer whose name equals `name`, by ascending id."""
    # DANGER: `name` is pasted into the SQL text, so whoever types the name writes
    # part of the query. Make this safe without changing what it returns.
    sql = f"SELECT id, name, email FROM customers WHERE name = '{name}' ORDER BY id"
    cursor = conn.cursor()
    cursor.execute(sql)
    return [Customer(id, name, email) for (id, name, email) in cursor.fetchall()]
# ANCHOR_END: stub
