"""Exercise 02: list the databases this connection can see.

The task is in README.md beside this file. Replace the `raise NotImplementedError`
below, then check your work with `cargo grader check --track python 02`.
"""

from mysql.connector.abstracts import MySQLConnectionAbstract


# ANCHOR: stub
def database_names(conn: MySQLConnectionAbstract) -> list[str]:
    """Returns the name of every database the server shows this connection, in the
    server's order."""
    _ = conn  # delete this line when you use `conn`
    raise NotImplementedError("ask the server for its databases with SHOW DATABASES")
# ANCHOR_END: stub
