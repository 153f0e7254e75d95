//! Exercise 03: create the shop's schema, safe to run twice (being written).
