//! authorized_keys option strings, alone and inside a line.
use keyvet::line::Options;

/// One input: no panic, and the properties above.
pub fn run(data: &[u8]) {
    for in_line in [false, true] {
        if let Ok(o) = Options::parse(data, in_line) {
            for opt in o.iter() {
                if let Some(v) = opt.value {
                    let _ = v.to_string_lossy();
                }
            }
        }
    }
}
