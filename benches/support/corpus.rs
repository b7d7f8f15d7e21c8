//! The bench corpora, built deterministically from the committed key pool
//! (`benches/data/pool.txt`, made by `benches/data/make_pool.py` with
//! ssh-keygen): a fixed-seed PRNG picks keys, comments and options, so every
//! run and every machine benches the same bytes.
//!
//! * `mixed`: 40% Ed25519, 35% RSA 2048-4096, 15% ECDSA, 10% certificates
//!   (exact counts, shuffled), 9% of the lines with authorized_keys options,
//!   realistic comments; about 450 bytes a line.
//! * `rsa4096`, `ed25519`, `certs`: one kind of key each, comments, no
//!   options.
//! * `options`: the mix of key types, every line with options.
//! * `plain` and `certmix` (not in the default run; for the whole-process
//!   comparisons with ssh-keygen, `benches/whole.sh`): the mix without
//!   certificates, and with 55% certificates; the other keys in the mix's
//!   proportions, 9% of the lines with options.

use std::ops::Range;
use std::path::Path;

/// Kinds of corpus, in bench order.
pub const KINDS: [&str; 5] = ["mixed", "rsa4096", "ed25519", "certs", "options"];

/// Kinds built on request only.
pub const EXTRA_KINDS: [&str; 2] = ["plain", "certmix"];

/// A key of the pool: its kind (`ed25519`, `rsa-4096`, `cert:...`) and
/// `TYPE BASE64`.
#[derive(Debug, Clone)]
pub struct PoolKey {
    pub kind: String,
    pub key: String,
}

/// Reads `benches/data/pool.txt`.
pub fn pool() -> Vec<PoolKey> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/data/pool.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let keys: Vec<PoolKey> = text
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (kind, key) = l.split_once(' ').expect("pool line: KIND TYPE BASE64");
            PoolKey {
                kind: kind.to_owned(),
                key: key.to_owned(),
            }
        })
        .collect();
    assert!(keys.len() > 100, "{}: too few keys", path.display());
    keys
}

/// A corpus: a file's worth of lines, each ending in `\n`.
#[derive(Debug)]
pub struct Corpus {
    /// `KIND-LINES`, such as `mixed-10000`: the criterion group name.
    pub name: String,
    /// The whole file.
    pub text: String,
    /// Each line's range in `text`, without its `\n`.
    pub spans: Vec<Range<usize>>,
}

impl Corpus {
    /// The lines, without `\n`.
    pub fn lines(&self) -> Vec<&str> {
        self.spans.iter().map(|r| &self.text[r.clone()]).collect()
    }

    /// Bytes in the file (newlines included): the throughput unit.
    pub fn bytes(&self) -> u64 {
        self.text.len() as u64
    }
}

/// SplitMix64: small, fast, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n small: the modulo bias is negligible).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with probability `pct`%.
    fn percent(&mut self, pct: usize) -> bool {
        self.below(100) < pct
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// Picks by weight: `(weight, item)`.
    fn weighted<'a, T>(&mut self, items: &'a [(usize, T)]) -> &'a T {
        let total: usize = items.iter().map(|(w, _)| w).sum();
        let mut r = self.below(total);
        for (w, item) in items {
            if r < *w {
                return item;
            }
            r -= w;
        }
        unreachable!()
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

const USERS: &[&str] = &[
    "alice",
    "bob",
    "carol",
    "dave",
    "erin",
    "frank",
    "grace",
    "heidi",
    "ivan",
    "judy",
    "mallory",
    "oscar",
    "peggy",
    "root",
    "deploy",
    "git",
    "ubuntu",
    "ec2-user",
    "admin",
    "jenkins",
    "ansible",
    "backup",
    "m.schmidt",
    "jp.dupont",
    "svc-ci",
    "build",
];
const HOSTS: &[&str] = &[
    "laptop",
    "MacBook-Pro.local",
    "DESKTOP-4F2K9QH",
    "thinkpad-x1",
    "web-03.prod.example.com",
    "db-01",
    "bastion.corp.example.net",
    "ci-runner-12",
    "build-7.internal",
    "workstation",
    "ip-10-0-3-17",
    "raspberrypi",
];
const OTHER_COMMENTS: &[&str] = &[
    "imported-openssh-key",
    "generated-by-azure",
    "deploy key for infra/terraform",
    "Alice Smith <alice@example.org>",
    "yubikey 5 nfc (backup)",
    "ci@github-actions 2024-05",
    "rsa-key-20240117",
];
const OPTIONS: &[&str] = &[
    "restrict",
    "no-pty",
    r#"from="10.0.0.0/8""#,
    "restrict,pty",
    r#"command="/usr/bin/rrsync -ro /srv/backups""#,
    r#"restrict,command="/usr/local/bin/borg serve --restrict-to-path /srv/borg/alice""#,
    r#"from="10.0.0.0/8,192.168.1.0/24",no-agent-forwarding,no-port-forwarding"#,
    "no-port-forwarding,no-X11-forwarding,no-agent-forwarding,no-pty",
    r#"command="/usr/share/gitolite3/gitolite-shell alice",no-port-forwarding,no-X11-forwarding,no-agent-forwarding,no-pty"#,
    r#"no-port-forwarding,no-agent-forwarding,no-X11-forwarding,command="echo 'Please login as the user \"ubuntu\" rather than the user \"root\".';echo;sleep 10""#,
    r#"environment="BACKUP_TARGET=/srv/backup",from="192.168.10.0/24""#,
    r#"expiry-time="20301231",restrict"#,
    r#"permitopen="localhost:5432",no-pty,no-X11-forwarding"#,
];

/// A comment: mostly `user@host`, some other shapes, some none.
fn comment(rng: &mut Rng, none_pct: usize) -> Option<String> {
    if rng.percent(none_pct) {
        return None;
    }
    if rng.percent(8) {
        return Some(rng.pick(OTHER_COMMENTS).to_owned());
    }
    let user = rng.pick(USERS);
    Some(if rng.percent(30) {
        format!("{user}@{user}-{}", rng.pick(HOSTS))
    } else {
        format!("{user}@{}", rng.pick(HOSTS))
    })
}

/// Plain key categories of the mix and the pool kinds behind them, with
/// weights. RSA is mostly 4096 bits (what many guides tell people to ask
/// for), then 3072 (ssh-keygen's default since 8.0) and 2048 (the
/// old default): this puts the mix at about 450 bytes a line. ECDSA is
/// mostly P-256.
const ED25519: &[(usize, &str)] = &[(1, "ed25519")];
const RSA: &[(usize, &str)] = &[(10, "rsa-2048"), (20, "rsa-3072"), (70, "rsa-4096")];
const ECDSA: &[(usize, &str)] = &[(70, "ecdsa-256"), (20, "ecdsa-384"), (10, "ecdsa-521")];

struct Pools<'p> {
    by_kind: std::collections::BTreeMap<&'p str, Vec<&'p str>>,
    certs: Vec<&'p str>,
}

impl<'p> Pools<'p> {
    fn new(pool: &'p [PoolKey]) -> Pools<'p> {
        let mut by_kind: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
        let mut certs = Vec::new();
        for k in pool {
            if k.kind.starts_with("cert:") {
                certs.push(k.key.as_str());
            } else {
                by_kind.entry(k.kind.as_str()).or_default().push(k.key.as_str());
            }
        }
        assert!(!certs.is_empty(), "pool has no certificates");
        Pools { by_kind, certs }
    }

    fn plain(&self, rng: &mut Rng, kinds: &[(usize, &str)]) -> &'p str {
        let kind = rng.weighted(kinds);
        let keys = self
            .by_kind
            .get(kind)
            .unwrap_or_else(|| panic!("pool has no {kind} keys"));
        rng.pick(keys)
    }

    fn cert(&self, rng: &mut Rng) -> &'p str {
        rng.pick(&self.certs)
    }
}

#[derive(Clone, Copy)]
enum Cat {
    Ed25519,
    Rsa,
    Ecdsa,
    Cert,
}

/// The key categories of `n` lines of the mix, in exact proportions,
/// shuffled: `cert_pct`% certificates, the rest Ed25519, RSA and ECDSA
/// as 40 : 35 : 15.
fn mix(rng: &mut Rng, n: usize, cert_pct: usize) -> Vec<Cat> {
    let plain = n - n * cert_pct / 100;
    let ed = plain * 40 / 90;
    let rsa = plain * 35 / 90;
    let ec = plain * 15 / 90;
    let mut cats = Vec::with_capacity(n);
    cats.extend(std::iter::repeat_n(Cat::Ed25519, ed));
    cats.extend(std::iter::repeat_n(Cat::Rsa, rsa));
    cats.extend(std::iter::repeat_n(Cat::Ecdsa, ec));
    cats.extend(std::iter::repeat_n(Cat::Cert, n - ed - rsa - ec));
    rng.shuffle(&mut cats);
    cats
}

/// Builds corpus `kind` (one of [`KINDS`]) of `n` lines.
pub fn build(pool: &[PoolKey], kind: &str, n: usize) -> Corpus {
    let pools = Pools::new(pool);
    // One seed per kind and size: the corpora are independent.
    let seed = kind
        .bytes()
        .fold(n as u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
    let mut rng = Rng(seed ^ 0x6b65_7976_6574);
    let cats: Vec<Cat> = match kind {
        "mixed" | "options" => mix(&mut rng, n, 10),
        "plain" => mix(&mut rng, n, 0),
        "certmix" => mix(&mut rng, n, 55),
        "rsa4096" => vec![Cat::Rsa; n],
        "ed25519" => vec![Cat::Ed25519; n],
        "certs" => vec![Cat::Cert; n],
        _ => panic!("unknown corpus kind {kind}"),
    };
    // Which lines have options: exactly 9% of the mix, every line of
    // `options`, none in the single-type corpora.
    let mut with_options = vec![false; n];
    match kind {
        "mixed" | "plain" | "certmix" => {
            let k = (n * 9).div_ceil(100);
            with_options[..k].fill(true);
            rng.shuffle(&mut with_options);
        }
        "options" => with_options.fill(true),
        _ => {}
    }
    let mut text = String::with_capacity(n * 480);
    let mut spans = Vec::with_capacity(n);
    for (cat, opts) in cats.into_iter().zip(with_options) {
        let key = match (kind, cat) {
            ("rsa4096", _) => pools.plain(&mut rng, &[(1, "rsa-4096")]),
            (_, Cat::Ed25519) => pools.plain(&mut rng, ED25519),
            (_, Cat::Rsa) => pools.plain(&mut rng, RSA),
            (_, Cat::Ecdsa) => pools.plain(&mut rng, ECDSA),
            (_, Cat::Cert) => pools.cert(&mut rng),
        };
        let start = text.len();
        if opts {
            text.push_str(rng.pick(OPTIONS));
            text.push(' ');
        }
        text.push_str(key);
        // A third of the lines with options have no comment (made by
        // tools); 4% of the others.
        if let Some(c) = comment(&mut rng, if opts { 33 } else { 4 }) {
            text.push(' ');
            text.push_str(&c);
        }
        spans.push(start..text.len());
        text.push('\n');
    }
    Corpus {
        name: format!("{kind}-{n}"),
        text,
        spans,
    }
}
