//! The report as JUnit XML (`--format junit`, and each submission's file in a
//! gradebook): one `<testsuite>` with a `<testcase>` per exercise, written by hand
//! (the handful of elements does not call for an XML library), every text escaped.

use std::fmt::Write as _;

use super::{earned, points_of, Report};
use crate::course::Course;
use crate::grade::Status;

/// The report as one JUnit document, its suite named `suite`, with each exercise's
/// points from `course` as properties of its test case.
pub fn render(report: &Report, course: &Course, suite: &str) -> String {
    let count = |status: &[Status]| {
        report.exercises.iter().filter(|result| status.contains(&result.status)).count()
    };
    let failures = count(&[Status::Failed, Status::NotImplemented, Status::CompileError]);
    let total_time: f64 = report.exercises.iter().map(|r| r.duration.as_secs_f64()).sum();
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml,
        "<testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"{}\" skipped=\"{}\" time=\"{total_time:.3}\">",
        escape(suite),
        report.exercises.len(),
        count(&[Status::Error]),
        count(&[Status::Skipped]),
    );
    xml.push_str("  <properties>\n");
    let _ = writeln!(xml, "    <property name=\"seed\" value=\"{}\"/>", report.seed);
    let _ = writeln!(xml, "    <property name=\"backend\" value=\"{}\"/>", report.backend);
    xml.push_str("  </properties>\n");
    for result in &report.exercises {
        let (points, score) = (points_of(course, &result.name), earned(course, result));
        let _ = writeln!(
            xml,
            "  <testcase name=\"{}\" classname=\"{}\" time=\"{:.3}\">",
            escape(&result.name),
            escape(&result.title),
            result.duration.as_secs_f64()
        );
        let _ = writeln!(
            xml,
            "    <properties>\n      <property name=\"points\" value=\"{points}\"/>\n      \
             <property name=\"score\" value=\"{score}\"/>\n    </properties>"
        );
        let message = result.message.as_deref().unwrap_or_default();
        let first_line = message.lines().next().unwrap_or_default();
        let body = result.explanation();
        let kind = result.status.word();
        let element = match result.status {
            Status::Passed => None,
            Status::Skipped => {
                let _ = writeln!(xml, "    <skipped message=\"{}\"/>", escape(first_line));
                None
            }
            Status::Error => Some("error"),
            Status::Failed | Status::NotImplemented | Status::CompileError => Some("failure"),
        };
        if let Some(element) = element {
            let _ = writeln!(
                xml,
                "    <{element} message=\"{}\" type=\"{kind}\">{}</{element}>",
                escape(first_line),
                escape(&body)
            );
        }
        xml.push_str("  </testcase>\n");
    }
    xml.push_str("</testsuite>\n");
    xml
}

/// `text` as XML character data or an attribute's value: the five special
/// characters as entities, and the control characters XML 1.0 cannot hold (a
/// program's output may have them) as U+FFFD.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' | '\t' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample;

    #[test]
    fn one_testcase_per_exercise_with_its_failure() {
        let course = sample::course();
        let xml = render(&sample::report(), &course, "exercises");
        let expected = "\
<?xml version=\"1.0\" encoding=\"UTF-8\"?>
<testsuite name=\"exercises\" tests=\"3\" failures=\"2\" errors=\"0\" skipped=\"0\" time=\"0.360\">
  <properties>
    <property name=\"seed\" value=\"42\"/>
    <property name=\"backend\" value=\"local\"/>
  </properties>
  <testcase name=\"01_connect\" classname=\"Title of 01_connect\" time=\"0.120\">
    <properties>
      <property name=\"points\" value=\"5\"/>
      <property name=\"score\" value=\"5\"/>
    </properties>
  </testcase>
  <testcase name=\"02_show_databases\" classname=\"Title of 02_show_databases\" time=\"0.120\">
    <properties>
      <property name=\"points\" value=\"3\"/>
      <property name=\"score\" value=\"0\"/>
    </properties>
    <failure message=\"your program left out gr02_x_orders12\" type=\"failed\">your program left out gr02_x_orders12
expected: 2 lines: a, b
got: 1 line: &quot;a&quot;
→ print every row</failure>
  </testcase>
  <testcase name=\"03_x\" classname=\"Title of 03_x\" time=\"0.120\">
    <properties>
      <property name=\"points\" value=\"1\"/>
      <property name=\"score\" value=\"0\"/>
    </properties>
    <failure message=\"not implemented yet (exercises/03_x/src/lib.rs:9)\" type=\"not_implemented\">not implemented yet (exercises/03_x/src/lib.rs:9)
→ replace the todo!()</failure>
  </testcase>
</testsuite>
";
        assert_eq!(xml, expected);
    }

    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(escape("a<b>&\"c'\u{1b}[31m\n"), "a&lt;b&gt;&amp;&quot;c&apos;\u{FFFD}[31m\n");
    }
}
