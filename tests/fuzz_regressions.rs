//! Inputs the fuzz targets (fuzz/, see fuzz/README.md) found, kept as byte
//! literals: none may panic, and each gets the verdict written here.
//!
//! To add one: minimise the crash (`cargo +nightly fuzz tmin TARGET FILE`),
//! paste the bytes (`xxd -i FILE`, or an escaped byte string) into a test
//! named after what it exercises, and say which target found it and why it
//! failed.

use keyvet::line::Options;
use keyvet::{Checker, policy};

const KEY: &[u8] = b"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN26lGK9sPKZNH3Q5d1Mp/oI/V+Sj9sgMwdh85CkH5Iy";

/// The options string alone and in a line, under both policies.
fn options_verdict(options: &[u8], code: &str) {
    for in_line in [false, true] {
        let got = Options::parse(options, in_line).map(|_| ()).map_err(|e| e.code());
        assert_eq!(got, Err(code), "Options::parse(in_line = {in_line})");
    }
    let mut line = options.to_vec();
    line.push(b' ');
    line.extend_from_slice(KEY);
    for p in [policy::OPENSSH, policy::STRICT] {
        let got = Checker::new(p).check_line(&line).map(|_| ()).map_err(|e| e.code());
        assert_eq!(got, Err(code), "check_line under {}", p.name);
    }
}

/// Target `options`: an `expiry-time` value ending in a multi-byte UTF-8
/// character. `parse_absolute_time` (src/line/options.rs) looked for a `Z`
/// or `UTC` suffix by slicing the `str` one or three bytes from its end,
/// which is not a char boundary here: "start byte index 1 is not a char
/// boundary; it is inside 'Ԛ'".
#[test]
fn expiry_time_ending_in_a_multibyte_character() {
    // Minimised: the `Z` check (last byte).
    options_verdict(b"expiry-time=\"\xd4\x9a\"", "options.expiry_time.invalid");
    // The `UTC` check (last three bytes).
    options_verdict(b"expiry-time=\"\xd4\x9a00\"", "options.expiry_time.invalid");
    options_verdict(b"expiry-time=\"2030010\xc3\xa9\"", "options.expiry_time.invalid");
    // As the fuzzer found it: refused (which rule speaks first is not the
    // point), without a panic.
    let found: &[u8] =
        b"expiry-time=\"20300101\",expiry-time=\"203xpiry\xd4\x9a\xd4\x9ae=\"203001011\xcb\xcf0Z\"1\xcb\xcf0Z\"";
    for in_line in [false, true] {
        assert!(Options::parse(found, in_line).is_err());
    }
}

/// Target `roundtrip`: a line whose comment ended in a line feed (the input
/// ended in two, and only one is the line's end) was accepted under the
/// openssh policy with the line feed in its comment; written back and
/// parsed again, the comment lost it. A line feed can only end a line:
/// inside one it is refused, as a NUL is, under both policies and by every
/// line reader.
#[test]
fn line_feed_inside_a_line() {
    let mut found = KEY.to_vec();
    found.extend_from_slice(b" grace@thinkpad1\n\n");
    let at = found.len() - 2;
    for p in [policy::OPENSSH, policy::STRICT] {
        let mut v = Checker::new(p);
        let e = v.check_line(&found).map(|_| ()).unwrap_err();
        assert_eq!((e.code(), e.byte()), ("line.newline", Some(at)), "{}", p.name);
        let e = v.check_listing_line(&found).map(|_| ()).unwrap_err();
        assert_eq!(e.code(), "line.newline", "{}", p.name);
        let e = v.check_key_line(&found).map(|_| ()).unwrap_err();
        assert_eq!(e.code(), "line.newline", "{}", p.name);
        // One line feed at the end is the line's end, and a CR LF too.
        assert!(v.check_line(&found[..found.len() - 1]).is_ok());
        let mut crlf = found[..found.len() - 2].to_vec();
        crlf.extend_from_slice(b"\r\n");
        assert!(v.check_line(&crlf).is_ok());
    }
    // Two key lines given as one.
    let mut two = KEY.to_vec();
    two.push(b'\n');
    two.extend_from_slice(KEY);
    assert_eq!(keyvet::Line::parse(&two).unwrap_err().code(), "line.newline");
}

/// Target `parallel`: the events of `par_check` and of `check_into` differed
/// now and then on the same input (7 runs in 40 of the 38,930-byte input:
/// it depended on which worker took which chunk). Only the `Debug` text of
/// an event's findings differed: `Findings` printed its whole inline
/// storage, so a line without findings showed, with `len: 0`, a finding left
/// there by an earlier line checked by the same validator (here a key with
/// the factor 3 rejected for its type name). `Findings` now prints only the
/// findings it holds. The two lines of the input that did it, in order:
#[test]
fn findings_print_only_what_they_hold() {
    let weak: &[u8] = b"ssh-rsa AAAADHJzYS1zaGEyLTI1NgAAAAMBAAEAAAEBAJLziU8ehxvtE+A43cy/Q6BcW1krpik7ULvM7RfDwcaH\
      miJUy6oVofXiDpyiZxTikq23BBAQtgjx9Hdd8YwlRNKKtJBFcQ7j6HtrraNjVDNRH5AdsYpKrBj7qThcF1qdtLwk\
      nVMb365zPtdl8E+aAHFht+MomwDXXdHjsg9wLJT30pdcbxeZWzn4bk8/+q2jUajR6hLbFV1AMGnC1jE7Xi3n5a+D\
      xj+YpxcNuWFRgFzHjWdFfhr/i5Z0pPl/epKkYOnkTRKAUADSDmsvHdettryQpvgYDg4R3V7GFh9hRy4LjNDfD6Kf\
      xyfZUrdu1mngjnhA/Xddy81Ymq77u8v3uBM= deploy@ci-runner-3";
    let wrapped: &[u8] = b"b3BlbnNzaC1rcXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAAB";
    let mut v = Checker::new(policy::STRICT);
    let e = v.check_line(weak).unwrap_err();
    assert_eq!(e.code(), "blob.type.noncanonical");
    let ids: Vec<&str> = v.last_findings().iter().map(|f| f.check.id()).collect();
    assert_eq!(ids, ["weak.rsa.small_factor"]);
    assert!(format!("{:?}", v.last_findings()).contains("RsaSmallFactor"));
    let e = v.check_line(wrapped).unwrap_err();
    assert_eq!(e.code(), "line.wrapped");
    assert!(v.last_findings().is_empty());
    assert_eq!(format!("{:?}", v.last_findings()), "[]");
    assert_eq!(*v.last_findings(), keyvet::weak::Findings::default());
}
