"""The program of exercise 01. This file is given: it reads the server's address and
your account from the environment, calls `server_info` from lib.py (your part) and
prints what it returns.

The grader runs it for you (`cargo grader check --track python 01`); to run it by hand:
    MYSQL_HOST=127.0.0.1 MYSQL_PORT=3306 MYSQL_USER=… MYSQL_PASSWORD=… MYSQL_DATABASE=… \\
        tracks/python/.venv/bin/python tracks/python/exercises/01_connect/main.py
"""

import os
import sys

import mysql.connector

from lib import server_info

# ANCHOR: main
SETTINGS = {"host": "MYSQL_HOST", "port": "MYSQL_PORT", "user": "MYSQL_USER",
            "password": "MYSQL_PASSWORD", "database": "MYSQL_DATABASE"}


def main() -> int:
    missing = [name for name in SETTINGS.values() if name not in os.environ]
    if missing:
        print(f"error: {', '.join(missing)} not set: give me the server and account, "
              "or let `cargo grader check --track python` run me", file=sys.stderr)
        return 2
    settings = {key: os.environ[name] for key, name in SETTINGS.items()}
    settings["port"] = int(settings["port"])
    try:
        info = server_info(settings)
    except mysql.connector.Error as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"server version: {info.version}")
    print(f"connected as: {info.account}")
    return 0
# ANCHOR_END: main


if __name__ == "__main__":
    sys.exit(main())
