//! Reference solution to exercise 06: close an sql injection hole (being written).
