//! The report as one JSON document on stdout (`--format json`).

use super::Report;

/// The report as pretty-printed JSON, with a final newline.
pub fn render(report: &Report) -> String {
    let mut text = serde_json::to_string_pretty(report).expect("a report always serialises");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample;

    #[test]
    fn follows_the_documented_schema() {
        let value: serde_json::Value = serde_json::from_str(&render(&sample::report())).unwrap();
        assert_eq!(value["schema_version"], 1);
        assert_eq!(value["seed"], 42);
        assert_eq!(value["track"], "exercises");
        assert_eq!(value["backend"], "local");
        assert_eq!(value["server_version"], "10.11.6-MariaDB");
        assert_eq!(value["timings"]["server_start_ms"], 640);
        assert_eq!(value["timings"]["build_ms"], 300);
        assert_eq!(value["timings"]["checks_ms"], 250);
        let exercises = value["exercises"].as_array().unwrap();
        let mut keys: Vec<&str> =
            exercises[1].as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["duration_ms", "message", "name", "next_step", "status", "title"]);
        assert_eq!(exercises[0]["status"], "passed");
        assert_eq!(exercises[0]["message"], serde_json::Value::Null);
        assert_eq!(exercises[1]["status"], "failed");
        assert_eq!(exercises[2]["status"], "not_implemented");
        assert_eq!(exercises[2]["duration_ms"], 120);
    }
}
