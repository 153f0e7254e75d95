"""The program of exercise 06. This file is given: it takes a name as its only
argument, connects with the server and account the environment names, calls
`customers_named` from lib.py (your part) and prints one customer per line: id, name
and e-mail address, separated by tabs.

The grader runs it for you (`cargo grader check --track python 06`); to run it by hand,
set MYSQL_HOST, MYSQL_PORT, MYSQL_USER, MYSQL_PASSWORD and MYSQL_DATABASE, then
    tracks/python/.venv/bin/python tracks/python/exercises/06_sql_injection/main.py "Ana Silva"
"""

import os
import sys

import mysql.connector

from lib import customers_named


# ANCHOR: main
def main() -> int:
    if len(sys.argv) != 2:
        print("usage: main.py NAME (one argument: quote a name with spaces)", file=sys.stderr)
        return 2
    name = sys.argv[1]
    try:
        conn = mysql.connector.connect(
            host=os.environ["MYSQL_HOST"],
            port=int(os.environ["MYSQL_PORT"]),
            user=os.environ["MYSQL_USER"],
            password=os.environ["MYSQL_PASSWORD"],
            database=os.environ["MYSQL_DATABASE"],
        )
    except KeyError as missing:
        print(f"error: {missing} is not set: give me the server and account, "
              "or let `cargo grader check --track python` run me", file=sys.stderr)
        return 2
    except mysql.connector.Error as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    try:
        for customer in customers_named(conn, name):
            print(f"{customer.id}\t{customer.name}\t{customer.email}")
    except mysql.connector.Error as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        conn.close()
    return 0
# ANCHOR_END: main


if __name__ == "__main__":
    sys.exit(main())
