// The upload form in headless Chromium: the page (web/) and the module
// (pkg/web/, from build.sh) served on 127.0.0.1, inputs pasted, typed and
// dropped into it, and each verdict shown compared with what the command
// line's `keyvet vet --json` says of the same text. A screenshot of the page
// is saved, its path printed.
//
// Run: node --test bindings/wasm/browser/ (after build.sh and `cargo build`;
// `npm ci` in bindings/wasm for playwright-core). CHROMIUM names the
// browser (default /usr/bin/chromium), KEYVET_CLI the command line.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { execFileSync } from "node:child_process";
import { readFileSync, mkdtempSync, writeFileSync, mkdirSync, rmSync, existsSync } from "node:fs";
import { join, dirname, extname, normalize, sep } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const pkgRoot = join(here, "..");
const root = join(pkgRoot, "..", "..");
const cli = process.env.KEYVET_CLI || join(root, "target/debug/keyvet");
const screenshot = join(root, "target", "wasm-form.png");

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
};

// The package folder, read only, on a loopback port chosen by the system.
function serve() {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
    const file = join(pkgRoot, path);
    const type = TYPES[extname(file)];
    if (!file.startsWith(pkgRoot + sep) || !type || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": type }).end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

let server, browser, page, scratch, profile;
const pageErrors = [];

before(async () => {
  server = await serve();
  profile = mkdtempSync(join(tmpdir(), "keyvet-chromium-"));
  scratch = mkdtempSync(join(tmpdir(), "keyvet-form-"));
  // A fresh profile (Playwright passes it as --user-data-dir) and
  // headless mode (--headless).
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    viewport: { width: 900, height: 900 },
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.on("pageerror", (e) => pageErrors.push(e.message));
  // The page must work offline: any request beyond this server fails it.
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(`http://127.0.0.1:${server.address().port}/web/index.html`);
  await page.waitForSelector("#key:not([disabled])");
  for (const u of requests) assert.ok(u.startsWith(`http://127.0.0.1:${server.address().port}/`), u);
});

after(async () => {
  await browser?.close();
  server?.close();
  for (const d of [scratch, profile]) if (d) rmSync(d, { recursive: true, force: true });
});

// The command line's record of the text the page holds (a textarea turns
// CR LF into LF, so the text, not the file, is what is compared).
function expected(text, { repair = false } = {}) {
  const f = join(scratch, "upload.txt");
  writeFileSync(f, text);
  const args = ["vet", "--json", "--policy", "strict", ...(repair ? ["--repair"] : []), f];
  let out;
  try {
    out = execFileSync(cli, args, { encoding: "utf8" });
  } catch (e) {
    if (e.status !== 1) throw e;
    out = e.stdout;
  }
  return JSON.parse(out);
}

async function shown() {
  return page.evaluate(() => {
    const v = document.getElementById("verdict");
    return {
      state: v.dataset.state,
      text: v.innerText,
      submit: !document.getElementById("submit").disabled,
    };
  });
}

async function setRepair(on) {
  if ((await page.isChecked("#repair")) !== on) await page.click("#repair");
}

// What the page shows for a record: the state, and the line that only
// that verdict would print (the fingerprint, or the code).
function assertShows(got, want, name) {
  if (want.valid) {
    assert.equal(got.state, "ok", `${name}: ${got.text}`);
    assert.ok(got.text.includes(want.sha256), `${name}: no ${want.sha256} in ${got.text}`);
    assert.ok(got.text.includes(want.md5), `${name}: no ${want.md5}`);
    assert.ok(got.text.includes(`Valid ${want.algorithm} key, ${want.bits} bits.`), `${name}: ${got.text}`);
    assert.equal(got.submit, true, `${name}: the button is off`);
  } else {
    const state = want.error.code === "upload.private_key" ? "private" : "bad";
    assert.equal(got.state, state, `${name}: ${got.text}`);
    assert.ok(got.text.includes(`[${want.error.code}]`), `${name}: no [${want.error.code}] in ${got.text}`);
    assert.ok(got.text.includes(want.error.message), `${name}: the message differs: ${got.text}`);
    assert.equal(got.submit, false, `${name}: the button is on`);
  }
}

const INPUTS = [
  // Valid keys of each type.
  "corpus/valid/ed25519.pub",
  "corpus/valid/rsa-3072.pub",
  "corpus/valid/rsa-4096.pub",
  "corpus/valid/ecdsa-256.pub",
  "corpus/valid/ecdsa-384.pub",
  "corpus/valid/ecdsa-521.pub",
  "corpus/valid/sk-ed25519.pub",
  "corpus/valid/sk-ecdsa.pub",
  "corpus/valid/comment-utf8.pub",
  // Refused by the strict policy.
  "corpus/valid/dsa-1024.pub",
  "corpus/valid/rsa-1024.pub",
  // Private keys, of every container.
  "corpus/pasted/inputs/private-ed25519.txt",
  "corpus/pasted/inputs/private-rsa2048.pem.txt",
  "corpus/pasted/inputs/private-ecdsa256.pkcs8.txt",
  "corpus/pasted/inputs/private-ed25519.v3.ppk.txt",
  "corpus/pasted/inputs/private-after-public.txt",
  // Paste mistakes.
  "corpus/pasted/inputs/wrap-64-ed25519.txt",
  "corpus/pasted/inputs/wrap-70-rsa-2048.txt",
  "corpus/pasted/inputs/bom-ed25519.txt",
  "corpus/pasted/inputs/nbsp-after-type.txt",
  "corpus/pasted/inputs/space-in-base64.txt",
  "corpus/pasted/inputs/several-keys.txt",
  "corpus/pasted/inputs/x509-certificate.txt",
  // Other formats: PEM, RFC 4716.
  "corpus/pasted/inputs/pem-spki.txt",
  "corpus/pasted/inputs/rfc4716.txt",
  // Junk.
  "corpus/pasted/inputs/binary-random.txt",
  "corpus/pasted/inputs/only-comments.txt",
];

test("pasted inputs: each verdict is the command line's, without and with repairs", async () => {
  for (const repair of [false, true]) {
    await setRepair(repair);
    for (const p of INPUTS) {
      const text = readFileSync(join(root, p), "utf8");
      await page.fill("#key", text);
      const got = await shown();
      const value = await page.inputValue("#key");
      assertShows(got, expected(value, { repair }), `${p}${repair ? " (repair)" : ""}`);
    }
  }
  await setRepair(false);
});

test("a private key is refused in the page and not echoed", async () => {
  const text = readFileSync(join(root, "corpus/pasted/inputs/private-ed25519.txt"), "utf8");
  await page.fill("#key", text);
  const got = await shown();
  assert.equal(got.state, "private");
  assert.match(got.text, /private key: it was not sent/);
  for (const l of text.split("\n")) if (l.length > 20 && !l.startsWith("-----")) assert.ok(!got.text.includes(l), l);
});

test("a key typed by hand: the verdict follows each keystroke", async () => {
  const line = readFileSync(join(root, "corpus/valid/ed25519.pub"), "utf8").trim();
  await page.fill("#key", "");
  assert.equal((await shown()).state, "empty");
  await page.type("#key", line.slice(0, 30));
  const partial = await shown();
  assertShows(partial, expected(line.slice(0, 30)), "the first 30 characters");
  await page.type("#key", line.slice(30));
  assertShows(await shown(), expected(line), "the whole line");
  // The keyboard alone reaches the button and adds the key.
  await page.focus("#key");
  await page.keyboard.press("Tab");
  for (let i = 0; i < 8 && !(await page.evaluate(() => document.activeElement.id === "submit")); i++) {
    await page.keyboard.press("Tab");
  }
  assert.equal(await page.evaluate(() => document.activeElement.id), "submit");
  await page.keyboard.press("Enter");
  assert.match((await shown()).text, /Key added/);
});

test("a dropped file is read in the page", async () => {
  const text = readFileSync(join(root, "corpus/valid/ecdsa-384.pub"), "utf8");
  await page.fill("#key", "");
  await page.evaluate((content) => {
    const dt = new DataTransfer();
    dt.items.add(new File([content], "id_ecdsa.pub", { type: "text/plain" }));
    document.getElementById("key").dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true }));
  }, text);
  await page.waitForFunction(() => document.getElementById("verdict").dataset.state !== "empty");
  assertShows(await shown(), expected(text), "dropped ecdsa-384.pub");
});

// The command line's answer to one ImportKeyPair request: the provider's
// code (null when imported) and HTTP status, from the body it prints.
function providerExpected(profile, request) {
  const f = join(scratch, "request.jsonl");
  writeFileSync(f, JSON.stringify(request) + "\n");
  let out;
  try {
    out = execFileSync(cli, ["import", "--profile", profile, "--requests", f], { encoding: "utf8" });
  } catch (e) {
    if (e.status !== 1) throw e;
    out = e.stdout;
  }
  const body = JSON.parse(out);
  // Tencent 3.0: Response.Error.Code; v2: codeDesc beside code 0 for
  // success; Alibaba: Code.
  const code = body.Response?.Error?.Code ?? (body.code === 0 ? null : body.codeDesc) ?? body.Code ?? null;
  return { code, status: body.HttpStatus ?? 200 };
}

test("with a cloud API chosen, the page shows the provider's answer as keyvet import gives it", async () => {
  const profiles = await page.evaluate(() => [...document.querySelectorAll("#profile option")].map((o) => o.value));
  assert.deepEqual(profiles, ["", "tencent-cvm", "tencent-cvm-v2", "alibaba-ecs"]);
  const params = {
    "tencent-cvm": ["KeyName", "PublicKey", { ProjectId: 0 }],
    "tencent-cvm-v2": ["keyName", "pubKey", {}],
    "alibaba-ecs": ["KeyPairName", "PublicKeyBody", { RegionId: "cn-hangzhou" }],
  };
  const cases = [
    ["build_key", "corpus/valid/rsa-3072.pub"],
    ["build_key", "corpus/valid/ed25519.pub"],
    ["build_key", "corpus/valid/rsa-1024.pub"],
    ["build_key", "corpus/pasted/inputs/private-rsa2048.pem.txt"],
    ["build_key", "corpus/pasted/inputs/wrap-70-rsa-2048.txt"],
    ["bad name!", "corpus/valid/rsa-3072.pub"],
    ["x".repeat(200), "corpus/valid/rsa-4096.pub"],
    ["", "corpus/valid/rsa-4096.pub"],
  ];
  let accepted = 0;
  for (const id of profiles.slice(1)) {
    await page.selectOption("#profile", id);
    const [n, k, extra] = params[id];
    for (const [name, file] of cases) {
      await page.fill("#name", name);
      await page.fill("#key", readFileSync(join(root, file), "utf8"));
      const text = await page.inputValue("#key");
      const want = providerExpected(id, { ...extra, [n]: name, [k]: text });
      const got = await page.evaluate(() => {
        const p = document.getElementById("provider");
        return { hidden: p.hidden, state: p.dataset.state, text: p.innerText };
      });
      const label = `${id}, ${JSON.stringify(name.slice(0, 12))}, ${file}`;
      assert.equal(got.hidden, false, label);
      if (want.code === null) {
        accepted++;
        assert.equal(got.state, "ok", `${label}: ${got.text}`);
        assert.match(got.text, /would accept it \(HTTP 200\)/, label);
      } else {
        assert.equal(got.state, "bad", `${label}: ${got.text}`);
        assert.ok(got.text.includes(`[${want.code}]`), `${label}: no [${want.code}] in ${got.text}`);
        assert.ok(got.text.includes(`(HTTP ${want.status})`), `${label}: ${got.text}`);
        assert.equal(await page.isDisabled("#submit"), true, label);
      }
    }
  }
  assert.ok(accepted >= 3, `accepted ${accepted}`);
  await page.fill("#name", "my_laptop");
});

test("the verdict region is announced, and the page has no script errors", async () => {
  const region = await page.evaluate(() => {
    const v = document.getElementById("verdict");
    return [v.getAttribute("role"), v.getAttribute("aria-live")];
  });
  assert.deepEqual(region, ["status", "polite"]);
  assert.ok(await page.evaluate(() => document.getElementById("name").labels.length === 1));
  assert.ok(await page.evaluate(() => document.getElementById("profile").labels.length === 1));
  assert.ok(await page.evaluate(() => document.getElementById("key").labels.length === 1));
  const wrapped = readFileSync(join(root, "corpus/pasted/inputs/wrap-64-rsa-4096.txt"), "utf8");
  await page.fill("#key", wrapped);
  // A mistake keyvet can repair says so; the provider's answer beside it.
  await page.selectOption("#profile", "alibaba-ecs");
  assert.match((await shown()).text, /tick “Repair paste mistakes”/);
  mkdirSync(dirname(screenshot), { recursive: true });
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log(`screenshot: ${screenshot}`);
  assert.deepEqual(pageErrors, []);
});
