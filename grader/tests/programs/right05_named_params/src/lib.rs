//! A right answer to exercise 05, written differently from the reference: named
//! parameters, the range as `>=` and `<=`, the minimum cast to a DECIMAL by the
//! server, and each row mapped to an `OrderLine` by hand with `exec_map`.

use mysql::prelude::Queryable;
use mysql::{params, Conn};
pub use sol05_query_rows::{OrderFilter, OrderLine};

const FIND_ORDERS: &str = "
    SELECT o.id, p.name, o.quantity, CAST(o.amount AS CHAR),
           DATE_FORMAT(o.ordered_at, '%Y-%m-%d %H:%i:%s')
    FROM products AS p, orders AS o
    WHERE p.id = o.product_id
      AND o.customer_id = :customer
      AND o.amount >= CAST(:min AS DECIMAL(10, 2))
      AND o.ordered_at >= :from
      AND o.ordered_at <= :to
    ORDER BY o.ordered_at ASC, o.id ASC";

/// The orders that match `filter`, oldest first, then by id.
pub fn find_orders(conn: &mut Conn, filter: &OrderFilter) -> Result<Vec<OrderLine>, mysql::Error> {
    conn.exec_map(
        FIND_ORDERS,
        params! {
            "customer" => filter.customer_id,
            "min" => &filter.min_amount,
            "from" => &filter.from,
            "to" => &filter.to,
        },
        |(id, product, quantity, amount, ordered_at)| OrderLine {
            id,
            product,
            quantity,
            amount,
            ordered_at,
        },
    )
}
