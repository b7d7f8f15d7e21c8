#!/usr/bin/env python3
"""Write N RSA-2048 public key lines in which only planted pairs share a prime.

    python3 corpus/weak/make_batch.py N OUT [--pairs K] [--seed S] [--jobs J]

writes OUT (N `ssh-rsa` lines, e = 65537, 2048-bit moduli that are products
of two distinct 1024-bit primes) and OUT.pairs, OUT less a `.pub` suffix
(batch-2000.pub -> batch-2000.pairs): one planted pair per line,
"A<TAB>B", 1-based line numbers of OUT, A < B, sorted. Every prime is used
by exactly one line, except that the two lines of a planted pair share one
prime; pairs are disjoint. The output depends only on N, K and the seed.

Primes come from a pool built window by window: a random odd 1024-bit start
(top two bits set, so any product of two is 2048 bits), a sieve over the
next 2^15 odd numbers by the primes below 2^18, then Miller-Rabin (bases 2
and 3, on top of the sieve) on the survivors. Windows alternate between two
halves of the pool and every key takes one prime from each half, so its two
primes are never close (no Fermat weakness). gmpy2, when installed (badkeys
brings it), only speeds up the modular exponentiation; the result is the
same without it.

Timing on this project's 2-core machine with gmpy2 and --jobs 2: 40 seconds
for N = 2,000, about 30 minutes for N = 100,000 (about 92 primes per window,
two primes per key); without gmpy2 about five times longer. This module is also the home of the SSH wire
helpers that generate.py uses.
"""

import argparse
import base64
import multiprocessing
import random
import struct
import sys

try:
    import gmpy2

    def powmod(b, e, m):
        return int(gmpy2.powmod(b, e, m))

except ImportError:  # pragma: no cover - the pure Python path is slower, same output
    gmpy2 = None

    def powmod(b, e, m):
        return pow(b, e, m)


# --- SSH wire format (RFC 4251) ---------------------------------------------


def ssh_string(b):
    return struct.pack(">I", len(b)) + b


def ssh_mpint(x):
    """A non-negative integer, minimal two's complement (a zero byte in front
    when the top bit is set), as OpenSSH writes it."""
    if x < 0:
        raise ValueError("negative mpint")
    if x == 0:
        return ssh_string(b"")
    b = x.to_bytes((x.bit_length() + 7) // 8, "big")
    if b[0] & 0x80:
        b = b"\0" + b
    return ssh_string(b)


def key_line(blob, comment):
    """`TYPE BASE64 COMMENT\\n` for a public key blob."""
    ktype = blob[4 : 4 + struct.unpack(">I", blob[:4])[0]].decode()
    return f"{ktype} {base64.b64encode(blob).decode()} {comment}\n"


def rsa_blob(e, n):
    return ssh_string(b"ssh-rsa") + ssh_mpint(e) + ssh_mpint(n)


# --- primes ------------------------------------------------------------------


def small_primes(limit):
    """Primes below `limit` (sieve of Eratosthenes)."""
    sieve = bytearray([1]) * limit
    sieve[0:2] = b"\0\0"
    for i in range(2, int(limit**0.5) + 1):
        if sieve[i]:
            sieve[i * i :: i] = bytes(len(range(i * i, limit, i)))
    return [i for i in range(limit) if sieve[i]]


_SMALL = small_primes(1 << 12)
_BASES = small_primes(100)  # the first 25 primes


def miller_rabin(n, bases):
    """Strong probable-prime test of odd n > 3 to each base."""
    d, s = n - 1, 0
    while d % 2 == 0:
        d //= 2
        s += 1
    for a in bases:
        a %= n
        if a in (0, 1, n - 1):
            continue
        x = powmod(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


def is_prime(n, bases=_BASES):
    """Trial division by the primes below 4096, then Miller-Rabin to the
    first 25 prime bases (no composite below 3.3e24 passes those; for the
    random sizes used here the error is far below 2^-100)."""
    if n < 2:
        return False
    for p in _SMALL:
        if n % p == 0:
            return n == p
    if n < (1 << 24):
        return True
    return miller_rabin(n, bases)


def next_prime(x):
    """The smallest prime > x."""
    n = x + 1
    if n <= 2:
        return 2
    if n % 2 == 0:
        n += 1
    while not is_prime(n):
        n += 2
    return n


def random_prime(rng, bits, top=0b11):
    """A random prime of exactly `bits` bits whose two top bits are `top`."""
    while True:
        x = rng.getrandbits(bits - 2) | (top << (bits - 2)) | 1
        p = next_prime(x - 1)
        if p.bit_length() == bits and p >> (bits - 2) == top:
            return p


# --- the batch ---------------------------------------------------------------

WINDOW = 1 << 15  # odd numbers per window
SIEVE_LIMIT = 1 << 18
_SIEVE_PRIMES = None


def _window_primes(start):
    """All primes among start, start+2, ..., start + 2*(WINDOW-1)."""
    global _SIEVE_PRIMES
    if _SIEVE_PRIMES is None:
        _SIEVE_PRIMES = small_primes(SIEVE_LIMIT)[1:]  # odd primes
    alive = bytearray([1]) * WINDOW
    for p in _SIEVE_PRIMES:
        # the first index i with start + 2i = 0 (mod p)
        i = (-start * pow(2, -1, p)) % p
        if i < WINDOW:
            alive[i::p] = bytes(len(range(i, WINDOW, p)))
    out = []
    for i in range(WINDOW):
        if alive[i]:
            n = start + 2 * i
            if miller_rabin(n, (2, 3)):
                out.append(n)
    return out


def _window(seed):
    rng = random.Random(seed)
    start = rng.getrandbits(1022) | (0b11 << 1022) | 1
    # stay below 2^1024 with the whole window
    start = min(start, (1 << 1024) - 2 * WINDOW - 1)
    return _window_primes(start)


NAMES = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy",
         "mallory", "oscar", "peggy", "rupert", "sybil", "trent", "victor", "walter", "deploy",
         "backup", "git", "jenkins", "ci", "root", "admin", "build", "ops", "svc-sync"]
HOSTS = ["laptop", "workstation", "build", "web", "db", "bastion", "runner", "nas", "mac",
         "dev", "vm", "edge", "cache", "api", "worker"]


def make_batch(n_keys, n_pairs, seed, jobs=1, log=None):
    """(lines, pairs): the key lines and the planted 1-based pairs."""
    if n_keys < 2 * n_pairs:
        raise ValueError("need N >= 2K")
    rng = random.Random(f"keyvet-batch/{seed}/{n_keys}/{n_pairs}")
    need_a = n_keys - n_pairs  # primes of the first half (one shared per pair)
    need_b = n_keys
    pool_a, pool_b = [], []
    w = 0
    pool = multiprocessing.Pool(jobs) if jobs > 1 else None
    try:
        while len(pool_a) < need_a or len(pool_b) < need_b:
            seeds = [f"keyvet-batch/{seed}/window/{w + i}" for i in range(max(jobs, 1) * 2)]
            results = pool.map(_window, seeds) if pool else [_window(s) for s in seeds]
            for i, primes in enumerate(results):
                (pool_a if (w + i) % 2 == 0 else pool_b).extend(primes)
            w += len(seeds)
            if log:
                log(f"{w} windows: {len(pool_a)}/{need_a} + {len(pool_b)}/{need_b} primes")
    finally:
        if pool:
            pool.close()
            pool.join()
    pool_a, pool_b = pool_a[:need_a], pool_b[:need_b]
    rng.shuffle(pool_a)
    rng.shuffle(pool_b)
    # planted pairs: disjoint, random lines
    lines_for_pairs = rng.sample(range(n_keys), 2 * n_pairs)
    pairs = sorted(tuple(sorted(lines_for_pairs[2 * i : 2 * i + 2])) for i in range(n_pairs))
    partner = {}
    for a, b in pairs:
        partner[b] = a
    ia = ib = 0
    first_prime = [None] * n_keys
    out = []
    for i in range(n_keys):
        if i in partner:
            p = first_prime[partner[i]]
        else:
            p = pool_a[ia]
            ia += 1
        q = pool_b[ib]
        ib += 1
        first_prime[i] = p
        n = p * q
        assert n.bit_length() == 2048 and p != q
        comment = f"{rng.choice(NAMES)}@{rng.choice(HOSTS)}-{rng.randrange(1, 100):02d}"
        out.append(key_line(rsa_blob(65537, n), comment))
    assert ia == need_a and ib == need_b
    # every prime once, except the planted ones twice
    uses = {}
    for i, p in enumerate(first_prime):
        uses.setdefault(p, []).append(i)
    shared = sorted(tuple(v) for v in uses.values() if len(v) > 1)
    assert shared == pairs, "pool primes repeat"
    assert len(set(pool_a) | set(pool_b)) == need_a + need_b
    return out, [(a + 1, b + 1) for a, b in pairs]


def pairs_path(out):
    return (out[:-4] if out.endswith(".pub") else out) + ".pairs"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="number of key lines")
    ap.add_argument("out", help="output file; the pairs go to OUT.pairs (OUT less .pub)")
    ap.add_argument("--pairs", type=int, help="planted pairs (default: max(8, N // 250))")
    ap.add_argument("--seed", default="1", help="seed (default 1)")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    ap.add_argument("-q", "--quiet", action="store_true")
    args = ap.parse_args()
    k = args.pairs if args.pairs is not None else max(8, args.n // 250)
    log = None if args.quiet else (lambda m: print(m, file=sys.stderr))
    lines, pairs = make_batch(args.n, k, args.seed, args.jobs, log)
    with open(args.out, "w", newline="\n") as f:
        f.writelines(lines)
    with open(pairs_path(args.out), "w", newline="\n") as f:
        f.writelines(f"{a}\t{b}\n" for a, b in pairs)
    if log:
        log(f"wrote {len(lines)} keys to {args.out}, {len(pairs)} planted pairs to {pairs_path(args.out)}")


if __name__ == "__main__":
    main()
