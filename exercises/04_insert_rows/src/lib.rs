//! Exercise 04: load a csv file with prepared statements in one transaction (being written).
