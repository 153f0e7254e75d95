//! Reference solution to exercise 09: turn server errors into clear outcomes (being written).
