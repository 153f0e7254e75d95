//! Writes 64 MiB to standard output as fast as it can, then exits successfully.

use std::io::Write;

fn main() {
    let line = [b'y'; 1023];
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for _ in 0..64 * 1024 {
        out.write_all(&line).expect("stdout is open");
        out.write_all(b"\n").expect("stdout is open");
    }
}
