//! Reference solution to exercise 07: move money in a transaction, safely under concurrency (being written).
