"""Exercise 01: connect to a MySQL server and ask it who you are.

The task is in README.md beside this file. Replace the `raise NotImplementedError`
below, then check your work with `cargo grader check --track python 01`.
"""

from dataclasses import dataclass

import mysql.connector


@dataclass
class ServerInfo:
    """What the server says about itself and about this connection."""

    version: str
    """The server's version, as `SELECT VERSION()` returns it."""
    account: str
    """The account the server let you in as, `user@host`, as `SELECT CURRENT_USER()` returns it."""


# ANCHOR: stub
def server_info(settings: dict) -> ServerInfo:
    """Connects with `settings` (host, port, user, password, database: the keyword
    arguments of `mysql.connector.connect`) and asks for the server's version and
    your account.

    A wrong password or an unreachable server raises `mysql.connector.Error`: let it
    go, `main` prints it and exits with a non-zero code.
    """
    _ = mysql.connector  # delete this line when you use the driver
    raise NotImplementedError("connect with `settings`, then ask for VERSION() and CURRENT_USER()")
# ANCHOR_END: stub
