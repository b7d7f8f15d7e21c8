// The cloud profiles answer as `keyvet import` does: the same run of
// requests (every pasted upload of corpus/pasted, valid keys, repeated names
// and keys, bad names, tags, projects and regions) against one store gives
// the same response bodies, request and key IDs aside.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { join, dirname } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..", "..");
const keyvet = createRequire(import.meta.url)(join(here, "..", "pkg", "node", "keyvet_wasm.js"));
const cli = process.env.KEYVET_CLI || join(root, "target/debug/keyvet");
const RANDOM_IDS = new Set(["RequestId", "KeyId", "keyId", "KeyPairId"]);

function masked(v) {
  if (Array.isArray(v)) return v.map(masked);
  if (v && typeof v === "object") {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, RANDOM_IDS.has(k) ? "<id>" : masked(x)]));
  }
  return v;
}

const read = (dir, filter = () => true) =>
  readdirSync(join(root, dir))
    .filter(filter)
    .sort()
    .map((f) => readFileSync(join(root, dir, f)).toString("utf8"));

function requestsFor(p) {
  const keys = [...read("corpus/pasted/inputs"), ...read("corpus/valid", (f) => /^rsa-.*\.pub$/.test(f))];
  const n = p.name;
  const k = p.public_key;
  const extra = {};
  if (p.region) extra[p.region] = "cn-hangzhou";
  if (p.project) extra[p.project] = 0;
  const reqs = keys.map((key, i) => ({ ...extra, [n]: `key${i}`, [k]: key }));
  const rsa = keys[keys.length - 1];
  reqs.push(
    { ...extra, [n]: "key0", [k]: rsa }, // a name taken
    { ...extra, [n]: "again", [k]: rsa }, // a key stored twice
    { ...extra, [n]: "", [k]: rsa },
    { ...extra, [n]: "x".repeat(200), [k]: rsa },
    { ...extra, [n]: "bad name!", [k]: rsa },
    { ...extra, [k]: rsa },
    { ...extra, [n]: "nokey" },
    { [n]: "noscope", [k]: rsa },
  );
  if (p.region) {
    reqs.push({ ...extra, [n]: "otherregion", [k]: keys[keys.length - 2], [p.region]: "cn-beijing" });
    reqs.push({ ...extra, [n]: "tagged", [k]: rsa, "Tag.1.Key": "team", "Tag.1.Value": "ops" });
    reqs.push({ ...extra, [n]: "badtag", [k]: rsa, "Tag.1.Key": "acs:x", "Tag.1.Value": "ops" });
  }
  if (p.project) {
    reqs.push({ ...extra, [n]: "otherproject", [k]: rsa, [p.project]: 7 });
    reqs.push({ ...extra, [n]: "strproject", [k]: rsa, [p.project]: "zero" });
    const tags = [{ ResourceType: "keypair", Tags: [{ Key: "team", Value: "ops" }] }];
    reqs.push({ ...extra, [n]: "tagged", [k]: keys[keys.length - 3], TagSpecification: tags });
  }
  return reqs;
}

const PROFILES = keyvet.profiles();

test("the profiles are keyvet import's", () => {
  assert.deepEqual(
    PROFILES.map((p) => p.id),
    ["tencent-cvm", "tencent-cvm-v2", "alibaba-ecs"],
  );
  assert.throws(() => keyvet.importKeyPair("aws", {}), /unknown profile "aws"/);
  assert.throws(() => keyvet.importKeyPair("alibaba-ecs", "KeyPairName=k"), /plain object/);
  assert.throws(() => new keyvet.Store({ project: [1] }), /unknown field/);
});

for (const p of PROFILES) {
  test(`${p.id}: every response equals keyvet import's`, () => {
    const reqs = requestsFor(p);
    const dir = mkdtempSync(join(tmpdir(), "keyvet-profiles-"));
    try {
      const path = join(dir, "requests.jsonl");
      writeFileSync(path, reqs.map((r) => JSON.stringify(r) + "\n").join(""));
      let out;
      try {
        out = execFileSync(cli, ["import", "--profile", p.id, "--requests", path], { encoding: "utf8" });
      } catch (e) {
        if (e.status !== 1) throw e;
        out = e.stdout;
      }
      const expected = out.split("\n").filter((l) => l).map((l) => masked(JSON.parse(l)));
      assert.equal(expected.length, reqs.length);
      const store = new keyvet.Store();
      const got = reqs.map((r) => store.importKeyPair(p.id, r));
      // Equal as JSON text: the same fields, values and order.
      const differences = got
        .map((g, i) => [i, JSON.stringify(masked(g.body)), JSON.stringify(expected[i])])
        .filter(([, a, b]) => a !== b);
      assert.deepEqual(differences, []);
      const codes = new Set(got.map((g) => g.code));
      assert.ok(codes.has(null) && codes.size >= 5, [...codes].join(" "));
      for (const g of got) {
        assert.equal(g.ok, g.code === null);
        if (!g.ok) assert.ok(g.message && g.reason, JSON.stringify(g));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test("the quota is the store's and can be lowered; the free function starts from an empty store", () => {
  const keys = read("corpus/valid", (f) => /^rsa-.*\.pub$/.test(f)).slice(0, 3);
  const store = new keyvet.Store();
  const got = keys.map((k, i) =>
    store.importKeyPair("alibaba-ecs", { KeyPairName: `k${i}`, RegionId: "cn-hangzhou", PublicKeyBody: k }, 2),
  );
  assert.deepEqual(
    got.map((g) => g.ok),
    [true, true, false],
  );
  assert.equal(got[2].code, "QuotaExceed.KeyPair");
  assert.ok(got[2].xml.includes("<Code>QuotaExceed.KeyPair</Code>"));
  const req = { KeyPairName: "k0", RegionId: "cn-hangzhou", PublicKeyBody: keys[0] };
  assert.equal(keyvet.importKeyPair("alibaba-ecs", req).ok, true);
  assert.equal(keyvet.importKeyPair("alibaba-ecs", req).ok, true);
  const withGroup = new keyvet.Store({ resourceGroups: ["rg-1"] });
  assert.equal(withGroup.importKeyPair("alibaba-ecs", { ...req, ResourceGroupId: "rg-1" }).ok, true);
  assert.equal(keyvet.importKeyPair("alibaba-ecs", { ...req, ResourceGroupId: "rg-1" }).ok, false);
});
