//! The Prometheus text format of `GET /metrics` (exposition format 0.0.4): one `# HELP` and
//! `# TYPE` per metric, then its samples, label values escaped.
//!
//! ```
//! use kickwire_cli::relay::metrics::Metrics;
//!
//! let mut m = Metrics::default();
//! m.counter("kickwire_events_received_total", "Kick events received, copies included.", &[], 3);
//! m.gauge("kickwire_upstream_connected", "1 while the chat's upstream is connected.", &[("chatroom", "1")], 1);
//! // (Each line of the page below ends with a newline.)
//! let page = m.text();
//! let lines: Vec<&str> = page.lines().collect();
//! assert_eq!(lines, [
//!     "# HELP kickwire_events_received_total Kick events received, copies included.",
//!     "# TYPE kickwire_events_received_total counter",
//!     "kickwire_events_received_total 3",
//!     "# HELP kickwire_upstream_connected 1 while the chat's upstream is connected.",
//!     "# TYPE kickwire_upstream_connected gauge",
//!     r#"kickwire_upstream_connected{chatroom="1"} 1"#,
//! ]);
//! ```

use std::fmt::Write as _;

/// The `Content-Type` of the text.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// A metrics page being written.
#[derive(Debug, Default)]
pub struct Metrics {
    text: String,
    /// The metric whose HELP and TYPE were written last (its further samples follow).
    current: String,
}

impl Metrics {
    /// A sample of a counter (a total that only grows).
    pub fn counter(&mut self, name: &str, help: &str, labels: &[(&str, &str)], value: u64) {
        self.sample(name, "counter", help, labels, value);
    }

    /// A sample of a gauge (a value now).
    pub fn gauge(&mut self, name: &str, help: &str, labels: &[(&str, &str)], value: u64) {
        self.sample(name, "gauge", help, labels, value);
    }

    /// The page.
    #[must_use]
    pub fn text(self) -> String {
        self.text
    }

    fn sample(&mut self, name: &str, kind: &str, help: &str, labels: &[(&str, &str)], value: u64) {
        // Samples of one metric follow its one HELP/TYPE pair.
        if self.current != name {
            let _ = writeln!(self.text, "# HELP {name} {help}");
            let _ = writeln!(self.text, "# TYPE {name} {kind}");
            name.clone_into(&mut self.current);
        }
        self.text.push_str(name);
        if !labels.is_empty() {
            self.text.push('{');
            for (i, (k, v)) in labels.iter().enumerate() {
                if i > 0 {
                    self.text.push(',');
                }
                let _ = write!(self.text, "{k}=\"");
                escape_label(&mut self.text, v);
                self.text.push('"');
            }
            self.text.push('}');
        }
        let _ = writeln!(self.text, " {value}");
    }
}

/// A label value as the format wants it: `\`, `"` and newline escaped.
fn escape_label(out: &mut String, v: &str) {
    for c in v.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
}
