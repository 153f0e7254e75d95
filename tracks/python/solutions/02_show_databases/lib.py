"""Exercise 02, solved: list the databases this connection can see."""

from mysql.connector.abstracts import MySQLConnectionAbstract


# ANCHOR: solution
def database_names(conn: MySQLConnectionAbstract) -> list[str]:
    """Returns the name of every database the server shows this connection, in the
    server's order."""
    cursor = conn.cursor()
    cursor.execute("SHOW DATABASES")
    return [name for (name,) in cursor.fetchall()]
# ANCHOR_END: solution
