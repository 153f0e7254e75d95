//! Prints what exercise 01 asks for, but unwraps every error: a wrong password panics.

use mysql::prelude::Queryable;

fn main() {
    let url = format!("{}?prefer_socket=false", std::env::var("DATABASE_URL").unwrap());
    let mut conn = mysql::Conn::new(mysql::Opts::from_url(&url).unwrap()).unwrap();
    let (version, account): (String, String) =
        conn.query_first("SELECT VERSION(), CURRENT_USER()").unwrap().unwrap();
    println!("server version: {version}");
    println!("connected as: {account}");
}
