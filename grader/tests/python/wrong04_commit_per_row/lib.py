"""A wrong answer to exercise 04: placeholders, but a commit after every row, so the
rows before a failing one stay in the table."""

from dataclasses import dataclass
from typing import Optional


@dataclass
class NewCustomer:
    email: str
    name: str
    city: Optional[str]


def insert_customers(conn, customers: list[NewCustomer]) -> int:
    cursor = conn.cursor()
    for c in customers:
        cursor.execute(
            "INSERT INTO customers (email, name, city) VALUES (%s, %s, %s)", (c.email, c.name, c.city)
        )
        conn.commit()  # the mistake: one transaction per row
    return len(customers)
