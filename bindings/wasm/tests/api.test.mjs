// The package's own calls: options, errors, fingerprints, conversion.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..", "..");
const keyvet = createRequire(import.meta.url)(join(here, "..", "pkg", "node", "keyvet_wasm.js"));
const ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl alice@example";

test("a line's record, valid or not", () => {
  const ok = keyvet.checkLine(ED25519, { policy: "openssh" });
  assert.equal(ok.valid, true);
  assert.equal(ok.algorithm, "ssh-ed25519");
  assert.match(ok.sha256, /^SHA256:/);
  const bad = keyvet.checkLine("ssh-ed25519 AAAA");
  assert.equal(bad.valid, false);
  assert.equal(bad.error.code, "blob.truncated");
  assert.equal(bad.error.line, 1);
  assert.equal(bad.error.byte, 12);
});

test("fingerprints as ssh-keygen prints them", () => {
  assert.equal(keyvet.fingerprint(ED25519), keyvet.checkLine(ED25519, { policy: "openssh" }).sha256);
  assert.match(keyvet.fingerprint(ED25519, "md5"), /^MD5:([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
  assert.throws(() => keyvet.fingerprint("ssh-ed25519 AAAA"), /blob\.truncated/);
  assert.throws(() => keyvet.fingerprint(ED25519, "sha1"), /unknown hash/);
});

test("options are the command line's switches", () => {
  assert.equal(keyvet.checkLine(ED25519, { deny: "ssh-ed25519" }).error.code.startsWith("policy."), true);
  assert.throws(() => keyvet.checkLine(ED25519, { policy: "lenient" }), /unknown policy/);
  assert.throws(() => keyvet.checkLine(ED25519, { colour: "blue" }), /unknown field/);
  assert.throws(() => keyvet.checkLine(ED25519, { enable: ["weak.nope"] }), /unknown check/);
  const fp = keyvet.fingerprint(ED25519);
  assert.equal(keyvet.checkLine(ED25519, { blocklist: fp }).error.code, "weak.blocklist");
});

test("vet refuses private keys and names paste mistakes", () => {
  const priv = readFileSync(join(root, "corpus/pasted/inputs/private-ed25519.leading-blank-line.txt"));
  const r = keyvet.vet(priv);
  assert.equal(r.error.code, "upload.private_key");
  for (const l of priv.toString().split("\n")) if (l.length > 20) assert.ok(!JSON.stringify(r).includes(l));
  const wrapped = ED25519.slice(0, 40) + "\n" + ED25519.slice(40);
  assert.equal(keyvet.vet(wrapped).error.code, "upload.wrapped");
  const fixed = keyvet.vet(wrapped, { repair: true });
  assert.equal(fixed.line, ED25519);
  assert.deepEqual(fixed.repairs.map((x) => x.code), ["upload.wrapped"]);
});

test("convert gives one OpenSSH line", () => {
  const c = keyvet.convert(readFileSync(join(root, "corpus/convert/public/ed25519.rfc4716")), { policy: "openssh" });
  assert.equal(c.valid, true);
  assert.equal(c.format, "rfc4716");
  assert.ok(c.line.startsWith("ssh-ed25519 "));
  assert.equal(keyvet.convert("not a key").valid, false);
  assert.throws(() => keyvet.check(42), /string or a Uint8Array/);
});

test("an oversized upload is refused by its length, a string or bytes alike", () => {
  const big = "ssh-ed25519 " + "A".repeat(4 * 1024 * 1024);
  for (const input of [big, new TextEncoder().encode(big)]) {
    assert.equal(keyvet.vet(input).error.code, "upload.too_large");
    assert.equal(keyvet.convert(input).error.code.endsWith("too_large"), true);
  }
  // A character of four UTF-8 bytes across the limit: still refused.
  const edge = "A".repeat(256 * 1024 - 1) + "\u{1F511}";
  assert.equal(keyvet.vet(edge).error.code, "upload.too_large");
  assert.equal(keyvet.vet("A".repeat(256 * 1024 - 4) + "\u{1F511}").error.code === "upload.too_large", false);
});
