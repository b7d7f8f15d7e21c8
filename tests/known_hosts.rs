//! known_hosts: the two readings agree. `lookup` (what `ssh-keygen -F`
//! prints) and `HostLine::matches` (what a parsed line says) give the same
//! answer for every line that parses, for random host fields, markers and
//! hosts; and no input makes either panic.

use keyvet::known_hosts::{HostLine, Lookup, lookup};
use proptest::prelude::*;

const KEY: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN26lGK9sPKZNH3Q5d1Mp/oI/V+Sj9sgMwdh85CkH5Iy";

fn pattern() -> impl Strategy<Value = String> {
    prop_oneof![
        "!?[a-cA-C.*?]{0,6}",
        "!?\\[[a-c.]{1,4}\\]:[0-9*]{1,4}",
        Just("|1|2cEaqtjt554O38z68Yv0gUec6pQ=|LPzWHVyk777IfZF0wQX22rWAJ2Y=".to_string()),
    ]
}

fn host() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-cA-C.]{0,6}",
        "\\[[a-c.]{1,4}\\]:[0-9]{1,4}",
        Just("github.com".to_string())
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn lookup_and_matches_agree(
        marker in prop_oneof![Just(""), Just("@cert-authority "), Just("@revoked ")],
        pats in prop::collection::vec(pattern(), 1..4),
        host in host(),
    ) {
        let line = format!("{marker}{} {KEY} c", pats.join(","));
        let found = matches!(lookup(line.as_bytes(), &host), Lookup::Found(_));
        if let Ok(parsed) = HostLine::parse(line.as_bytes()) {
            prop_assert_eq!(found, parsed.matches(&host), "{}", line);
        } else {
            prop_assert!(!found, "{}", line);
        }
    }

    #[test]
    fn no_input_panics(line in prop::collection::vec(any::<u8>(), 0..200), host in host()) {
        let _ = lookup(&line, &host);
        if let Ok(l) = HostLine::parse(&line) {
            let _ = l.lint();
            let _ = l.matches(&host);
        }
    }
}
