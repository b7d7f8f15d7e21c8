// Every verdict of the WebAssembly package equals the command line's: for
// every file of corpus/ (the conformance data under corpus/external/
// included), `check` gives exactly the objects `keyvet check --json` prints
// under both policies, and `vet` those of `keyvet vet --json` with and
// without repairs. Run: node --test bindings/wasm/tests/ (after build.sh and
// `cargo build`; KEYVET_CLI names another CLI).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readdirSync, readFileSync, statSync, accessSync, constants } from "node:fs";
import { join, relative, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { cpus } from "node:os";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..", "..");
const require = createRequire(import.meta.url);
const keyvet = require(join(here, "..", "pkg", "node", "keyvet_wasm.js"));

function cli() {
  const candidates = process.env.KEYVET_CLI
    ? [process.env.KEYVET_CLI]
    : [join(root, "target/debug/keyvet"), join(root, "target/release/keyvet")];
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {}
  }
  throw new Error("the keyvet CLI is needed to compare with: run `cargo build`, or set KEYVET_CLI");
}

function corpusFiles() {
  const out = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(root, p));
    }
  };
  walk(join(root, "corpus"));
  return out.sort();
}

function run(args) {
  return new Promise((resolve, reject) => {
    execFile(cli(), args, { cwd: root, encoding: "buffer", maxBuffer: 1 << 28 }, (err, stdout, stderr) => {
      const code = err ? err.code : 0;
      if (code !== 0 && code !== 1) reject(new Error(`${args.join(" ")}: exit ${code}: ${stderr}`));
      else resolve(stdout.toString("utf8"));
    });
  });
}

async function pool(items, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(2, cpus().length) }, worker));
  return results;
}

// JSON Lines split on newlines only (U+2028 and the like stay in strings).
const lines = (text) => text.split("\n").filter((l) => l.length > 0);
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

const files = corpusFiles();

for (const policy of ["strict", "openssh"]) {
  test(`check equals keyvet check --json on every corpus file (${policy})`, async () => {
    assert.ok(files.length > 2000, "the corpus is missing");
    const expected = await pool(files, (p) => run(["check", "--json", "-j", "1", "--policy", policy, p]));
    const differences = [];
    let records = 0;
    files.forEach((p, i) => {
      const want = lines(expected[i]).map((l) => JSON.parse(l));
      const got = keyvet.check(readFileSync(join(root, p)), { policy }, p);
      records += got.length;
      if (!same(got, want)) differences.push(p);
    });
    assert.deepEqual(differences, [], `${differences.length} files differ`);
    assert.ok(records > 3000, `only ${records} records`);
  });
}

for (const [policy, repair] of [["strict", false], ["strict", true], ["openssh", false]]) {
  test(`vet equals keyvet vet --json on every corpus file (${policy}${repair ? ", repair" : ""})`, async () => {
    const args = (p) => ["vet", "--json", "--policy", policy, ...(repair ? ["--repair"] : []), p];
    const expected = await pool(files, (p) => run(args(p)));
    const differences = [];
    let accepted = 0;
    files.forEach((p, i) => {
      const want = JSON.parse(expected[i]);
      const got = keyvet.vet(readFileSync(join(root, p)), { policy, repair });
      if (got.valid) accepted++;
      if (!same(got, want)) differences.push(p);
    });
    assert.deepEqual(differences, [], `${differences.length} files differ`);
    assert.ok(accepted > 200 && files.length - accepted > 200, `accepted ${accepted}`);
  });
}
