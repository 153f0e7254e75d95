"""Exercise 04: insert the customers of a CSV file with a prepared statement, all of
them in one transaction.

The task is in README.md beside this file. Replace the `raise NotImplementedError`
below, then check your work with `cargo grader check --track python 04`.
"""

from dataclasses import dataclass
from typing import Optional

from mysql.connector.abstracts import MySQLConnectionAbstract


# ANCHOR: types
@dataclass
class NewCustomer:
    """A customer read from the CSV file, before the server gives it an id."""

    email: str
    """The e-mail address, unique in the table."""
    name: str
    """The full name; may hold quotes, backslashes, any letter and emoji."""
    city: Optional[str]
    """The city: None where the file says `\\N` (NULL, unknown), "" where the field is empty."""
# ANCHOR_END: types


# ANCHOR: stub
def insert_customers(conn: MySQLConnectionAbstract, customers: list[NewCustomer]) -> int:
    """Inserts every customer into the `customers` table in one transaction, with one
    INSERT and %s placeholders: either all of them are stored or, if any fails, none
    is. Returns how many were inserted."""
    _ = (conn, customers)  # delete this line when you use `conn` and `customers`
    raise NotImplementedError("run one INSERT with %s placeholders for every customer, then commit")
# ANCHOR_END: stub
