//! Exercise 10: open the server to one client host (the two-host lab) (being written).
