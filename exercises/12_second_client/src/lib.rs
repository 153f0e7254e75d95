//! Exercise 12: the same query with a second client library: sqlx (being written).
