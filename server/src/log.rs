//! The service's log: one JSON object per line on standard error, one line
//! per request (with its request ID, the one its answer carries) and per
//! service event. Key material never reaches it: a request line holds the
//! method, the path without its query string, the API, the action, the
//! status and the error code.

use std::io::Write as _;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};

/// Where log lines go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Log {
    /// JSON Lines on standard error.
    #[default]
    Stderr,
    /// Nowhere.
    Off,
}

impl Log {
    /// Writes one event: `ts` (seconds since the Unix epoch, to the
    /// millisecond) and `event`, then `fields`.
    ///
    /// ```
    /// keyvet_server::Log::Off.event("listening", [("address", "127.0.0.1:8080".into())]);
    /// ```
    pub fn event(self, event: &str, fields: impl IntoIterator<Item = (&'static str, Value)>) {
        if self == Log::Off {
            return;
        }
        let ts = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0.0, |d| (d.as_millis() as f64) / 1000.0);
        let mut line = Map::new();
        line.insert("ts".into(), ts.into());
        line.insert("event".into(), event.into());
        for (k, v) in fields {
            line.insert(k.into(), v);
        }
        let mut text = Value::Object(line).to_string();
        text.push('\n');
        // One write per line: lines of concurrent requests never mix. A
        // closed standard error loses the log, not the service.
        let _ = std::io::stderr().lock().write_all(text.as_bytes());
    }
}
