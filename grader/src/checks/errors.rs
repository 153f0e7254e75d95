//! Check of exercise 09: the program that adds a customer turns each kind of failure
//! into its own exit code. A new customer is added (0); a taken e-mail address is 3
//! and changes nothing; a wrong password is 4, at once; a database that does not
//! exist (server error 1049, refused at login like a password, but not an access
//! denied) is 1, at once; a name too long for its column is 1; and where no server
//! answers it tries 4 times, 100, 200 and 400 ms apart, then exits 5 at once, within
//! 2 s. The grader counts the attempts and their spacing itself, on a port where it
//! accepts each connection and closes it at once (the waits must add up to 700 ms,
//! not twice that, and the program must end right after the last attempt), and also
//! points the program at a port where nothing listens.

use std::net::{SocketAddr, TcpListener};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use mysql::prelude::Queryable as _;
use mysql::Conn;

use super::closed_port::ClosedPort;
use super::expect::{describe_lines, failed_cleanly, finished_ok};
use super::shop::{self, Sizes};
use super::{Check, Context, Failure, Planted, Planting, Problem, Run};
use crate::runner::{Background, Exit, RunOutput};

/// The check of `09_errors`.
pub struct Errors;

/// Attempts the program makes before it gives up on an unreachable server.
const ATTEMPTS: usize = 4;

/// The waits between attempts, as the task states them.
const WAITS: [Duration; ATTEMPTS - 1] =
    [Duration::from_millis(100), Duration::from_millis(200), Duration::from_millis(400)];

/// The program must have given up on an unreachable server within this time.
const GIVE_UP_WITHIN: Duration = Duration::from_secs(2);

/// How long the grader waits for it before calling it endless.
const NEVER_GAVE_UP: Duration = Duration::from_secs(3);

/// A wait measured shorter than this share of the stated one was not a wait.
const WAIT_TOLERANCE_LOW: f64 = 0.9;

/// A wait longer than twice the stated one, plus this slack, is not that wait.
const WAIT_SLACK: Duration = Duration::from_millis(150);

/// A refused password reported after this long was retried (or waited for).
const RETRIED: Duration = Duration::from_millis(600);

/// The waits between the attempts may add up to at most the stated 700 ms plus this
/// (waits twice as long add up to 1.4 s).
const WAITS_SLACK: Duration = Duration::from_millis(300);

/// A program that ends later than this after its last attempt waited after it.
const ENDED_AFTER_LAST: Duration = Duration::from_millis(250);

/// The exit codes the task gives each outcome.
const DUPLICATE: i32 = 3;
const ACCESS_DENIED: i32 = 4;
const UNREACHABLE: i32 = 5;
const OTHER: i32 = 1;

impl Check for Errors {
    fn run(&self, cx: &mut Context<'_>) -> Result<(), Problem> {
        let mut admin = Conn::new(cx.server.admin.opts(Some(&cx.sandbox.database)))?;
        let planted =
            shop::plant(&mut admin, &mut cx.rng, Sizes { customers: 6, products: 0, orders: 0 })?;
        let taken = planted.customers[cx.rng.usize(..planted.customers.len())].email.clone();
        let newcomer = new_customer(&mut cx.rng);

        // The two slow runs (retries take 0.7 s) go on in the background meanwhile.
        let counter = AttemptCounter::start()?;
        // Isolated, the program reaches the counter; the closed port stays closed.
        cx.let_reach(counter.address);
        let reserved = ClosedPort::reserve()?;
        let closed = reserved.port;
        let unreachable_args = [newcomer.0.clone(), newcomer.1.clone()];
        let url_to_nowhere = url_at(&cx.sandbox.url(), closed);
        let to_nowhere = cx.spawn(&unreachable_args, &[("DATABASE_URL", &url_to_nowhere)])?;
        let url_to_counter = url_at(&cx.sandbox.url(), counter.address.port());
        let counter_started = Instant::now();
        let to_counter = cx.spawn(&unreachable_args, &[("DATABASE_URL", &url_to_counter)])?;
        // Both started before this instant, so each has had its full time by then.
        let give_up_by = Instant::now() + NEVER_GAVE_UP;

        check_adds(cx, &mut admin, &newcomer)?;
        check_duplicate(cx, &mut admin, &taken)?;
        check_other_error(cx, &mut admin)?;
        check_access_denied(cx)?;
        check_unknown_database(cx)?;
        let nowhere = wait_for(cx, to_nowhere, give_up_by);
        let counted = wait_for(cx, to_counter, give_up_by);
        let counter_port = counter.address.port();
        let attempts = counter.stop();
        let nowhere_place = format!("on port {closed}, where nothing listens");
        judge_unreachable(&nowhere, &nowhere_place)?;
        judge_unreachable(
            &counted,
            &format!("on port {counter_port}, where the grader closes every connection"),
        )?;
        // The spacing the grader timed itself says more than the run's length, which
        // includes starting the program: judge it first.
        judge_attempts(&attempts)?;
        judge_ended_after_last(&attempts, counter_started, &counted)?;
        judge_waited(&nowhere, &nowhere_place)
    }
}

/// A new customer's e-mail address and name, unlike any planted one.
fn new_customer(rng: &mut fastrand::Rng) -> (String, String) {
    let tag: String = (0..6).map(|_| rng.lowercase()).collect();
    (format!("new.{tag}@example.com"), format!("Newcomer {tag}"))
}

/// `grader sandbox 09`: customers, as the check plants them.
pub(super) fn plant_by_hand(planting: &mut Planting<'_, '_>) -> anyhow::Result<Planted> {
    let sizes = Sizes { customers: 6, products: 0, orders: 0 };
    let shop = shop::plant(&mut planting.admin()?, planting.rng, sizes)?;
    let (email, name) = new_customer(planting.rng);
    let taken = shop.customers[0].email.clone();
    Ok(Planted {
        holds: format!("the shop's table customers, with {} customers", shop.customers.len()),
        runs: vec![
            Run::new([email, name.clone()], "a new customer: exit code 0 and its id"),
            Run::new([taken, name], "an e-mail address that is taken: exit code 3"),
        ],
    })
}

/// A new customer is added and its id printed.
fn check_adds(
    cx: &mut Context<'_>,
    admin: &mut Conn,
    (email, name): &(String, String),
) -> Result<(), Problem> {
    let run = cx.run(&[email.clone(), name.clone()])?;
    finished_ok(&run, "with a new customer")?;
    let id: Option<u64> =
        admin.exec_first("SELECT id FROM customers WHERE email = ? AND name = ?", (email, name))?;
    let Some(id) = id else {
        return Err(Failure::new(
            "your program exited with code 0, but the new customer is not in the table",
            "insert the row with `exec_drop` and return only after it succeeded",
        )
        .expected(format!("a row with email {email:?} and name {name:?}"))
        .into());
    };
    let wanted = format!("added customer {id}");
    if run.stdout.text.trim_end() != wanted {
        return Err(Failure::new(
            "your program added the customer but did not print its new id",
            "return `conn.last_insert_id()` after the INSERT, and keep src/main.rs as given",
        )
        .expected(wanted)
        .got(describe_lines(&run.stdout.text, run.stdout.was_cut()))
        .into());
    }
    Ok(())
}

/// A taken e-mail address is exit code 3 and changes nothing.
fn check_duplicate(cx: &mut Context<'_>, admin: &mut Conn, taken: &str) -> Result<(), Problem> {
    let before = customer_count(admin)?;
    let run = cx.run(&[taken.to_string(), "Someone Else".to_string()])?;
    let what = "with an e-mail address that is already taken";
    failed_cleanly(&run, what)?;
    expect_code(&run, what, DUPLICATE, "DuplicateEmail", "server error 1062 (ER_DUP_ENTRY)")?;
    let after = customer_count(admin)?;
    if after != before {
        return Err(Failure::new(
            format!("when run {what}, your program changed the customers table"),
            "a refused INSERT adds nothing; do not insert the customer some other way",
        )
        .expected(format!("{before} customers"))
        .got(format!("{after} customers"))
        .into());
    }
    Ok(())
}

/// Any other server error (here a name too long for its column) is exit code 1.
fn check_other_error(cx: &mut Context<'_>, admin: &mut Conn) -> Result<(), Problem> {
    let before = customer_count(admin)?;
    let long_name = "N".repeat(150);
    let run = cx.run(&["long.name@example.com".to_string(), long_name])?;
    let what = "with a name longer than the column's 100 characters";
    failed_cleanly(&run, what)?;
    expect_code(&run, what, OTHER, "Other", "any error that is none of the three")?;
    if customer_count(admin)? != before {
        return Err(Failure::new(
            format!("when run {what}, your program still added a customer"),
            "return the server's error as it is, without trying another way",
        )
        .into());
    }
    Ok(())
}

/// A wrong password is exit code 4, reported without retrying.
fn check_access_denied(cx: &mut Context<'_>) -> Result<(), Problem> {
    let endpoint = cx.sandbox.endpoint();
    let wrong_password: String = (0..16).map(|_| cx.rng.alphanumeric()).collect();
    let url = endpoint.with_account(&endpoint.user, &wrong_password).url(&cx.sandbox.database);
    let run = cx.run_with_url(&url, &["denied@example.com".to_string(), "Denied".to_string()])?;
    let what = "with a wrong password";
    failed_cleanly(&run, what)?;
    expect_code(&run, what, ACCESS_DENIED, "AccessDenied", "server error 1045 (or 1044)")?;
    if run.elapsed >= RETRIED {
        return Err(Failure::new(
            format!(
                "with a wrong password your program took {:.1} s to give up: it retried",
                run.elapsed.as_secs_f64()
            ),
            "retry only when no server answers; a server that refuses the account will refuse it again",
        )
        .into());
    }
    Ok(())
}

/// A database that does not exist, on an account that may use it, is refused at
/// login with server error 1049: not an access denied, so exit code 1, at once.
fn check_unknown_database(cx: &mut Context<'_>) -> Result<(), Problem> {
    let missing = format!("{}_gone", cx.sandbox.database);
    let mut admin = cx.server.admin_conn()?;
    // A grant on a database that does not exist: logging in to it then gets 1049
    // (Unknown database), where an account without the grant would get 1044.
    admin
        .query_drop(format!("GRANT ALL PRIVILEGES ON `{missing}`.* TO {}", cx.sandbox.account()))?;
    let endpoint = cx.sandbox.endpoint();
    let url = endpoint.url(&missing);
    let run = cx.run_with_url(&url, &["gone@example.com".to_string(), "Gone".to_string()])?;
    let what = format!("with DATABASE_URL naming the database {missing}, which does not exist");
    failed_cleanly(&run, &what)?;
    if run.exit == Exit::Code(ACCESS_DENIED) {
        return Err(Failure::new(
            format!(
                "your program ended with code {ACCESS_DENIED} (access denied) when run {what}: the server refused the login with error 1049 (Unknown database), which is not an access denied"
            ),
            "return AddError::AccessDenied only for server errors 1045 and 1044 (match on the error's code); any other server error is AddError::Other, exit code 1",
        )
        .expected(format!("exit code {OTHER}"))
        .got(format!("code {ACCESS_DENIED}; on stderr, {}", describe_lines(&run.stderr.text, run.stderr.was_cut())))
        .into());
    }
    expect_code(
        &run,
        &what,
        OTHER,
        "Other",
        "server error 1049 (Unknown database), like any error that is none of the three",
    )?;
    if run.elapsed >= RETRIED {
        return Err(Failure::new(
            format!(
                "when run {what} your program took {:.1} s to give up: it retried",
                run.elapsed.as_secs_f64()
            ),
            "retry only when no server answers; a server that refuses the login will refuse it again",
        )
        .into());
    }
    Ok(())
}

/// The program must end right after its last attempt: waiting once more before
/// giving up only makes the user wait.
fn judge_ended_after_last(
    attempts: &[Instant],
    started: Instant,
    run: &RunOutput,
) -> Result<(), Problem> {
    let Some(last) = attempts.last() else { return Ok(()) };
    let ended = started + run.elapsed;
    let after = ended.saturating_duration_since(*last);
    if after <= ENDED_AFTER_LAST {
        return Ok(());
    }
    Err(Failure::new(
        format!(
            "your program tried 4 times, then waited {} ms more before it gave up: it slept after the last attempt",
            after.as_millis()
        ),
        "sleep only between attempts: after the 4th failure, return AddError::Unreachable at once",
    )
    .expected(format!("exit code {UNREACHABLE} right after the 4th attempt"))
    .got(format!("exit code {UNREACHABLE} {} ms after it", after.as_millis()))
    .into())
}

/// An unreachable server is exit code 5, after waiting, within the stated bound.
fn judge_unreachable(run: &RunOutput, place: &str) -> Result<(), Problem> {
    let what = format!("with the server {place}");
    if run.exit == Exit::TimedOut || run.elapsed >= NEVER_GAVE_UP {
        return Err(Failure::new(
            format!(
                "your program was still trying to connect after {:.1} s when run {what}: it never gave up",
                run.elapsed.as_secs_f64()
            ),
            format!("stop after {ATTEMPTS} attempts and return AddError::Unreachable"),
        )
        .into());
    }
    failed_cleanly(run, &what)?;
    expect_code(run, &what, UNREACHABLE, "Unreachable", "no server answered")?;
    if run.elapsed > GIVE_UP_WITHIN {
        return Err(Failure::new(
            format!(
                "your program gave up after {:.1} s when run {what}, later than the {} s allowed",
                run.elapsed.as_secs_f64(),
                GIVE_UP_WITHIN.as_secs()
            ),
            "wait 100, 200 and 400 ms between the 4 attempts, no longer",
        )
        .into());
    }
    Ok(())
}

/// Checks that a run that gave up waited between its attempts, judged by its length.
fn judge_waited(run: &RunOutput, place: &str) -> Result<(), Problem> {
    let waited: Duration = WAITS.iter().sum();
    if run.elapsed < waited.mul_f64(WAIT_TOLERANCE_LOW) {
        return Err(Failure::new(
            format!(
                "your program gave up after only {:.2} s when run with the server {place}: \
                 it did not wait 100, 200 and 400 ms between attempts",
                run.elapsed.as_secs_f64()
            ),
            "before giving up, try 4 times in all, waiting 100, 200 and then 400 ms between attempts",
        )
        .expected(format!("about {:.1} s of waiting", waited.as_secs_f64()))
        .into());
    }
    Ok(())
}

/// The attempts the grader counted: 4, spaced by waits that double.
fn judge_attempts(attempts: &[Instant]) -> Result<(), Problem> {
    let wanted = "4 attempts, 100, 200 and 400 ms apart";
    if attempts.len() != ATTEMPTS {
        let fix = if attempts.len() < ATTEMPTS {
            "try again while no server answers: the connection failed before the server's greeting"
        } else {
            "stop after 4 attempts in all"
        };
        return Err(Failure::new(
            format!(
                "your program connected {} times to a port that closes every connection, not {ATTEMPTS}",
                attempts.len()
            ),
            fix,
        )
        .expected(wanted)
        .got(format!("{} attempts{}", attempts.len(), spacing(attempts)))
        .into());
    }
    let gaps: Vec<Duration> = attempts.windows(2).map(|pair| pair[1] - pair[0]).collect();
    let fits = gaps.iter().zip(WAITS).all(|(gap, wait)| {
        *gap >= wait.mul_f64(WAIT_TOLERANCE_LOW) && *gap <= wait * 2 + WAIT_SLACK
    });
    let total: Duration = gaps.iter().sum();
    let stated: Duration = WAITS.iter().sum();
    if fits && total > stated + WAITS_SLACK {
        return Err(Failure::new(
            format!(
                "your program tried 4 times, but waited {} ms in all between attempts, where 100 + 200 + 400 = 700 ms was asked",
                total.as_millis()
            ),
            "wait FIRST_WAIT (100 ms) after the first failure, then double it: 100, 200, 400 ms, no longer",
        )
        .expected(wanted)
        .got(format!("4 attempts{}", spacing(attempts)))
        .into());
    }
    if !fits {
        return Err(Failure::new(
            "your program tried 4 times, but did not wait 100, 200 and 400 ms between attempts",
            "sleep FIRST_WAIT after the first failure and double the wait after each one (std::thread::sleep)",
        )
        .expected(wanted)
        .got(format!("4 attempts{}", spacing(attempts)))
        .into());
    }
    Ok(())
}

/// ", 101, 99, 102 ms apart" for the times of some attempts.
fn spacing(attempts: &[Instant]) -> String {
    if attempts.len() < 2 {
        return String::new();
    }
    let gaps: Vec<String> = attempts
        .windows(2)
        .map(|pair| (pair[1] - pair[0]).as_millis().to_string())
        .take(6)
        .collect();
    format!(", {} ms apart", gaps.join(", "))
}

/// The run ended with `code`, the one the task gives this outcome.
fn expect_code(
    run: &RunOutput,
    what: &str,
    code: i32,
    variant: &str,
    cause: &str,
) -> Result<(), Failure> {
    match run.exit {
        Exit::Code(got) if got == code => Ok(()),
        _ => Err(Failure::new(
            format!(
                "your program ended with {} when run {what}, not with code {code}",
                ending(run)
            ),
            format!("return AddError::{variant} for {cause}; main turns it into exit code {code}"),
        )
        .expected(format!("exit code {code}"))
        .got(format!(
            "{}; on stderr, {}",
            ending(run),
            describe_lines(&run.stderr.text, run.stderr.was_cut())
        ))),
    }
}

fn ending(run: &RunOutput) -> String {
    match run.exit {
        Exit::Code(code) => format!("code {code}"),
        Exit::Signal(signal) => format!("signal {signal}"),
        Exit::TimedOut => "the time limit".to_string(),
    }
}

fn customer_count(admin: &mut Conn) -> mysql::Result<u64> {
    Ok(admin.query_first("SELECT COUNT(*) FROM customers")?.unwrap_or_default())
}

/// Waits for a background run to end, up to `deadline` (at least [`NEVER_GAVE_UP`]
/// after its start), and stops it then.
fn wait_for(cx: &mut Context<'_>, mut run: Background, deadline: Instant) -> RunOutput {
    while run.exit().is_none() && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(5));
    }
    let output = run.stop();
    cx.add_program_time(output.elapsed);
    output
}

/// `url` with its port replaced by `port` (on the same host).
fn url_at(url: &str, port: u16) -> String {
    let (before_at, after_at) = url.split_once('@').expect("a sandbox URL has an account");
    let (_host_port, path) = after_at.split_once('/').expect("a sandbox URL has a database");
    format!("{before_at}@127.0.0.1:{port}/{path}")
}

/// A port where the grader accepts every connection and closes it at once, noting
/// when each one came: a server that never answers, with a clock.
struct AttemptCounter {
    address: SocketAddr,
    seen: Arc<Mutex<Vec<Instant>>>,
    done: Arc<AtomicBool>,
    thread: Option<thread::JoinHandle<()>>,
}

impl AttemptCounter {
    fn start() -> anyhow::Result<AttemptCounter> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let address = listener.local_addr()?;
        let seen = Arc::new(Mutex::new(Vec::new()));
        let done = Arc::new(AtomicBool::new(false));
        let thread = {
            let (seen, done) = (seen.clone(), done.clone());
            thread::spawn(move || {
                while !done.load(Ordering::Relaxed) {
                    match listener.accept() {
                        Ok((connection, _)) => {
                            seen.lock()
                                .unwrap_or_else(PoisonError::into_inner)
                                .push(Instant::now());
                            drop(connection);
                        }
                        Err(_) => thread::sleep(Duration::from_millis(1)),
                    }
                }
            })
        };
        Ok(AttemptCounter { address, seen, done, thread: Some(thread) })
    }

    /// Stops listening; the times of the connections seen.
    fn stop(mut self) -> Vec<Instant> {
        self.done.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        let seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        seen.clone()
    }
}

impl Drop for AttemptCounter {
    fn drop(&mut self) {
        // A check that ends early still stops the listening thread.
        self.done.store(true, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempts(gaps_ms: &[u64]) -> Vec<Instant> {
        let start = Instant::now();
        let mut at = start;
        let mut times = vec![at];
        for gap in gaps_ms {
            at += Duration::from_millis(*gap);
            times.push(at);
        }
        times
    }

    #[test]
    fn doubling_waits_pass_and_others_fail() {
        assert!(judge_attempts(&attempts(&[101, 203, 405])).is_ok());
        assert!(judge_attempts(&attempts(&[130, 260, 520])).is_ok());
        assert!(judge_attempts(&attempts(&[200, 400, 800])).is_err());
        assert!(judge_attempts(&attempts(&[100, 100, 100])).is_err());
        assert!(judge_attempts(&attempts(&[400, 400, 400])).is_err());
        assert!(judge_attempts(&attempts(&[0, 0, 0])).is_err());
        assert!(judge_attempts(&attempts(&[100, 200])).is_err());
        assert!(judge_attempts(&attempts(&[100, 200, 400, 800])).is_err());
    }

    #[test]
    fn gaps_are_shown_in_milliseconds() {
        assert_eq!(spacing(&attempts(&[100, 250])), ", 100, 250 ms apart");
        assert_eq!(spacing(&attempts(&[])), "");
    }

    #[test]
    fn a_url_moves_to_another_port() {
        assert_eq!(url_at("mysql://u:p@127.0.0.1:3306/db", 9), "mysql://u:p@127.0.0.1:9/db");
    }
}
