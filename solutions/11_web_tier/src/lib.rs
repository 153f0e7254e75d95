//! Reference solution to exercise 11: put a web tier in front of the database (being written).
