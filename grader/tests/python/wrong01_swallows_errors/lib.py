"""A wrong answer to exercise 01: it catches the driver's error and makes up an
answer, so a wrong password still ends with code 0."""

from dataclasses import dataclass

import mysql.connector


@dataclass
class ServerInfo:
    version: str
    account: str


def server_info(settings: dict) -> ServerInfo:
    try:
        conn = mysql.connector.connect(**settings)
    except mysql.connector.Error:
        return ServerInfo("unknown", "nobody")  # the mistake: the error is hidden
    cursor = conn.cursor()
    cursor.execute("SELECT VERSION(), CURRENT_USER()")
    version, account = cursor.fetchone()
    conn.close()
    return ServerInfo(version, account)
