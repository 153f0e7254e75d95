"""A wrong answer to exercise 06: it escapes quotes by hand, doubling each `'`. That
finds O'Brien, but a backslash before a quote escapes the first of the two quotes and
lets the second one end the string."""

from dataclasses import dataclass


@dataclass
class Customer:
    id: int
    name: str
    email: str


def customers_named(conn, name: str) -> list[Customer]:
    escaped = name.replace("'", "''")  # the mistake: a backslash still escapes
    cursor = conn.cursor()
    cursor.execute(f"SELECT id, name, email FROM customers WHERE name = '{escaped}' ORDER BY id")
    return [Customer(id, name, email) for (id, name, email) in cursor.fetchall()]
