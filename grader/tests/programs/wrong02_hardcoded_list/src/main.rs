//! Prints the databases a fresh server shows, without asking the server.

fn main() {
    for name in ["information_schema", "mysql", "performance_schema", "sys"] {
        println!("{name}");
    }
}
