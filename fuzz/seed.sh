#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from the repository's corpus/ (keys, lines,
# blobs, certificates, upload formats, hand-made cases). Idempotent: files
# are named by the SHA-1 of their content, existing corpus files are kept.
# fuzz/corpus is not committed (fuzz/.gitignore); run this before fuzzing.
#
#   bash fuzz/seed.sh            # all targets
#   bash fuzz/seed.sh cert blob  # some targets
#
# Needs only bash and coreutils (split, base64, sha1sum, head, tr, grep).
set -euo pipefail
cd "$(dirname "$0")"
FUZZ=$PWD
SRC=$(cd .. && pwd)/corpus
[ -d "$SRC/valid" ] || { echo "seed.sh: no corpus at $SRC" >&2; exit 2; }

ALL=(line listing_line known_hosts blob options file convert cert parallel structured roundtrip differential)
if [ $# -gt 0 ]; then TARGETS=("$@"); else TARGETS=("${ALL[@]}"); fi
want() { local t; for t in "${TARGETS[@]}"; do [ "$t" = "$1" ] && return 0; done; return 1; }

MAX_FILE=32768   # whole-file seeds above this are skipped (weak/batch-2000.pub)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# put TARGET FILE: copy FILE into the target's corpus under its hash.
put() {
    want "$1" || return 0
    [ -s "$2" ] || return 0
    mkdir -p "$FUZZ/corpus/$1"
    local h
    h=$(sha1sum < "$2" | cut -c1-40)
    [ -e "$FUZZ/corpus/$1/$h" ] || cp "$2" "$FUZZ/corpus/$1/$h"
}

# Key files (one or more lines each): valid keys and certificates, cases,
# v00 certificates, weak keys, certcheck certificates, converted publics.
mapfile -t KEYFILES < <(find "$SRC/valid" "$SRC/cases" "$SRC/v00" "$SRC/weak" "$SRC/certcheck" \
    "$SRC/convert/public" -type f -name '*.pub' -size -${MAX_FILE}c | sort)
# Every other input format: RFC 4716, PEM, PKCS#1/#8, SEC1, OpenSSH and
# PuTTY private keys (throw-away test keys), ssh.com.
mapfile -t FORMATFILES < <(find "$SRC/convert" -type f ! -name '*.txt' ! -name '*.md' ! -name '*.py' \
    ! -name '*.tsv' -size -${MAX_FILE}c | sort)

# known_hosts files, one line a seed (first byte: the host asked about).
for f in "$SRC"/known_hosts/plain "$SRC"/known_hosts/hashed; do
    [ -e "$f" ] || continue
    i=0
    while IFS= read -r line || [ -n "$line" ]; do
        { printf "\\x0$((i % 4))"; printf '%s\n' "$line"; } > "$TMP/kh"
        put known_hosts "$TMP/kh"
        i=$((i + 1))
    done < "$f"
done

# Request headers for the cert target (8 bytes; see fuzz_targets/cert.rs).
CERT_HEADERS=(
    '\x00\x00\x00\x00\x00\x00\x00\x00'
    '\x0a\x01\x00\x00\x00\x00\x00\x00'
    '\x53\x02\x0a\x00\x00\x01\x00\x00'
    '\xf7\x04\x7f\x00\x00\x01\x65\x00'
)
# Headers for the parallel target (policy/cap byte, chunk byte).
PAR_HEADERS=('\x00\x00' '\x0d\x20' '\x52\x40' '\xf9\x08')

n=0
for f in "${KEYFILES[@]}"; do
    put file "$f"
    put convert "$f"
    put roundtrip "$f"
    printf "${PAR_HEADERS[$((n % 4))]}" > "$TMP/par"; cat "$f" >> "$TMP/par"; put parallel "$TMP/par"
    rm -f "$TMP"/l.*
    split -l 1 -a 4 "$f" "$TMP/l."
    for l in "$TMP"/l.*; do
        [ -e "$l" ] || continue
        put line "$l"
        put listing_line "$l"
        { printf '\x00'; cat "$l"; } > "$TMP/kh"; put known_hosts "$TMP/kh"
        put differential "$l"
        # The options field of authorized_keys lines (the first token when
        # it is not a key type or a comment).
        first=$(head -c 4096 "$l" | tr -d '\r\n' | tr -s ' \t' '\n\n' | grep -a -m1 . || true)
        case "$first" in
            ssh-*|ecdsa-*|sk-*|'#'*|'') ;;
            *) printf '%s' "$first" > "$TMP/opt"; put options "$TMP/opt" ;;
        esac
        # The key blob: the first base64 field.
        b64=$(tr -d '\r\n' < "$l" | tr -s ' \t' '\n\n' | grep -a -m1 -E '^AAAA[A-Za-z0-9+/]+=*$' || true)
        [ -n "$b64" ] || continue
        printf '%s' "$b64" | base64 -d > "$TMP/blob" 2>/dev/null || true
        [ -s "$TMP/blob" ] || continue
        put blob "$TMP/blob"
        put roundtrip "$TMP/blob"
        put differential "$TMP/blob"
        if grep -a -q -- '-cert-v0' "$TMP/blob"; then
            printf "${CERT_HEADERS[$((n % 4))]}" > "$TMP/cert"
            cat "$TMP/blob" >> "$TMP/cert"
            put cert "$TMP/cert"
            n=$((n + 1))
        fi
    done
    n=$((n + 1))
done

for f in "${FORMATFILES[@]}"; do
    put file "$f"
    put convert "$f"
    put roundtrip "$f"
    printf "${PAR_HEADERS[$((n % 4))]}" > "$TMP/par"; cat "$f" >> "$TMP/par"; put parallel "$TMP/par"
    n=$((n + 1))
done

# Multi-chunk inputs for parallel: several files in one.
cat "$SRC/valid/authorized_keys-many.pub" "$SRC/cases/"*.pub "$SRC/weak/rsa/shared-primes.pub" > "$TMP/all"
head -c 12000 "$TMP/all" > "$TMP/many"
for h in "${PAR_HEADERS[@]}"; do
    printf "$h" > "$TMP/par"; cat "$TMP/many" >> "$TMP/par"; put parallel "$TMP/par"
done

# Option strings beyond the corpus: every option sshd knows.
while IFS= read -r o; do
    printf '%s' "$o" > "$TMP/opt"; put options "$TMP/opt"
done <<'EOF'
restrict,pty,command="echo \"hi\", bye"
no-agent-forwarding,no-port-forwarding,no-pty,no-user-rc,no-X11-forwarding
cert-authority,principals="alice,bob"
from="10.0.0.0/8,!192.168.0.1,*.example.com",no-touch-required,verify-required
environment="A=B",environment="PATH=/bin"
permitopen="host:22",permitopen="[::1]:*",permitlisten="localhost:8080"
expiry-time="20300101",expiry-time="203001011200Z"
tunnel="0",agent-forwarding,port-forwarding,user-rc,x11-forwarding,touch-required
EOF

# The structured target reads its input as choices; any bytes do. A few
# deterministic ones to start from.
if want structured; then
    for i in $(seq 0 31); do
        printf 'structured seed %d' "$i" | sha1sum | cut -c1-40 > "$TMP/s"
        put structured "$TMP/s"
    done
fi

for t in "${TARGETS[@]}"; do
    printf '%-13s %5d files\n' "$t" "$(find "$FUZZ/corpus/$t" -type f 2>/dev/null | wc -l)"
done
