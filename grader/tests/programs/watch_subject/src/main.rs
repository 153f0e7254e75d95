//! A right answer to exercise 02, split like an exercise: `answer.rs` is the part the
//! watch-mode test edits, this file is the scaffold it leaves alone.

mod answer;

fn main() -> std::process::ExitCode {
    let url = format!("{}?prefer_socket=false", std::env::var("DATABASE_URL").unwrap_or_default());
    let names = mysql::Opts::from_url(&url)
        .map_err(mysql::Error::from)
        .and_then(mysql::Conn::new)
        .and_then(|mut conn| answer::database_names(&mut conn));
    match names {
        Ok(names) => {
            for name in names {
                println!("{name}");
            }
            std::process::ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
