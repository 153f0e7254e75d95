//! Check of exercise 07: `transfer FROM TO AMOUNT` moves money between accounts in one
//! transaction, and stays right when many transfers run at once.
//!
//! Alone, a transfer that fits is done (exit 0), a whole balance may be moved, one
//! that does not fit is refused (3) and an unknown account is refused (4), each
//! refusal changing nothing. Then the race is made certain rather than left to luck:
//! the grader locks every account row itself (`SELECT … FOR UPDATE` in a transaction
//! of its own), starts six transfers that together overdraw one account, waits until
//! each one is blocked on a lock (or has ended), and only then commits. A transfer
//! that read its balance without locking the row read it before any other transfer
//! wrote, so unsafe programs all act on the same old balances, every time: a balance
//! goes negative or an update is lost. A transfer that locks before it reads waits,
//! and sees each committed result in turn. Money must be conserved, no balance may go
//! below zero, and the balances must be exactly the start plus the transfers that
//! reported success. Then two transfers in opposite directions between the same two
//! accounts are made to meet the same way (both blocked on the grader's locks, then
//! released at once): a program that locks the two rows in the order of its
//! arguments deadlocks every time, one that locks them in id order never does. Last,
//! six transfers that all fit run side by side.

use std::collections::BTreeMap;
use std::thread;
use std::time::{Duration, Instant};

use mysql::prelude::Queryable as _;
use mysql::Conn;

use super::expect::{describe_lines, failed_cleanly, finished_ok};
use super::{evidence, Check, Context, Failure, Planted, Planting, Problem, Run};
use crate::runner::{Background, Exit, RunOutput};
use crate::wire::Recording;

/// The check of `07_transactions`.
pub struct Transactions;

/// The table the program works on, as the task describes it.
const SCHEMA: &str = "CREATE TABLE accounts (
    id INT UNSIGNED NOT NULL PRIMARY KEY,
    owner VARCHAR(100) NOT NULL,
    balance_cents BIGINT NOT NULL
) ENGINE = InnoDB";

const OWNERS: [&str; 8] = ["Ana", "Björn", "Chloé", "Dmitri", "Eun-ji", "Farah", "Giulia", "Iñaki"];

/// Accounts planted.
const ACCOUNTS: usize = 4;

/// Transfers in the batch that runs side by side without the grader's lock.
const SIDE_BY_SIDE: usize = 6;

/// Transfers out of one account in the contended batch.
const CONTENDED: usize = 6;

/// How long the grader waits for every contended transfer to block on its lock.
const BLOCKED_WITHIN: Duration = Duration::from_secs(5);

/// How often the grader looks again while it waits for programs to end.
const POLL: Duration = Duration::from_millis(5);

/// How often it asks the server which transactions wait for a lock. InnoDB renews
/// what `information_schema.INNODB_TRX` shows only when it was last read more than
/// 0.1 s ago, so asking more often would see the same old answer forever.
const TRX_POLL: Duration = Duration::from_millis(150);

/// The exit codes the task gives each outcome.
const REFUSED: i32 = 3;
const NO_SUCH_ACCOUNT: i32 = 4;

/// Balances in cents, by account id.
type Balances = BTreeMap<u32, i64>;

/// One run of the program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Transfer {
    from: u32,
    to: u32,
    amount: i64,
}

impl Transfer {
    fn args(&self) -> Vec<String> {
        vec![self.from.to_string(), self.to.to_string(), self.amount.to_string()]
    }

    /// "12.34 from account 7 to account 9"
    fn describe(&self) -> String {
        format!("{} from account {} to account {}", money(self.amount), self.from, self.to)
    }

    fn apply(&self, balances: &mut Balances) {
        *balances.entry(self.from).or_default() -= self.amount;
        *balances.entry(self.to).or_default() += self.amount;
    }
}

/// Creates the accounts table with [`ACCOUNTS`] accounts at nothing, and returns
/// their ids.
fn plant_accounts(admin: &mut Conn, rng: &mut fastrand::Rng) -> mysql::Result<Vec<u32>> {
    admin.query_drop(SCHEMA)?;
    let first_id = rng.u32(1..1000);
    let ids: Vec<u32> = (0..ACCOUNTS)
        .scan(first_id, |next, _| {
            let id = *next;
            *next += rng.u32(1..4);
            Some(id)
        })
        .collect();
    admin.exec_batch(
        "INSERT INTO accounts (id, owner, balance_cents) VALUES (?, ?, 0)",
        ids.iter().map(|id| (id, OWNERS[rng.usize(..OWNERS.len())])),
    )?;
    Ok(ids)
}

/// `grader sandbox 07`: the accounts with the balances the check's first transfers
/// start from.
pub(super) fn plant_by_hand(planting: &mut Planting<'_, '_>) -> anyhow::Result<Planted> {
    let mut admin = planting.admin()?;
    let ids = plant_accounts(&mut admin, planting.rng)?;
    let balances = fresh_balances(&mut admin, planting.rng, &ids)?;
    let (from, to) = (ids[0], ids[1]);
    let too_much = balances[&from] + 1;
    Ok(Planted {
        holds: format!(
            "a table accounts: {}",
            balances
                .iter()
                .map(|(id, cents)| format!("{id} with {}", money(*cents)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        runs: vec![
            Run::new(Transfer { from, to, amount: 100 }.args(), "moves 1.00: exit code 0"),
            Run::new(
                Transfer { from, to, amount: too_much }.args(),
                "more than the balance: exit code 3, nothing changed",
            ),
        ],
    })
}

impl Check for Transactions {
    fn run(&self, cx: &mut Context<'_>) -> Result<(), Problem> {
        let mut admin = Conn::new(cx.server.admin.opts(Some(&cx.sandbox.database)))?;
        let ids = plant_accounts(&mut admin, &mut cx.rng)?;

        let alone = check_alone(cx, &mut admin, &ids)?;
        check_contended(cx, &mut admin, &ids)?;
        check_crossed(cx, &mut admin, &ids)?;
        check_side_by_side(cx, &mut admin, &ids)?;
        alone.judge()
    }
}

/// What the transfers made one at a time sent, for the verdict on their
/// transactions (given last, after what the balances show).
struct Alone {
    /// A transfer that went through, and its recording.
    moved: (String, Recording),
    /// Refused transfers, and their recordings.
    refused: Vec<(String, Recording)>,
}

impl Alone {
    /// A transfer must commit once; a refused one must commit nothing.
    fn judge(&self) -> Result<(), Problem> {
        let (what, recording) = &self.moved;
        if let Some(failure) = evidence::Transactions::of(recording).committed_once("07", what) {
            return Err(failure.into());
        }
        for (what, recording) in &self.refused {
            if let Some(failure) = evidence::Transactions::of(recording).rolled_back("07", what) {
                return Err(failure.into());
            }
        }
        Ok(())
    }
}

/// Transfers one at a time: one that fits, a whole balance, one that does not fit,
/// and one with an unknown account.
fn check_alone(cx: &mut Context<'_>, admin: &mut Conn, ids: &[u32]) -> Result<Alone, Problem> {
    let mut balances = fresh_balances(admin, &mut cx.rng, ids)?;
    let (from, to) = two_accounts(&mut cx.rng, ids);
    let fits = Transfer { from, to, amount: cx.rng.i64(1..balances[&from]) };
    let run = cx.run(&fits.args())?;
    let moved = (format!("moving {}", fits.describe()), cx.last_wire());
    finished_ok(&run, &format!("alone, to move {}", fits.describe()))?;
    fits.apply(&mut balances);
    expect_balances(admin, &balances, &format!("moving {}", fits.describe()))?;

    let (from, to) = two_accounts(&mut cx.rng, ids);
    let whole = Transfer { from, to, amount: balances[&from] };
    let run = cx.run(&whole.args())?;
    let what = format!("alone, to move {}: the account's whole balance", whole.describe());
    finished_ok(&run, &what)?;
    whole.apply(&mut balances);
    expect_balances(admin, &balances, &format!("moving {}", whole.describe()))?;

    let (from, to) = two_accounts(&mut cx.rng, ids);
    let too_much = Transfer { from, to, amount: balances[&from] + cx.rng.i64(1..=10_000) };
    let what =
        format!("to move {}, which has only {}", too_much.describe(), money(balances[&from]));
    let run = expect_refusal(cx, admin, &balances, too_much, &what, REFUSED, "InsufficientFunds")?;
    told_the_balance(&run, balances[&from], &what)?;
    let mut refused = vec![(format!("when asked {what}"), cx.last_wire())];

    // An unknown payer, then an unknown payee: both must be refused, every run. The
    // known account is the richest, so that only the unknown one can be the reason.
    let known = balances.iter().max_by_key(|(_, balance)| **balance).map_or(ids[0], |(id, _)| *id);
    let unknown = ids.iter().max().copied().unwrap_or_default() + cx.rng.u32(1..100);
    for (from, to, which) in [(unknown, known, "paying"), (known, unknown, "receiving")] {
        let stray = Transfer { from, to, amount: cx.rng.i64(1..=1_000) };
        let what = format!(
            "to move {}, and the {which} account {unknown} does not exist",
            stray.describe()
        );
        expect_refusal(cx, admin, &balances, stray, &what, NO_SUCH_ACCOUNT, "NoSuchAccount")?;
        refused.push((format!("when asked {what}"), cx.last_wire()));
    }
    Ok(Alone { moved, refused })
}

/// A transfer that must be refused with `code`, leaving every balance as it was.
fn expect_refusal(
    cx: &mut Context<'_>,
    admin: &mut Conn,
    balances: &Balances,
    transfer: Transfer,
    what: &str,
    code: i32,
    variant: &str,
) -> Result<RunOutput, Problem> {
    let run = cx.run(&transfer.args())?;
    if run.exit == Exit::Code(0) && run.panic().is_none() {
        return Err(Failure::new(
            format!("your program reported success when run {what}"),
            format!(
                "refuse with TransferError::{variant} (exit code {code}); an UPDATE of a row that does not exist, or \
                 one that leaves a balance below zero, raises no error by itself: check what the locked read found"
            ),
        )
        .got(format!("on stdout, {}", describe_lines(&run.stdout.text, run.stdout.was_cut())))
        .into());
    }
    failed_cleanly(&run, what)?;
    if run.exit != Exit::Code(code) {
        return Err(Failure::new(
            format!(
                "your program ended with {} when run {what}, not with code {code}",
                ending(&run)
            ),
            format!("return TransferError::{variant}; main turns it into exit code {code}"),
        )
        .got(format!("on stderr, {}", describe_lines(&run.stderr.text, run.stderr.was_cut())))
        .into());
    }
    expect_balances(admin, balances, &format!("a refused transfer ({what})"))?;
    Ok(run)
}

/// A refusal for want of money must say how much the paying account really has.
fn told_the_balance(run: &RunOutput, balance: i64, what: &str) -> Result<(), Problem> {
    let told = format!("has {balance} cents");
    if run.stderr.text.contains(&told) {
        return Ok(());
    }
    Err(Failure::new(
        format!("your program refused when run {what}, but did not report the account's balance"),
        "put the balance you read from the locked row into InsufficientFunds { balance }: main prints it",
    )
    .expected(format!("on stderr, insufficient funds: the paying account {told}"))
    .got(format!("on stderr, {}", describe_lines(&run.stderr.text, run.stderr.was_cut())))
    .into())
}

/// Two transfers in opposite directions between the same two accounts, released
/// onto each other: the grader locks both rows, starts both transfers, waits until
/// each is blocked, and commits. Each has then taken its first lock before asking for
/// its second, so locking in the order of the arguments deadlocks every time.
fn check_crossed(cx: &mut Context<'_>, admin: &mut Conn, ids: &[u32]) -> Result<(), Problem> {
    let mut balances = fresh_balances(admin, &mut cx.rng, ids)?;
    let (a, b) = two_accounts(&mut cx.rng, ids);
    let crossed = [
        Transfer { from: a, to: b, amount: cx.rng.i64(1..=balances[&a] / 2) },
        Transfer { from: b, to: a, amount: cx.rng.i64(1..=balances[&b] / 2) },
    ];
    let runs = released_at_once(cx, &crossed, &[a, b])?;
    for (transfer, run) in crossed.iter().zip(&runs) {
        let what = format!(
            "at the same moment as a transfer the other way, to move {}",
            transfer.describe()
        );
        finished_ok(run, &what).map_err(|problem| hint_at_deadlock(problem, run))?;
        transfer.apply(&mut balances);
    }
    expect_balances(admin, &balances, "two transfers in opposite directions at once")
}

/// Six transfers side by side, each covered by its balance whatever the order.
fn check_side_by_side(cx: &mut Context<'_>, admin: &mut Conn, ids: &[u32]) -> Result<(), Problem> {
    let mut balances = fresh_balances(admin, &mut cx.rng, ids)?;
    let mut left = balances.clone();
    let transfers: Vec<Transfer> = (0..SIDE_BY_SIDE)
        .map(|_| {
            let (from, to) = two_accounts(&mut cx.rng, ids);
            let amount = cx.rng.i64(1..=left[&from] / SIDE_BY_SIDE as i64);
            *left.entry(from).or_default() -= amount;
            Transfer { from, to, amount }
        })
        .collect();
    let runs = cx.run_concurrently(&transfers.iter().map(Transfer::args).collect::<Vec<_>>())?;
    for (transfer, run) in transfers.iter().zip(&runs) {
        let what = format!(
            "side by side with {} other transfers that all fit, to move {}",
            SIDE_BY_SIDE - 1,
            transfer.describe()
        );
        finished_ok(run, &what).map_err(|problem| hint_at_deadlock(problem, run))?;
        transfer.apply(&mut balances);
    }
    expect_balances(admin, &balances, &format!("{SIDE_BY_SIDE} transfers side by side"))
}

/// Six transfers released at once onto the same old balances; together they would
/// overdraw one account, so some must be refused.
fn check_contended(cx: &mut Context<'_>, admin: &mut Conn, ids: &[u32]) -> Result<(), Problem> {
    let start = fresh_balances(admin, &mut cx.rng, ids)?;
    let transfers = overdrawing_transfers(&mut cx.rng, ids, &start);

    let runs = released_at_once(cx, &transfers, ids)?;

    let count = transfers.len();
    let mut expected = start.clone();
    for (transfer, run) in transfers.iter().zip(&runs) {
        if run.exit == Exit::Code(0) {
            transfer.apply(&mut expected);
        } else if run.exit != Exit::Code(REFUSED) {
            let what = format!(
                "with {} other transfers at once, to move {}",
                count - 1,
                transfer.describe()
            );
            finished_ok(run, &what).map_err(|problem| hint_at_deadlock(problem, run))?;
        }
    }
    let done = runs.iter().filter(|run| run.exit == Exit::Code(0)).count();
    let got = balances(admin)?;
    judge_race(&start, &expected, &got, count, done).map_err(Problem::from)
}

/// Money conserved, nothing negative, and exactly the reported transfers applied.
fn judge_race(
    start: &Balances,
    expected: &Balances,
    got: &Balances,
    count: usize,
    done: usize,
) -> Result<(), Failure> {
    let when = format!("when {count} transfers ran at once ({done} reported success)");
    let lock_first = "in the transaction, lock both rows with SELECT … FOR UPDATE before you read \
                      the balance: a second transfer then waits until the first has committed";
    if let Some((id, balance)) = got.iter().find(|(_, balance)| **balance < 0) {
        return Err(Failure::new(
            format!(
                "{when}, account {id} ended with a negative balance, {}: several transfers read the same old balance and each thought it was enough",
                money(*balance)
            ),
            lock_first,
        )
        .expected("every balance at 0.00 or more")
        .got(describe_balances(got)));
    }
    let (before, after) = (total(start), total(got));
    if before != after {
        return Err(Failure::new(
            format!(
                "{when}, the total changed from {} to {}: money appeared or vanished, so an update was lost",
                money(before),
                money(after)
            ),
            format!(
                "{lock_first}; and let the server do the sums (SET balance_cents = balance_cents - ?)"
            ),
        )
        .expected(format!("a total of {}, as before", money(before)))
        .got(format!("{}: a total of {}", describe_balances(got), money(after))));
    }
    if got != expected {
        return Err(Failure::new(
            format!("{when}, the balances do not match the transfers that reported success"),
            format!("{lock_first}; a refused transfer must change nothing"),
        )
        .expected(format!(
            "the starting balances plus the {done} transfers that reported success: {}",
            describe_balances(expected)
        ))
        .got(describe_balances(got)));
    }
    Ok(())
}

/// Transfers out of one account to the others, each between 30 % and 45 % of its
/// starting balance: each one fits, but at most three of them together do. A
/// program that checks old balances lets all of them through, and then that account
/// ends below zero (if it subtracts) or with a value no sequence of them explains
/// (if it writes back what it computed). All of them take from the same account, so
/// even programs that lock rows in a careless order cannot deadlock here: the race
/// shows itself the same way every time.
fn overdrawing_transfers(rng: &mut fastrand::Rng, ids: &[u32], start: &Balances) -> Vec<Transfer> {
    let hot = ids[rng.usize(..ids.len())];
    let others: Vec<u32> = ids.iter().copied().filter(|id| *id != hot).collect();
    let hot_balance = start[&hot];
    (0..CONTENDED)
        .map(|_| Transfer {
            from: hot,
            to: others[rng.usize(..others.len())],
            amount: rng.i64(hot_balance * 30 / 100..=hot_balance * 45 / 100),
        })
        .collect()
}

/// Runs `transfers` onto the rows of `locked`, which the grader holds locked until
/// every transfer waits for a lock (or has ended), then releases all at once.
fn released_at_once(
    cx: &mut Context<'_>,
    transfers: &[Transfer],
    locked: &[u32],
) -> Result<Vec<RunOutput>, Problem> {
    let mut lock = Conn::new(cx.server.admin.opts(Some(&cx.sandbox.database)))?;
    lock.query_drop("START TRANSACTION")?;
    let list = locked.iter().map(u32::to_string).collect::<Vec<_>>().join(", ");
    let _locked: Vec<u32> =
        lock.query(format!("SELECT id FROM accounts WHERE id IN ({list}) ORDER BY id FOR UPDATE"))?;
    let mut running = Vec::with_capacity(transfers.len());
    for transfer in transfers {
        running.push(cx.spawn(&transfer.args(), &[])?);
    }
    wait_until_blocked(cx, &mut running)?;
    lock.query_drop("COMMIT")?;
    Ok(wait_for_all(cx, running))
}

/// Waits until every started transfer is waiting for a lock or has ended (at most
/// [`BLOCKED_WITHIN`]).
fn wait_until_blocked(cx: &mut Context<'_>, running: &mut [Background]) -> Result<(), Problem> {
    let mut admin = cx.server.admin_conn()?;
    let deadline = Instant::now() + BLOCKED_WITHIN;
    loop {
        let ended = running.iter_mut().filter_map(Background::exit).count();
        let blocked: u64 = admin
            .exec_first(
                "SELECT COUNT(*) FROM information_schema.INNODB_TRX t
                 JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id
                 WHERE p.USER = ? AND t.trx_state = 'LOCK WAIT'",
                (&cx.sandbox.user,),
            )?
            .unwrap_or_default();
        if ended + blocked as usize >= running.len() || Instant::now() >= deadline {
            return Ok(());
        }
        thread::sleep(TRX_POLL);
    }
}

/// Waits for every transfer to end (each within the time limit), then collects them.
fn wait_for_all(cx: &mut Context<'_>, mut running: Vec<Background>) -> Vec<RunOutput> {
    let deadline = Instant::now() + cx.limits().timeout;
    while Instant::now() < deadline && running.iter_mut().any(|run| run.exit().is_none()) {
        thread::sleep(POLL);
    }
    let runs: Vec<RunOutput> = running.into_iter().map(Background::stop).collect();
    cx.add_program_time(runs.iter().map(|run| run.elapsed).max().unwrap_or_default());
    runs
}

/// Adds the next step for a transfer that died of a deadlock or a lock wait.
fn hint_at_deadlock(problem: Problem, run: &RunOutput) -> Problem {
    let stderr = &run.stderr.text;
    let Problem::Failed(failure) = problem else { return problem };
    let next = if stderr.contains("1213") {
        "two transfers each held a lock the other wanted: lock both rows in one statement, \
         in id order (WHERE id IN (?, ?) ORDER BY id FOR UPDATE), so every transfer takes \
         its locks in the same order"
    } else if stderr.contains("1205") {
        "a transfer waited too long for a lock: commit or roll back as soon as you can, \
         and never leave a transaction open"
    } else {
        return Problem::Failed(failure);
    };
    Problem::Failed(Failure { next: next.to_string(), ..failure })
}

/// Gives every account a new random balance (50.00 to 500.00) and returns them.
fn fresh_balances(
    admin: &mut Conn,
    rng: &mut fastrand::Rng,
    ids: &[u32],
) -> mysql::Result<Balances> {
    let fresh: Balances = ids.iter().map(|&id| (id, rng.i64(5_000..=50_000))).collect();
    admin.exec_batch(
        "UPDATE accounts SET balance_cents = ? WHERE id = ?",
        fresh.iter().map(|(id, balance)| (balance, id)),
    )?;
    Ok(fresh)
}

fn balances(admin: &mut Conn) -> mysql::Result<Balances> {
    Ok(admin
        .query::<(u32, i64), _>("SELECT id, balance_cents FROM accounts ORDER BY id")?
        .into_iter()
        .collect())
}

/// The balances must be `expected` after `what`.
fn expect_balances(admin: &mut Conn, expected: &Balances, what: &str) -> Result<(), Problem> {
    let got = balances(admin)?;
    if &got == expected {
        return Ok(());
    }
    Err(Failure::new(
        format!("after {what}, the balances are not what they should be"),
        "take the amount from one account and add it to the other, in one transaction, \
         and change nothing when you refuse",
    )
    .expected(describe_balances(expected))
    .got(describe_balances(&got))
    .into())
}

fn two_accounts(rng: &mut fastrand::Rng, ids: &[u32]) -> (u32, u32) {
    let from = rng.usize(..ids.len());
    let to = (from + rng.usize(1..ids.len())) % ids.len();
    (ids[from], ids[to])
}

fn total(balances: &Balances) -> i64 {
    balances.values().sum()
}

/// "account 7: 12.34, account 9: 0.50"
fn describe_balances(balances: &Balances) -> String {
    let accounts: Vec<String> =
        balances.iter().map(|(id, cents)| format!("account {id}: {}", money(*cents))).collect();
    accounts.join(", ")
}

/// Cents as money: `-1205` → `"-12.05"`.
fn money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", cents.unsigned_abs() / 100, cents.unsigned_abs() % 100)
}

fn ending(run: &RunOutput) -> String {
    match run.exit {
        Exit::Code(code) => format!("code {code}"),
        Exit::Signal(signal) => format!("signal {signal}"),
        Exit::TimedOut => "the time limit".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_prints_like_a_decimal() {
        assert_eq!(money(0), "0.00");
        assert_eq!(money(1205), "12.05");
        assert_eq!(money(-1205), "-12.05");
        assert_eq!(money(-5), "-0.05");
    }

    #[test]
    fn the_contended_transfers_overdraw_only_when_all_go_through() {
        for seed in 0..50 {
            let mut rng = fastrand::Rng::with_seed(seed);
            let ids = [3, 5, 8, 9];
            let start: Balances = ids.iter().map(|&id| (id, rng.i64(5_000..=50_000))).collect();
            let transfers = overdrawing_transfers(&mut rng, &ids, &start);
            assert_eq!(transfers.len(), CONTENDED);
            // Each one fits the starting balance, so stale reads let all through...
            assert!(transfers.iter().all(|t| t.amount >= 1 && t.amount <= start[&t.from]));
            // ...and all of them together leave an account below zero.
            let mut all = start.clone();
            transfers.iter().for_each(|t| t.apply(&mut all));
            assert!(all.values().any(|balance| *balance < 0), "seed {seed}: {all:?}");
        }
    }

    #[test]
    fn a_race_is_told_by_its_symptom() {
        let start: Balances = [(1, 100), (2, 100)].into();
        let after_one: Balances = [(1, 60), (2, 140)].into();
        assert!(judge_race(&start, &after_one, &after_one, 8, 1).is_ok());
        let negative = judge_race(&start, &after_one, &[(1, -20), (2, 220)].into(), 8, 3);
        assert!(negative.unwrap_err().summary.contains("negative balance, -0.20"));
        let lost = judge_race(&start, &after_one, &[(1, 60), (2, 180)].into(), 8, 2);
        assert!(lost.unwrap_err().summary.contains("the total changed from 2.00 to 2.40"));
        let wrong = judge_race(&start, &after_one, &[(1, 20), (2, 180)].into(), 8, 1);
        assert!(wrong.unwrap_err().summary.contains("do not match the transfers"));
    }
}
