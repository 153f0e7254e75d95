//! Spinners on stderr while a server starts or code builds; nothing at all when
//! stderr is not a terminal or the report is JSON. (The learner's progress through
//! the course is another thing: [`crate::state::Progress`].)

use std::borrow::Cow;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

use crate::output;
use crate::server::Narrator;

/// Where spinners are drawn, if anywhere.
#[derive(Debug, Clone)]
pub struct Spinners {
    multi: Option<MultiProgress>,
}

/// One spinner; it disappears when dropped.
#[derive(Debug)]
pub struct Spinner(Option<ProgressBar>);

impl Spinners {
    /// Spinners drawn when `enabled`, else none.
    pub fn new(enabled: bool) -> Spinners {
        Spinners { multi: enabled.then(MultiProgress::new) }
    }

    /// A spinner with `message` beside it, until dropped.
    pub fn spinner(&self, message: impl Into<Cow<'static, str>>) -> Spinner {
        Spinner(self.multi.as_ref().map(|multi| {
            let bar = multi.add(ProgressBar::new_spinner());
            bar.set_style(
                ProgressStyle::with_template("{spinner:.cyan} {msg} {elapsed:.dim}")
                    .expect("valid template"),
            );
            bar.set_message(message);
            bar.enable_steady_tick(Duration::from_millis(100));
            bar
        }))
    }
}

impl Spinner {
    /// Changes the text beside the spinner.
    pub fn set_message(&self, message: impl Into<Cow<'static, str>>) {
        if let Some(bar) = &self.0 {
            bar.set_message(message);
        }
    }
}

/// A spinner tells a server's start: its steps beside it, its notes above it.
impl Narrator for Spinner {
    fn step(&self, text: String) {
        self.set_message(text);
    }

    fn note(&self, text: String) {
        match &self.0 {
            Some(bar) => bar.suspend(|| output::notice(text)),
            None => output::notice(text),
        }
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        if let Some(bar) = self.0.take() {
            bar.finish_and_clear();
        }
    }
}
