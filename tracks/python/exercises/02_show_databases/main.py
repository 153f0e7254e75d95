"""The program of exercise 02. This file is given: it connects with the server and
account the environment names, calls `database_names` from lib.py (your part) and
prints one name per line.

The grader runs it for you (`cargo grader check --track python 02`); to run it by hand,
set MYSQL_HOST, MYSQL_PORT, MYSQL_USER, MYSQL_PASSWORD and MYSQL_DATABASE, then
    tracks/python/.venv/bin/python tracks/python/exercises/02_show_databases/main.py
"""

import os
import sys

import mysql.connector

from lib import database_names

# ANCHOR: main
def main() -> int:
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
        for name in database_names(conn):
            print(name)
    except mysql.connector.Error as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        conn.close()
    return 0
# ANCHOR_END: main


if __name__ == "__main__":
    sys.exit(main())
