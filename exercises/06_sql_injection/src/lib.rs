//! Exercise 06: close an sql injection hole (being written).
