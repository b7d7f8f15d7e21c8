//! authorized_keys option strings, alone and inside a line.
#![no_main]
use keyvet::line::Options;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for in_line in [false, true] {
        if let Ok(o) = Options::parse(data, in_line) {
            for opt in o.iter() {
                if let Some(v) = opt.value {
                    let _ = v.to_string_lossy();
                }
            }
        }
    }
});
