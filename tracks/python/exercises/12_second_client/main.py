"""The program of exercise 12. This file is given: it reads the filter from its
arguments, makes a SQLAlchemy engine from DATABASE_URL (with Connector/Python as its
driver), calls `find_orders` from lib.py (your part) and prints each order as one line
of JSON, as in exercise 05.

The grader runs it for you (`cargo grader check --track python 12`); to run it by hand:
    DATABASE_URL='mysql://USER:PASSWORD@127.0.0.1:3306/DB' \\
        tracks/python/.venv/bin/python tracks/python/exercises/12_second_client/main.py \\
        42 25.00 '2026-03-01 00:00:00' '2026-03-31 23:59:59'
"""

import dataclasses
import json
import os
import sys

from sqlalchemy import create_engine
from sqlalchemy.exc import SQLAlchemyError

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
    url = os.environ.get("DATABASE_URL")
    if not url:
        print("error: DATABASE_URL is not set: give me mysql://USER:PASSWORD@HOST:PORT/DB, "
              "or let `cargo grader check --track python` run me", file=sys.stderr)
        return 2
    # SQLAlchemy names the driver in the URL's scheme: mysql+mysqlconnector://…
    engine = create_engine(url.replace("mysql://", "mysql+mysqlconnector://", 1))
    try:
        for order in find_orders(engine, order_filter):
            print(json.dumps(dataclasses.asdict(order), ensure_ascii=False))
    except SQLAlchemyError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    return 0
# ANCHOR_END: main


if __name__ == "__main__":
    sys.exit(main())
