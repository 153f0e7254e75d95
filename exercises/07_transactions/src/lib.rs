//! Exercise 07: move money in a transaction, safely under concurrency (being written).
