"""Exercise 01, solved: connect to a MySQL server and ask it who you are."""

from dataclasses import dataclass

import mysql.connector


@dataclass
class ServerInfo:
    """What the server says about itself and about this connection."""

    version: str
    account: str


# ANCHOR: solution
def server_info(settings: dict) -> ServerInfo:
    """Connects with `settings` and asks for the server's version and your account."""
    conn = mysql.connector.connect(**settings)
    try:
        cursor = conn.cursor()
        cursor.execute("SELECT VERSION(), CURRENT_USER()")
        version, account = cursor.fetchone()
        return ServerInfo(version=version, account=account)
    finally:
        conn.close()
# ANCHOR_END: solution
