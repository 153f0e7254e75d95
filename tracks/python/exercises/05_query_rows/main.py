"""The program of exercise 05. This file is given: it reads the filter from its
arguments, connects with the server and account the environment names, calls
`find_orders` from lib.py (your part) and prints each order as one line of JSON.

The grader runs it for you (`cargo grader check --track python 05`); to run it by hand,
set MYSQL_HOST, MYSQL_PORT, MYSQL_USER, MYSQL_PASSWORD and MYSQL_DATABASE, then
    tracks/python/.venv/bin/python tracks/python/exercises/05_query_rows/main.py \\
        42 25.00 '2026-03-01 00:00:00' '2026-03-31 23:59:59'
"""

import dataclasses
import json
import os
import sys

import mysql.connector

from lib import OrderFilter, find_orders

USAGE = ("usage: main.py CUSTOMER_ID MIN_AMOUNT FROM TO\n"
         "    for example: main.py 42 25.00 '2026-03-01 00:00:00' '2026-03-31 23:59:59'")


# ANCHOR: main
def main() -> int:
    args = sys.argv[1:]
    if len(args) != 4 or not args[0].isdigit():
        print(USAGE, file=sys.stderr)
        return 2
    order_filter = OrderFilter(int(args[0]), args[1], args[2], args[3])
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
        for order in find_orders(conn, order_filter):
            print(json.dumps(dataclasses.asdict(order), ensure_ascii=False))
    except mysql.connector.Error as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        conn.close()
    return 0
# ANCHOR_END: main


if __name__ == "__main__":
    sys.exit(main())
