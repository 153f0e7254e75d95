//! Reference solution to exercise 04: load a csv file with prepared statements in one transaction (being written).
