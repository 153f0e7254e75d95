//! Reference solution to exercise 05: query with parameters and map rows to structs (being written).
