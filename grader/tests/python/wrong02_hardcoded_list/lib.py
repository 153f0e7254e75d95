"""A wrong answer to exercise 02: a list written into the program, not the server's."""


def database_names(conn) -> list[str]:
    _ = conn
    return ["information_schema", "mysql", "performance_schema"]
