//! The wire recorder: every connection a learner's program opens goes through a
//! proxy on a loopback port that relays it to the real server and reads it on the
//! way (`proxy`), packet by packet with `mysql_common`'s parsers (`decode`). What it
//! keeps (`record`) is the checks' evidence of what the program said, which the
//! server's tables cannot show (values pasted into SQL, text queries, transactions,
//! connections), and what `grader wire` prints (`show`).

mod decode;
mod proxy;
mod record;
mod show;

pub use decode::{Decoder, Side};
pub use proxy::{address_of, names_server, Recorder};
pub use record::{Command, CommandKind, Connection, Outcome, Param, Recording};
pub use show::{lines, Line};
