"""The program of exercise 04. This file is given: it reads the CSV file named by its
argument, connects with the server and account the environment names, calls
`insert_customers` from lib.py (your part) and says how many customers it loaded.

The grader runs it for you (`cargo grader check --track python 04`); to run it by hand,
set MYSQL_HOST, MYSQL_PORT, MYSQL_USER, MYSQL_PASSWORD and MYSQL_DATABASE, then
    tracks/python/.venv/bin/python tracks/python/exercises/04_insert_rows/main.py customers.csv
"""

import csv
import os
import sys

import mysql.connector

from lib import NewCustomer, insert_customers

# How the file writes NULL, as MySQL's own `LOAD DATA` and `mysqldump --tab` do.
NULL = "\\N"


# ANCHOR: main
def main() -> int:
    if len(sys.argv) != 2:
        print("usage: main.py CSV_FILE  (with a header line email,name,city)", file=sys.stderr)
        return 2
    path = sys.argv[1]
    try:
        customers = read_customers(path)
    except (OSError, csv.Error, ValueError) as error:
        print(f"error: cannot read {path}: {error}", file=sys.stderr)
        return 1
    try:
        conn = mysql.connector.connect(
            host=os.environ["MYSQL_HOST"],
            port=int(os.environ["MYSQL_PORT"]),
            user=os.environ["MYSQL_USER"],
            password=os.environ["MYSQL_PASSWORD"],
            database=os.environ["MYSQL_DATABASE"],
        )
    except KeyError as name:
        print(f"error: {name} is not set: give me the server and account, "
              "or let `cargo grader check --track python` run me", file=sys.stderr)
        return 2
    except mysql.connector.Error as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    try:
        count = insert_customers(conn, customers)
    except mysql.connector.Error as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        conn.close()
    print(f"loaded {count} customers")
    return 0


def read_customers(path: str) -> list[NewCustomer]:
    """Reads the rows after the header `email,name,city`; a city of `\\N` is None."""
    with open(path, newline="", encoding="utf-8") as file:
        rows = csv.DictReader(file)
        return [NewCustomer(row["email"], row["name"], None if row["city"] == NULL else row["city"])
                for row in rows]
# ANCHOR_END: main


if __name__ == "__main__":
    sys.exit(main())
