//! Reference solution to exercise 08: answer many lookups through a bounded connection pool (being written).
