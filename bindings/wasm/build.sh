#!/usr/bin/env bash
# Builds keyvet's WebAssembly package: pkg/web (ES module for browsers) and
# pkg/node (CommonJS for Node), and prints the .wasm sizes, raw and gzipped.
#
# The route on these machines, where rustup cannot add targets: Debian's
# rustc-web (a Rust with the wasm32 targets) and the standard library built
# from its sources (rust-web-src, -Zbuild-std), linked by LLVM's wasm-ld;
# then wasm-bindgen's CLI, at exactly the crate's wasm-bindgen version.
#
#   bash bindings/wasm/build.sh            # installs what is missing (apt: needs root)
#   KEYVET_WASM_FEATURES=verify bash ...   # without weak-key screening and the cloud profiles
#   KEYVET_WASM_STEP=apt bash ...          # only the Debian packages (CI fetches them early)
#   KEYVET_WASM_STEP=tools bash ...        # the packages and wasm-bindgen-cli, no build
set -euo pipefail
cd "$(dirname "$0")"

# Debian bookworm-security's rustc-web; rust-web-src must be the same version.
RUST_WEB=1.96.0+dfsg1-1~deb12u2
# The wasm-bindgen of Cargo.toml (pinned with =).
BINDGEN=$(sed -n 's/^wasm-bindgen = "=\(.*\)"/\1/p' Cargo.toml)

if [ "$(dpkg-query -W -f '${Version}' rustc-web 2>/dev/null)" != "$RUST_WEB" ] \
    || [ "$(dpkg-query -W -f '${Version}' rust-web-src 2>/dev/null)" != "$RUST_WEB" ] \
    || [ ! -x /usr/lib/llvm-22/bin/wasm-ld ]; then
    echo "installing rustc-web, rust-web-src $RUST_WEB and lld-22"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        "rustc-web=$RUST_WEB" "cargo-web=$RUST_WEB" "rust-web-src=$RUST_WEB" lld-22 > /dev/null
fi
[ "${KEYVET_WASM_STEP:-all}" = apt ] && exit 0

# rustup's cargo installs the CLI (without --locked: the registry here lags
# behind the CLI's lock file). A debug build: it takes a third of the time
# of a release build and runs in a second on this module. Without default
# features: they only give its test runner TLS (rustls and ring, half of
# the build: 103 s against about 180).
if ! wasm-bindgen --version 2>/dev/null | grep -q " $BINDGEN\$"; then
    echo "installing wasm-bindgen-cli $BINDGEN"
    cargo install --quiet --debug --no-default-features wasm-bindgen-cli --version "$BINDGEN"
fi
[ "${KEYVET_WASM_STEP:-all}" = tools ] && exit 0

# Debian's cargo and rustc by full path: rustup's come first on PATH.
FEATURES=${KEYVET_WASM_FEATURES-weak,verify,cloud}
env RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc RUSTC_BOOTSTRAP=1 \
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=/usr/lib/llvm-22/bin/wasm-ld \
    /usr/bin/cargo build --locked --quiet --release --target wasm32-unknown-unknown \
    -Zbuild-std=std,panic_abort --no-default-features --features "$FEATURES"

WASM=target/wasm32-unknown-unknown/release/keyvet_wasm.wasm
rm -rf pkg
wasm-bindgen --remove-name-section --remove-producers-section --target web --out-dir pkg/web "$WASM"
wasm-bindgen --remove-name-section --remove-producers-section --target nodejs --out-dir pkg/node "$WASM"
for f in pkg/web/keyvet_wasm_bg.wasm; do
    echo "$f (features: ${FEATURES:-none}): $(stat -c %s "$f") bytes, $(gzip -9 -c "$f" | wc -c) gzipped"
done
