//! One known_hosts line: parsed, linted, matched against hosts (hashed
//! hosts included), looked up as `ssh-keygen -F` does, and checked. The
//! first byte picks the host name asked about.
use keyvet::known_hosts::{self, HostLine};
use keyvet::{Checker, policy};

const HOSTS: [&str; 4] = ["github.com", "[host.example]:2222", "10.0.0.7", ""];

/// One input: no panic, and the properties above.
pub fn run(data: &[u8]) {
    let Some((&pick, line)) = data.split_first() else {
        return;
    };
    let host = HOSTS[usize::from(pick) % HOSTS.len()];
    let _ = known_hosts::lookup(line, host);
    if let Ok(l) = HostLine::parse(line) {
        let _ = l.lint();
        let _ = l.matches(host);
        let _ = l.patterns().count();
    }
    let _ = known_hosts::match_host_list(host, line);
    let _ = Checker::new(policy::STRICT).check_host_line(line);
}
