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

function execute(file, args, env) {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd: root, encoding: "buffer", maxBuffer: 1 << 28, env }, (err, stdout, stderr) => {
      const code = err ? err.code : 0;
      if (code !== 0 && code !== 1) reject(new Error(`${args.slice(0, 8).join(" ")}: exit ${code}: ${stderr}`));
      else resolve(stdout.toString("utf8"));
    });
  });
}

const run = (args) => execute(cli(), args);

// `keyvet ARGS FILE` for each file, a process each (the package reads one
// upload at a time), each printing one line; through a shell loop per core,
// as Node forks its whole heap at each spawn (26 s against 5 s for the
// corpus).
async function runEach(args, paths) {
  const loop = `for f; do "$KEYVET_CLI" ${args.map((a) => `'${a}'`).join(" ")} "$f" || [ $? -eq 1 ] || exit 2; done`;
  const parts = Math.max(2, cpus().length);
  const size = Math.ceil(paths.length / parts);
  const chunks = Array.from({ length: parts }, (_, i) => paths.slice(i * size, (i + 1) * size));
  const env = { ...process.env, KEYVET_CLI: cli() };
  const outputs = await Promise.all(chunks.map((c) => execute("/bin/sh", ["-c", loop, "sh", ...c], env)));
  const out = outputs.flatMap((o) => lines(o));
  assert.equal(out.length, paths.length, "one line for each file");
  return out;
}

// JSON Lines split on newlines only (U+2028 and the like stay in strings).
const lines = (text) => text.split("\n").filter((l) => l.length > 0);
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

const files = corpusFiles();

for (const policy of ["strict", "openssh"]) {
  test(`check equals keyvet check --json on every corpus file (${policy})`, async () => {
    assert.ok(files.length > 2000, "the corpus is missing");
    // One run over every file (each record names its file); but a run
    // screens its keys for shared primes as one batch, so the files where
    // it found one are run again alone, as the package checks them.
    const check = async (paths) =>
      lines(await run(["check", "--json", "-j", "1", "--policy", policy, "--", ...paths])).map((l) => JSON.parse(l));
    const expected = new Map(files.map((p) => [p, []]));
    for (const record of await check(files)) expected.get(record.file).push(record);
    for (const [p, records] of expected) {
      if (JSON.stringify(records).includes("weak.rsa.shared_prime")) expected.set(p, await check([p]));
    }
    const differences = [];
    let records = 0;
    files.forEach((p) => {
      const want = expected.get(p);
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
    const expected = await runEach(["vet", "--json", "--policy", policy, ...(repair ? ["--repair"] : [])], files);
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
