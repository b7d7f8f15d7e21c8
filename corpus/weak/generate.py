#!/usr/bin/env python3
"""Regenerate corpus/weak/: deliberately weak SSH public keys, one case per
file, the keyvet check each is made for, and what badkeys says about it.

    pip install badkeys cryptography     # badkeys brings gmpy2
    LC_ALL=C.UTF-8 python3 corpus/weak/generate.py [--seed S] [--skip-batch]
    LC_ALL=C.UTF-8 python3 corpus/weak/generate.py --only-offline

Writes rsa/, ed25519/, ecdsa/, dsa/, control/, batch-2000.pub,
batch-2000.pairs and MANIFEST.tsv (columns path, check, badkeys, notes;
paths relative to this directory). The RSA, Ed25519 and ECDSA keys come
from seeded arithmetic, so a run with the same seed rewrites the same bytes;
the DSA cases start from fresh cryptography parameters and the control keys
from ssh-keygen, so those change from run to run. --skip-batch keeps the
committed batch-2000 files (make_batch.py, seeded: the same bytes every
time; about a minute and a half to make). --only-offline (re)writes only the
cases of gen_offline() (the checks badkeys runs offline that keyvet added
later: prime modulus, ROCA on a smaller M, byte patterns, rsapoly, rsabias,
the xz payload, sparse DSA) and merges their rows into MANIFEST.tsv, leaving
every other file as it is; they draw on their own seeded generator, so a
full run makes the same RSA bytes.

badkeys runs on every file as

    badkeys -c CHECKS -j -a --ssh-lines FILE

with CHECKS every default and warning check except `blocklist`, which needs
a download from badkeys.info, and the two offline "extra" checks `pattern`
and `xzbackdoor` (see BADKEYS_CHECKS; adding those two changed no verdict
recorded before them). The badkeys column is its
detection names (`check` or `check/subtest`, sorted, comma-separated),
`unparseable` / `unsupported` when it could not load the key, `-` when it
found nothing; for a file of several keys, the keys with a result as
`L<line>=names`, joined by `;`.
"""

import argparse
import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the corpus

import make_batch as mb  # noqa: E402
from make_batch import is_prime, key_line, next_prime, random_prime, rsa_blob, ssh_mpint, ssh_string  # noqa: E402

BADKEYS_CHECKS = ("fermat,roca,rsainvalid,rsapoly,sharedprimes,smalld,smallfactors,dsasparse,rsawarnings,rsabias,"
                  "pattern,xzbackdoor")
DIRS = ["rsa", "ed25519", "ecdsa", "dsa", "control"]

rng = None  # random.Random, set in main()
rows = []  # (path, check, notes)


def emit(path, check, notes, lines):
    full = os.path.join(HERE, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w", newline="\n") as f:
        f.writelines(lines)
    rows.append((path, check, notes))


def really_prime(*ps):
    """Every RSA prime passes our Miller-Rabin (25 bases) and, when sympy is
    installed, its BPSW test."""
    try:
        import sympy
    except ImportError:
        sympy = None
    for p in ps:
        assert is_prime(p), p
        if sympy is not None:
            assert sympy.isprime(p), p


def prime_between(lo, hi):
    """A random prime in [lo, hi]."""
    while True:
        p = next_prime(rng.randrange(lo, hi) - 1)
        if p <= hi:
            return p


def rsa_pair(bits):
    """Two random primes whose product has exactly `bits` bits."""
    h = bits // 2
    while True:
        p = random_prime(rng, h)
        q = random_prime(rng, bits - h)
        if p != q and (p * q).bit_length() == bits:
            return p, q


def fermat_steps(n, limit=10**6):
    """Steps of Fermat's method past ceil(sqrt(n)) (as keyvet and badkeys
    count them), or None beyond `limit`."""
    a = math.isqrt(n)
    if a * a < n:
        a += 1
    for i in range(limit):
        b2 = a * a - n
        r = math.isqrt(b2)
        if r * r == b2:
            return i
        a += 1
    return None


def wiener_finds(e, n):
    """Wiener's continued-fraction attack: the d it recovers, or None."""
    num, den = e, n
    h0, h1, k0, k1 = 0, 1, 1, 0
    while den:
        a, r = divmod(num, den)
        h0, h1 = h1, a * h1 + h0
        k0, k1 = k1, a * k1 + k0
        num, den = den, r
        k, d = h1, k1
        if k == 0 or (e * d - 1) % k:
            continue
        phi = (e * d - 1) // k
        s = n - phi + 1
        disc = s * s - 4 * n
        if disc >= 0 and math.isqrt(disc) ** 2 == disc:
            return d
    return None


def first_primes(count):
    out, x = [], 1
    while len(out) < count:
        x = next_prime(x)
        out.append(x)
    return out


def mult_order(g, m, factors_of_phi):
    """Order of g modulo prime m."""
    order = m - 1
    for f in factors_of_phi:
        while order % f == 0 and pow(g, order // f, m) == 1:
            order //= f
    return order


def prime_factors(x):
    out, f = [], 2
    while f * f <= x:
        if x % f == 0:
            out.append(f)
            while x % f == 0:
                x //= f
        f += 1
    if x > 1:
        out.append(x)
    return out


def roca_prime(bits, n_primes):
    """A prime of the Infineon form k*M + (65537^a mod M), M the product of
    the first n_primes primes (Nemec et al. 2017, section 2.3)."""
    ps = first_primes(n_primes)
    M = math.prod(ps)
    order = 1
    for p in ps:
        order = math.lcm(order, mult_order(65537 % p, p, prime_factors(p - 1)) if p > 2 else 1)
    kbits = bits - M.bit_length()
    while True:
        a = rng.randrange(order)
        k = rng.getrandbits(kbits) | (1 << (kbits - 1))
        p = k * M + pow(65537, a, M)
        if p.bit_length() == bits and is_prime(p):
            return p, M, kbits


def comment(user, host):
    return f"{user}@{host}"


def rsa_file(path, check, notes, e, n, cmt):
    emit(path, check, notes, [key_line(rsa_blob(e, n), cmt)])


# --- RSA ----------------------------------------------------------------------


def gen_rsa():
    e = 65537
    # small factor
    for p, name in ((65521, "small-factor-65521"), (3, "small-factor-3")):
        q = prime_between(-(-(1 << 2047) // p), ((1 << 2048) - 1) // p)
        n = p * q
        assert n.bit_length() == 2048
        really_prime(p, q)
        rsa_file(f"rsa/{name}.pub", "weak.rsa.small_factor",
                 f"n = {p} * q, q a {q.bit_length()}-bit prime; detail={p}", e, n,
                 comment("pi", "raspberrypi") if p == 3 else comment("admin", "router-7"))

    # Fermat: close primes
    p = random_prime(rng, 1024)
    q = next_prime(p + (1 << 492) + rng.getrandbits(480))
    n = p * q
    really_prime(p, q)
    steps = fermat_steps(n)
    assert steps == 0 and n.bit_length() == 2048
    rsa_file("rsa/fermat-step0.pub", "weak.rsa.fermat",
             f"q = next prime after p + 2^492 + r (r < 2^480), |p-q| ~ 2^{(q - p).bit_length() - 1}; "
             f"found at step {steps}; detail={steps}", e, n, comment("scan", "printer-3f"))
    # about 50 steps: steps ~ (q-p)^2 / (8 sqrt(n)), so |q-p| ~ sqrt(400 sqrt(n))
    while True:
        p = random_prime(rng, 1024)
        d = math.isqrt(400 * math.isqrt(p * p))
        d += rng.randrange(-d // 50, d // 50)
        q = next_prime(p + d)
        n = p * q
        steps = fermat_steps(n)
        if n.bit_length() == 2048 and steps is not None and 45 <= steps <= 55:
            break
    really_prime(p, q)
    rsa_file("rsa/fermat-step50.pub", "weak.rsa.fermat",
             f"|p-q| ~ 2^{(q - p).bit_length() - 1} (about sqrt(400 sqrt(n))); found at step {steps} "
             f"(both keyvet and badkeys try 100); detail={steps}", e, n, comment("it", "nas-01"))

    # square
    p = random_prime(rng, 1024)
    really_prime(p)
    n = p * p
    assert n.bit_length() == 2048
    rsa_file("rsa/square.pub", "weak.rsa.square", "n = p^2, p a 1024-bit prime",
             e, n, comment("dev", "homelab"))

    # ROCA
    for bits, count, name, cmt in ((2048, 126, "roca-2048", comment("cardno:000612345678", "yubikey-4")),
                                   (1024, 71, "roca-1024", comment("piv", "smartcard-ifx"))):
        while True:
            p, M, kbits = roca_prime(bits // 2, count)
            q, _, _ = roca_prime(bits // 2, count)
            n = p * q
            if p != q and n.bit_length() == bits:
                break
        really_prime(p, q)
        rsa_file(f"rsa/{name}.pub", "weak.rsa.roca",
                 f"p, q = k*M + (65537^a mod M), M the product of the first {count} primes "
                 f"({M.bit_length()} bits), k of {kbits} bits and a random; {bits}-bit n"
                 + ("; also weak.rsa.size (1024 bits, a warning)" if bits < 2048 else ""),
                 e, n, cmt)

    # exponents
    p, q = rsa_pair(2048)
    really_prime(p, q)
    n = p * q
    rsa_file("rsa/exponent-1.pub", "weak.rsa.exponent", "e = 1 (c = m); n a proper 2048-bit modulus; detail=1",
             1, n, comment("test", "staging"))
    p, q = rsa_pair(2048)
    n = p * q
    rsa_file("rsa/exponent-2.pub", "weak.rsa.exponent", "e = 2 (even, not RSA); detail=2",
             2, n, comment("test", "staging-2"))
    p, q = rsa_pair(2048)
    n = p * q
    rsa_file("rsa/exponent-n-plus-2.pub", "weak.rsa.exponent", "e = n + 2 (odd, e >= n)",
             n + 2, n, comment("test", "staging-3"))

    # Wiener
    while True:
        p, q = rsa_pair(2048)
        n = p * q
        phi = (p - 1) * (q - 1)
        d = rng.getrandbits(500) | (1 << 499) | 1
        if math.gcd(d, phi) == 1 and d < math.isqrt(math.isqrt(n)) // 3:
            break
    e_w = pow(d, -1, phi)
    really_prime(p, q)
    assert wiener_finds(e_w, n) == d and e_w % 2 == 1 and e_w < n
    rsa_file("rsa/wiener.pub", "weak.rsa.wiener",
             f"d of 500 bits (< n^0.25/3 ~ 2^510.4), e = d^-1 mod phi ({e_w.bit_length()} bits)",
             e_w, n, comment("legacy", "embedded-gw"))

    # shared primes: one file of three keys (1 and 3 share), two single files
    s = random_prime(rng, 1024)
    q1, q2, q3 = (random_prime(rng, 1024) for _ in range(3))
    p2 = random_prime(rng, 1024)
    really_prime(s, q1, q2, q3, p2)
    lines = [key_line(rsa_blob(e, s * q1), comment("web", "vm-101")),
             key_line(rsa_blob(e, p2 * q2), comment("web", "vm-102")),
             key_line(rsa_blob(e, s * q3), comment("web", "vm-103"))]
    emit("rsa/shared-primes.pub", "weak.rsa.shared_prime",
         "three keys; lines 1 and 3 share a 1024-bit prime, line 2 shares none; "
         "batch pairs (0-based) [(0, 2)]", lines)
    t = random_prime(rng, 1024)
    r1, r2 = random_prime(rng, 1024), random_prime(rng, 1024)
    really_prime(t, r1, r2)
    emit("rsa/shared-prime-a.pub", "weak.rsa.shared_prime",
         "shares a 1024-bit prime with rsa/shared-prime-b.pub (found when both are in one batch)",
         [key_line(rsa_blob(e, t * r1), comment("backup", "nas-a"))])
    emit("rsa/shared-prime-b.pub", "weak.rsa.shared_prime",
         "shares a 1024-bit prime with rsa/shared-prime-a.pub (found when both are in one batch)",
         [key_line(rsa_blob(e, t * r2), comment("backup", "nas-b"))])

    # sizes
    for bits, name in ((2040, "size-2040"), (1536, "size-1536")):
        p, q = rsa_pair(bits)
        really_prime(p, q)
        rsa_file(f"rsa/{name}.pub", "weak.rsa.size",
                 f"{bits}-bit n = p*q, two {bits // 2}-bit primes, e = 65537 (a warning); detail={bits}",
                 e, p * q, comment("old", "jump-host" if bits == 1536 else "appliance"))


# --- Ed25519 --------------------------------------------------------------------

ED_P = 2**255 - 19
ED_D = (-121665 * pow(121666, -1, ED_P)) % ED_P
ED_L = 2**252 + 27742317777372353535851937790883648493
ED_I = pow(2, (ED_P - 1) // 4, ED_P)  # sqrt(-1)


def ed_add(P, Q):
    (x1, y1), (x2, y2) = P, Q
    t = ED_D * x1 * x2 * y1 * y2 % ED_P
    x3 = (x1 * y2 + x2 * y1) * pow(1 + t, -1, ED_P) % ED_P
    y3 = (y1 * y2 + x1 * x2) * pow(1 - t, -1, ED_P) % ED_P
    return (x3, y3)


def ed_mul(k, P):
    R = (0, 1)
    while k:
        if k & 1:
            R = ed_add(R, P)
        P = ed_add(P, P)
        k >>= 1
    return R


def ed_recover_x(y, sign):
    """x for y (RFC 8032 section 5.1.3), or None when there is none."""
    if y >= ED_P:
        return None
    u = (y * y - 1) % ED_P
    v = (ED_D * y * y + 1) % ED_P
    x2 = u * pow(v, -1, ED_P) % ED_P
    if x2 == 0:
        return None if sign else 0
    x = pow(x2, (ED_P + 3) // 8, ED_P)
    if (x * x - x2) % ED_P:
        x = x * ED_I % ED_P
    if (x * x - x2) % ED_P:
        return None
    if x & 1 != sign:
        x = ED_P - x
    return x


def ed_encode(P):
    x, y = P
    return (y | ((x & 1) << 255)).to_bytes(32, "little")


def ed_on_curve(P):
    x, y = P
    return (-x * x + y * y - 1 - ED_D * x * x * y * y) % ED_P == 0


def ed_order(P):
    for k in (1, 2, 4, 8):
        if ed_mul(k, P) == (0, 1):
            return k
    return None


def ed25519_blob(pk):
    return ssh_string(b"ssh-ed25519") + ssh_string(pk)


def sk_ed25519_blob(pk, app=b"ssh:"):
    return ssh_string(b"sk-ssh-ed25519@openssh.com") + ssh_string(pk) + ssh_string(app)


def gen_ed25519():
    # A point of order 8: [L]P for a random point P, until the result has order 8.
    while True:
        y = rng.randrange(ED_P)
        x = ed_recover_x(y, rng.getrandbits(1))
        if x is None:
            continue
        T = ed_mul(ED_L, (x, y))
        if ed_order(T) == 8:
            break
    torsion = [ed_mul(k, T) for k in range(8)]
    assert len(set(torsion)) == 8 and all(ed_on_curve(P) for P in torsion)
    named = []
    for P in torsion:
        o = ed_order(P)
        x, y = P
        if o == 1:
            name, what = "identity", "the identity (0, 1)"
        elif o == 2:
            name, what = "order2", "(0, -1), order 2"
        elif o == 4:
            name, what = f"order4-{'neg' if x & 1 else 'pos'}", f"(+-sqrt(-1), 0), order 4, x {'odd' if x & 1 else 'even'}"
        else:
            name, what = None, f"order 8, y = {'low' if y < ED_P // 2 else 'high'}, x {'odd' if x & 1 else 'even'}"
        named.append((o, y, x & 1, name, what, P))
    named.sort(key=lambda t: (t[0], t[1], t[2]))
    i8 = 0
    for o, y, s, name, what, P in named:
        if name is None:
            i8 += 1
            name = f"order8-{i8}"
        enc = ed_encode(P)
        emit(f"ed25519/small-order-{name}.pub", "weak.ed25519.small_order",
             f"canonical encoding {enc.hex()}: {what}",
             [key_line(ed25519_blob(enc), comment("user", f"host-{name}"))])
    # the same weakness in a FIDO key
    P = next(t[5] for t in named if t[0] == 8)
    enc = ed_encode(P)
    emit("ed25519/sk-small-order.pub", "weak.ed25519.small_order",
         f"sk-ssh-ed25519@openssh.com, application ssh:, key {enc.hex()} (order 8)",
         [key_line(sk_ed25519_blob(enc), comment("alice", "yubikey-5"))])

    # not a point: y with no x
    while True:
        y = rng.randrange(ED_P)
        if ed_recover_x(y, 0) is None and ed_recover_x(y, 1) is None:
            break
    enc = y.to_bytes(32, "little")
    emit("ed25519/not-a-point.pub", "weak.ed25519.point",
         f"y = {enc.hex()} (little-endian): (y^2-1)/(d y^2+1) is not a square mod p",
         [key_line(ed25519_blob(enc), comment("bob", "old-laptop"))])
    # x = 0 with the sign bit set (RFC 8032 5.1.3 step 4: decoding fails)
    enc = (1 | (1 << 255)).to_bytes(32, "little")
    emit("ed25519/negative-zero.pub", "weak.ed25519.point",
         f"{enc.hex()}: y = 1, x = 0 with the sign bit set; RFC 8032 5.1.3 step 4 rejects it, "
         "lenient decoders (dalek's decompress) read the identity, a small-order point",
         [key_line(ed25519_blob(enc), comment("carol", "ci-7"))])
    # non-canonical y (y + p < 2^255) of a point of large order
    for y in range(2, 19):
        x = ed_recover_x(y, 0)
        if x is not None and ed_order((x, y)) is None:
            break
    else:
        raise AssertionError("no y below 19 with a point")
    enc = (y + ED_P).to_bytes(32, "little")
    emit("ed25519/noncanonical-y.pub", "weak.ed25519.point",
         f"{enc.hex()}: y = p + {y}, the non-canonical encoding of a point of large order; "
         "RFC 8032 5.1.3 step 1 rejects y >= p, lenient decoders reduce it mod p",
         [key_line(ed25519_blob(enc), comment("dave", "kiosk"))])


# --- ECDSA ----------------------------------------------------------------------

CURVES = {
    "nistp256": dict(
        p=2**256 - 2**224 + 2**192 + 2**96 - 1,
        b=0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B,
        n=0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
        size=32),
    "nistp384": dict(
        p=2**384 - 2**128 - 2**96 + 2**32 - 1,
        b=0xB3312FA7E23EE7E4988E056BE3F82D19181D9C6EFE8141120314088F5013875AC656398D8A2ED19D2A85C8EDD3EC2AEF,
        n=0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973,
        size=48),
}


def ec_y(c, x):
    """A y with (x, y) on the curve (y^2 = x^3 - 3x + b), or None."""
    p = c["p"]
    r = (x**3 - 3 * x + c["b"]) % p
    y = pow(r, (p + 1) // 4, p)  # p = 3 mod 4 for both curves
    return y if y * y % p == r else None


def ecdsa_blob(curve, x, y):
    size = CURVES[curve]["size"]
    point = b"\x04" + x.to_bytes(size, "big") + y.to_bytes(size, "big")
    return ssh_string(f"ecdsa-sha2-{curve}".encode()) + ssh_string(curve.encode()) + ssh_string(point)


def check_curve_constants():
    """The constants above describe the curves cryptography uses."""
    from cryptography.hazmat.primitives.asymmetric import ec
    for name, cls in (("nistp256", ec.SECP256R1), ("nistp384", ec.SECP384R1)):
        pub = ec.generate_private_key(cls()).public_key().public_numbers()
        assert ec_y(CURVES[name], pub.x) in (pub.y, CURVES[name]["p"] - pub.y), name


def gen_ecdsa():
    check_curve_constants()
    c = CURVES["nistp256"]
    p = c["p"]
    # off the curve
    while True:
        x, y = rng.randrange(p), rng.randrange(p)
        if (y * y - (x**3 - 3 * x + c["b"])) % p:
            break
    emit("ecdsa/p256-off-curve.pub", "weak.ecdsa.point",
         "nistp256 point (x, y) with x, y < p and y^2 != x^3 - 3x + b (invalid-curve attack input)",
         [key_line(ecdsa_blob("nistp256", x, y), comment("eve", "mbp"))])
    # x >= p: x = x0 + p where (x0, y) is on the curve, x0 < 2^256 - p
    while True:
        x0 = rng.getrandbits(223) | (1 << 222)
        y = ec_y(c, x0)
        if y is not None:
            break
    emit("ecdsa/p256-x-ge-p.pub", "weak.ecdsa.point",
         "nistp256 x = x0 + p >= p, y such that (x0, y) is on the curve: not a field element "
         "(an implementation that reduces x mod p accepts it)",
         [key_line(ecdsa_blob("nistp256", x0 + p, y), comment("eve", "mbp-2"))])
    # on the curve, tiny x
    x = 1
    while ec_y(c, x) is None:
        x += 1
    y = ec_y(c, x)
    emit("ecdsa/p256-tiny-x.pub", "weak.ecdsa.point",
         f"nistp256 point on the curve (cofactor 1, so in the group) with x = {x}: fails OpenSSH's "
         "sshkey_ec_validate_public (log2(x) > log2(order)/2)",
         [key_line(ecdsa_blob("nistp256", x, y), comment("eve", "mbp-3"))])
    # on the curve, order - 1 <= x < p
    while True:
        x = rng.randrange(c["n"] - 1, p)
        y = ec_y(c, x)
        if y is not None:
            break
    emit("ecdsa/p256-x-ge-order.pub", "weak.ecdsa.point",
         "nistp256 point on the curve with order - 1 <= x < p: a valid SEC 1 point that fails "
         "OpenSSH's sshkey_ec_validate_public (x < order - 1)",
         [key_line(ecdsa_blob("nistp256", x, y), comment("eve", "mbp-4"))])
    c = CURVES["nistp384"]
    while True:
        x, y = rng.randrange(c["p"]), rng.randrange(c["p"])
        if (y * y - (x**3 - 3 * x + c["b"])) % c["p"]:
            break
    emit("ecdsa/p384-off-curve.pub", "weak.ecdsa.point",
         "nistp384 point with y^2 != x^3 - 3x + b",
         [key_line(ecdsa_blob("nistp384", x, y), comment("eve", "mbp-5"))])


# --- DSA ------------------------------------------------------------------------


def dsa_blob(p, q, g, y):
    return ssh_string(b"ssh-dss") + ssh_mpint(p) + ssh_mpint(q) + ssh_mpint(g) + ssh_mpint(y)


def legendre(a, p):
    return pow(a, (p - 1) // 2, p)


def gen_dsa():
    from cryptography.hazmat.primitives.asymmetric import dsa

    params = dsa.generate_parameters(1024)
    priv = params.generate_private_key()
    pn = params.parameter_numbers()
    p, q, g = pn.p, pn.q, pn.g
    y = priv.public_key().public_numbers().y
    assert pow(g, q, p) == 1 and (p - 1) % q == 0 and pow(y, q, p) == 1
    base = "1024/160 parameters from cryptography's dsa.generate_parameters(1024)"

    def f(name, check, notes, pp, qq, gg, yy, user, own_params=False):
        emit(f"dsa/{name}.pub", check, notes if own_params else f"{notes}; {base}",
             [key_line(dsa_blob(pp, qq, gg, yy), comment(user, "legacy-host"))])

    f("g-1", "weak.dsa.params", "g = 1 (every signature verifies for r = 1); y = 1 as g^x gives", p, q, 1, 1, "u1")
    f("g-order-2", "weak.dsa.params", "g = p - 1, of order 2, not q", p, q, p - 1, y, "u2")
    h = 2
    while pow(h, q, p) == 1:
        h += 1
    f("g-not-order-q", "weak.dsa.params", f"g = {h}: g^q mod p != 1, so g is not of order q", p, q, h, y, "u3")
    q2 = next_prime(q)
    while (p - 1) % q2 == 0:
        q2 = next_prime(q2)
    f("q-not-dividing", "weak.dsa.params",
      "q replaced by the next prime after it, which does not divide p - 1 (g, y kept)", p, q2, g, y, "u4")
    # p of 1024 bits with a 256-bit q: otherwise valid parameters
    q3 = random_prime(rng, 256, top=0b10)
    while True:
        k = rng.getrandbits(1024 - 256) | (1 << (1024 - 256 - 1))
        k -= k % 2
        p3 = k * q3 + 1
        if p3.bit_length() == 1024 and is_prime(p3):
            break
    g3 = 1
    h = 2
    while g3 == 1:
        g3 = pow(h, (p3 - 1) // q3, p3)
        h += 1
    x3 = rng.randrange(1, q3)
    f("size-1024-256", "weak.dsa.params",
      "p of 1024 bits with q of 256 bits (no FIPS 186-4 (L, N) pair); q | p - 1, g of order q, y = g^x: "
      "otherwise valid (made here, not by cryptography)", p3, q3, g3, pow(g3, x3, p3), "u5", own_params=True)
    # y outside the subgroup
    f("y-1", "weak.dsa.public", "y = 1 (private key 0)", p, q, g, 1, "u6")
    f("y-order-2", "weak.dsa.public", "y = p - 1, of order 2", p, q, g, p - 1, "u7")
    z = 2
    while legendre(z, p) != p - 1:
        z += 1
    assert pow(z, q, p) != 1
    f("y-nonresidue", "weak.dsa.public",
      f"y = {z}, a quadratic non-residue mod p (the order-q subgroup holds only residues): y^q mod p != 1",
      p, q, g, z, "u8")
    yy = y * h % p
    assert pow(yy, q, p) != 1
    f("y-times-h", "weak.dsa.public",
      "y = g^x * h mod p for h outside the subgroup: y^q mod p != 1 (a valid-looking key with the wrong order)",
      p, q, g, yy, "u9")
    return p, q, g, y


# --- controls ---------------------------------------------------------------------


def gen_controls(tmp):
    specs = [("rsa-2048-a", ["-t", "rsa", "-b", "2048"], "alice@laptop"),
             ("rsa-2048-b", ["-t", "rsa", "-b", "2048"], "bob@workstation"),
             ("rsa-3072-a", ["-t", "rsa", "-b", "3072"], "carol@mac"),
             ("rsa-3072-b", ["-t", "rsa", "-b", "3072"], "deploy@ci-runner-04"),
             ("rsa-4096", ["-t", "rsa", "-b", "4096"], "git@build-01"),
             ("ed25519-a", ["-t", "ed25519"], "erin@thinkpad"),
             ("ed25519-b", ["-t", "ed25519"], "frank@desktop"),
             ("ecdsa-256", ["-t", "ecdsa", "-b", "256"], "grace@phone"),
             ("ecdsa-384", ["-t", "ecdsa", "-b", "384"], "heidi@bastion"),
             ("ecdsa-521", ["-t", "ecdsa", "-b", "521"], "ivan@vm-12"),
             ("dsa-1024", ["-t", "dsa"], "judy@legacy-box")]
    for name, args, cmt in specs:
        key = os.path.join(tmp, name)
        subprocess.run(["ssh-keygen", "-q", "-N", "", "-C", cmt, "-f", key] + args, check=True)
        with open(key + ".pub") as f:
            line = f.read()
        emit(f"control/{name}.pub", "-", f"ssh-keygen {' '.join(args)}; no finding", [line])
    # a valid 2048/256 DSA key (a FIPS 186-4 size), from cryptography
    from cryptography.hazmat.primitives.asymmetric import dsa
    k = dsa.generate_private_key(2048).public_key().public_numbers()
    pn = k.parameter_numbers
    emit("control/dsa-2048-256.pub", "-",
         f"DSA {pn.p.bit_length()}/{pn.q.bit_length()} from cryptography's dsa.generate_private_key(2048); no finding",
         [key_line(dsa_blob(pn.p, pn.q, pn.g, k.y), "kate@old-nas")])


# --- badkeys' other offline checks -----------------------------------------------


def bitpct(x):
    """badkeys' _bitpct: percent of set bits, rounded down."""
    return bin(x).count("1") * 100 // x.bit_length()


def roca_prime_full(bits, n_primes):
    """As roca_prime, with k drawn so that p >= sqrt(2) 2^(bits-1): two such
    primes always make a modulus of 2 * bits bits, whatever M's top bits
    (roca_prime's k of bits - |M| bits cannot for M of 39 primes)."""
    ps = first_primes(n_primes)
    M = math.prod(ps)
    order = 1
    for p in ps:
        order = math.lcm(order, mult_order(65537 % p, p, prime_factors(p - 1)) if p > 2 else 1)
    lo = math.isqrt(2 << (2 * bits - 2)) + 1
    hi = (1 << bits) - 1
    while True:
        a = rng.randrange(order)
        k = rng.randrange(-(-lo // M), hi // M)
        p = k * M + pow(65537, a, M)
        if lo <= p <= hi and is_prime(p):
            return p, M, k.bit_length()


def product_with_top(rng2, p, top, top_bits, bits=2048):
    """A prime q with p * q of `bits` bits whose `top_bits` leading bits are
    those of `top` (q = next prime after top / p moves only the low half)."""
    while True:
        target = (top << (bits - top_bits)) | rng2.getrandbits(bits - top_bits)
        q = next_prime(target // p)
        n = p * q
        if n.bit_length() == bits and n >> (bits - top_bits) == top:
            return q, n


def gen_offline(rng2):
    global rng
    saved, rng = rng, rng2  # roca_prime and friends draw on `rng`
    try:
        _gen_offline(rng2)
    finally:
        rng = saved


def _gen_offline(rng2):
    e = 65537
    # a prime modulus
    n = random_prime(rng2, 2048)
    really_prime(n)
    rsa_file("rsa/prime-modulus.pub", "weak.rsa.prime",
             "n a 2048-bit prime (not a product of two primes): d = e^-1 mod (n - 1) decrypts", e, n,
             comment("ops", "kvm-switch"))

    # ROCA on the M of a smaller class than the key's size: the detector's
    # M' divides every M, a per-size table does not
    for bits, count, name, cmt in ((2048, 39, "roca-2048-m39", comment("cardno:000611112222", "token-a")),
                                   (4096, 71, "roca-4096-m71", comment("piv", "smartcard-b"))):
        while True:
            p, M, kbits = roca_prime_full(bits // 2, count)
            q, _, _ = roca_prime_full(bits // 2, count)
            n = p * q
            if p != q and n.bit_length() == bits:
                break
        really_prime(p, q)
        rsa_file(f"rsa/{name}.pub", "weak.rsa.roca",
                 f"p, q = k*M + (65537^a mod M) with M the product of the first {count} primes "
                 f"({M.bit_length()} bits, the M of {'512' if count == 39 else '1024'}-bit keys), "
                 f"k of {kbits} bits: a {bits}-bit n on a smaller M than its size's "
                 "(missed by a table chosen by key size)", e, n, cmt)

    # 16 equal bytes in a row (badkeys' pattern), in the top half
    p = random_prime(rng2, 1024)
    top = int.from_bytes(bytes([0xC7]) + rng2.randbytes(39) + b"\x5a" * 16 + rng2.randbytes(8), "big")
    q, n = product_with_top(rng2, p, top, 64 * 8)
    really_prime(p, q)
    nb = n.to_bytes(256, "big")
    at = nb.find(b"\x5a" * 16)
    assert at == 40, at
    rsa_file("rsa/pattern-16-bytes.pub", "weak.rsa.pattern",
             f"n = p*q, two 1024-bit primes, with 16 bytes 0x5a at byte {at} of the big-endian modulus "
             f"(chosen top half, q = next prime after it / p); detail={at}", e, n, comment("iot", "camera-12"))

    # rsapoly: primes that are polynomials in 2^128 with small coefficients
    def poly_prime():
        while True:
            x = (3 << 1022) | sum(rng2.getrandbits(20) << (128 * i) for i in range(8))
            p = next_prime(x)
            if p.bit_length() == 1024:
                return p
    while True:
        p, q = poly_prime(), poly_prime()
        n = p * q
        low = n % (1 << (n.bit_length() // 2))
        if (p != q and n.bit_length() == 2048 and bitpct(n) < 40 and bitpct(low) < 40
                and b"\0" * 16 not in n.to_bytes(256, "big")):
            break
    really_prime(p, q)
    rsa_file("rsa/poly-sparse.pub", "weak.rsa.poly",
             "p, q = next prime after 2^1023 + 2^1022 + sum a_i 2^(128 i), a_i of 20 bits: n = p*q is mostly zero "
             f"bits ({bitpct(n)}% ones, low half {bitpct(low)}%); detail={bitpct(n)}",
             e, n, comment("ftp", "appliance-9"))

    # rsabias: a "vanity" modulus, top bytes 7/8 ones, low half random; 1536
    # bits, so that strict refuses it (for its size) while the bias itself
    # only warns
    p = random_prime(rng2, 768)
    dense = [0xFF ^ (1 << i) for i in range(8)]
    while True:
        top = int.from_bytes(bytes(rng2.choice(dense) for _ in range(88)), "big")
        top |= 1 << (88 * 8 - 1)
        q, n = product_with_top(rng2, p, top, 88 * 8, bits=1536)
        low = n % (1 << 768)
        if 50 - 12 < bitpct(low) <= 50 + 12 and not (50 - 12 < bitpct(n) <= 50 + 12):
            break
    really_prime(p, q)
    rsa_file("rsa/bias-vanity.pub", "weak.rsa.bias",
             f"1536-bit n = p*q whose top 88 bytes each have 7 bits of 8 set: {bitpct(n)}% ones, low half "
             f"{bitpct(low)}% (a vanity-style bias; a warning, as is weak.rsa.size, and strict refuses "
             f"the key for its size); detail={bitpct(n)}",
             e, n, comment("me", "vanity"))

    # the xz backdoor's payload marker: a*b + c <= 3 over the first 16 bytes
    # of the modulus as ASN.1 writes it (a zero byte in front)
    p = random_prime(rng2, 1024)
    while True:
        head = bytearray([0]) + bytearray([rng2.randrange(0x80, 0x100)]) + bytearray(rng2.randbytes(6))
        a = int.from_bytes(head[0:4], "little")
        b = int.from_bytes(head[4:8], "little")
        c = (-(a * b) + rng2.randrange(4)) % (1 << 64)
        head += c.to_bytes(8, "little")
        top = int.from_bytes(head[1:], "big")  # 15 bytes of n
        q, n = product_with_top(rng2, p, top, 15 * 8)
        nb = b"\0" + n.to_bytes(256, "big")
        if (int.from_bytes(nb[0:4], "little") * int.from_bytes(nb[4:8], "little")
                + int.from_bytes(nb[8:16], "little")) % (1 << 64) <= 3:
            break
    really_prime(p, q)
    rsa_file("rsa/xz-backdoor-marker.pub", "weak.rsa.xz_backdoor",
             "n = p*q whose first 16 bytes (with ASN.1's leading zero) hold a, b, c with a*b + c <= 3 "
             "mod 2^64, the check badkeys makes for the CVE-2024-3094 payload (a made-up modulus, "
             "not a real payload)", e, n, comment("root", "sshd-xz"))

    # a sparse DSA prime (badkeys' dsasparse), with otherwise valid 1024/160
    # parameters
    q = random_prime(rng2, 160)
    while True:
        words = [(rng2.getrandbits(4) | (rng2.getrandbits(8) << 24)) for _ in range(26)] + [1 << 23]
        hi = sum(w << (32 * j) for j, w in enumerate(words))  # p >> 168
        base = hi << 168
        l0 = (1 - base) % (2 * q)
        t = rng2.randrange(((1 << 168) - l0) // (2 * q))
        p = base + l0 + t * 2 * q
        if p.bit_length() == 1024 and p >> 1000 == 0x800000 and is_prime(p):
            break
    really_prime(p, q)
    assert (p - 1) % q == 0
    h = 2
    while (g := pow(h, (p - 1) // q, p)) == 1:
        h += 1
    y = pow(g, rng2.randrange(1, q), p)
    emit("dsa/sparse-p.pub", "weak.dsa.sparse",
         "1024/160 parameters with q | p - 1, g of order q, y = g^x (valid), but p sparse: top 24 bits "
         "0x800000 and, above bit 168, only bits 0-3 and 24-31 of each 32-bit word may be set",
         [key_line(dsa_blob(p, q, g, y), comment("u10", "legacy-host"))])


def merge_manifest():
    """Rewrites MANIFEST.tsv with the rows made now, keeping every other row
    as it was (its badkeys verdict too)."""
    path = os.path.join(HERE, "MANIFEST.tsv")
    with open(path) as f:
        header, *old = [ln.rstrip("\n").split("\t") for ln in f]
    made = {r[0] for r in rows}
    out = [r for r in old if r[0] not in made]
    for p, check, notes in rows:
        if openssh_rejects(p):
            notes += "; OpenSSH 9.2 refuses the key itself (ssh-keygen -l fails)"
        out.append([p, check, badkeys_result(p), notes])
    with open(path, "w", newline="\n") as f:
        f.write("\t".join(header) + "\n")
        for r in sorted(out):
            f.write("\t".join(r) + "\n")


# --- badkeys ------------------------------------------------------------------------


def openssh_rejects(path):
    """Whether ssh-keygen -l refuses the file (OpenSSH's own parsing)."""
    r = subprocess.run(["ssh-keygen", "-l", "-f", os.path.join(HERE, path)], capture_output=True)
    return r.returncode != 0


def badkeys_version():
    r = subprocess.run(["badkeys", "--version"], capture_output=True, text=True, check=True)
    return r.stdout.strip()


def badkeys_result(path):
    full = os.path.join(HERE, path)
    r = subprocess.run(["badkeys", "-c", BADKEYS_CHECKS, "-j", "-a", "--ssh-lines", full],
                       capture_output=True, text=True)
    if r.returncode not in (0, 4):
        raise RuntimeError(f"badkeys failed on {path}: {r.stderr}")
    per_line = []
    for out in r.stdout.splitlines():
        j = json.loads(out)
        where = j.get("where", "")
        line = int(where[len(full) + 1:].split("]")[0]) if where.startswith(full + "[") else 0
        if j["type"] in ("unparseable", "unsupported", "notfound"):
            names = [j["type"]]
        else:
            names = sorted(k + (f"/{v['subtest']}" if isinstance(v, dict) and "subtest" in v else "")
                           for k, v in j["results"].items())
        per_line.append((line, names))
    with open(full) as f:
        nkeys = sum(1 for ln in f if ln.strip() and not ln.startswith("#"))
    if nkeys == 1:
        names = per_line[0][1] if per_line else []
        return ",".join(names) or "-"
    hits = [f"L{ln}={','.join(n)}" for ln, n in per_line if n]
    return ";".join(hits) or "-"


def main():
    global rng
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", default="keyvet-weak-1")
    ap.add_argument("--skip-batch", action="store_true", help="keep batch-2000.pub / .pairs as they are")
    ap.add_argument("--only-offline", action="store_true",
                    help="write only gen_offline()'s cases and merge their rows into MANIFEST.tsv")
    args = ap.parse_args()
    if os.environ.get("LC_ALL") != "C.UTF-8":
        print("note: run with LC_ALL=C.UTF-8", file=sys.stderr)
    rng = random.Random(args.seed)
    rng2 = random.Random(args.seed + "-offline")
    if args.only_offline:
        gen_offline(rng2)
        print(f"badkeys {badkeys_version()} on {len(rows)} files", file=sys.stderr)
        merge_manifest()
        return
    for d in DIRS:
        shutil.rmtree(os.path.join(HERE, d), ignore_errors=True)
    gen_rsa()
    gen_ed25519()
    gen_ecdsa()
    gen_dsa()
    with tempfile.TemporaryDirectory() as tmp:
        gen_controls(tmp)
    gen_offline(rng2)
    if not args.skip_batch:
        lines, pairs = mb.make_batch(2000, 8, "1", jobs=os.cpu_count() or 1,
                                     log=lambda m: print(m, file=sys.stderr))
        with open(os.path.join(HERE, "batch-2000.pub"), "w", newline="\n") as f:
            f.writelines(lines)
        with open(os.path.join(HERE, "batch-2000.pairs"), "w", newline="\n") as f:
            f.writelines(f"{a}\t{b}\n" for a, b in pairs)
    with open(os.path.join(HERE, "batch-2000.pairs")) as f:
        pairs = [ln.split() for ln in f if ln.strip()]
    rows.append(("batch-2000.pub", "weak.rsa.shared_prime",
                 f"make_batch.py 2000 batch-2000.pub --pairs 8 --seed 1: 2,000 RSA-2048 keys, "
                 f"{len(pairs)} planted pairs sharing a prime (batch-2000.pairs, 1-based lines); "
                 "every other prime used once"))
    print(f"badkeys {badkeys_version()} on {len(rows)} files", file=sys.stderr)
    with open(os.path.join(HERE, "MANIFEST.tsv"), "w", newline="\n") as f:
        f.write("path\tcheck\tbadkeys\tnotes\n")
        for path, check, notes in sorted(rows):
            if openssh_rejects(path):
                notes += "; OpenSSH 9.2 refuses the key itself (ssh-keygen -l fails)"
            f.write(f"{path}\t{check}\t{badkeys_result(path)}\t{notes}\n")


if __name__ == "__main__":
    main()
