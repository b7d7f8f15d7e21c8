// The upload form: every keystroke (or dropped file) goes through keyvet's
// vet(), the same entry point and verdict the server uses; nothing leaves
// the page. A private key is refused here, before anything could be sent.
import init, { vet, version, profiles, importKeyPair } from "../pkg/web/keyvet_wasm.js";

const $ = (id) => document.getElementById(id);
const key = $("key");
const verdict = $("verdict");
const submit = $("submit");
const provider = $("provider");
const profileSelect = $("profile");

const PROFILE_NAMES = {
  "tencent-cvm": "Tencent Cloud CVM ImportKeyPair (API 3.0)",
  "tencent-cvm-v2": "Tencent Cloud CVM ImportKeyPair (API v2)",
  "alibaba-ecs": "Alibaba Cloud ECS ImportKeyPair",
};
let PROFILES = [];

function options() {
  return {
    policy: document.querySelector('input[name="policy"]:checked').value,
    repair: $("repair").checked,
  };
}

// Builds the verdict with text nodes only: nothing pasted is ever parsed
// as HTML.
function show(state, head, lines) {
  verdict.dataset.state = state;
  verdict.replaceChildren();
  const h = document.createElement("p");
  h.className = "head";
  h.textContent = head;
  verdict.append(h);
  for (const [cls, text] of lines) {
    const p = document.createElement("p");
    if (cls) p.className = cls;
    p.textContent = text;
    verdict.append(p);
  }
  verdictOk = state === "ok";
  submit.disabled = !(verdictOk && providerOk);
}

let verdictOk = false;
let providerOk = true;

// The provider's answer to ImportKeyPair of this name and key, as the
// server that serves its API returns it (keyvet import): its code and
// message, and keyvet's reason. Served against an empty store: whether the
// name is taken is for the server to say.
function askProvider(text) {
  const id = profileSelect.value;
  provider.replaceChildren();
  if (!id || text.trim() === "") {
    provider.hidden = true;
    provider.dataset.state = "none";
    providerOk = true;
    return;
  }
  const p = PROFILES.find((x) => x.id === id);
  const request = { [p.name]: $("name").value, [p.public_key]: text };
  if (p.region) request[p.region] = "cn-hangzhou";
  if (p.project) request[p.project] = 0;
  const r = importKeyPair(id, request);
  const line = (cls, t) => {
    const el = document.createElement("p");
    if (cls) el.className = cls;
    el.textContent = t;
    provider.append(el);
  };
  provider.hidden = false;
  provider.dataset.state = r.ok ? "ok" : "bad";
  if (r.ok) {
    line("head", `${PROFILE_NAMES[id]} would accept it (HTTP 200).`);
  } else {
    line("head", `${PROFILE_NAMES[id]} would refuse it (HTTP ${r.status}).`);
    line("", r.message);
    line("small", `[${r.code}] ${r.reason}`);
  }
  providerOk = r.ok;
}

function check() {
  const text = key.value;
  askProvider(text);
  if (text.trim() === "") {
    show("empty", "Waiting for a key.", []);
    return;
  }
  const r = vet(text, options());
  if (r.valid) {
    const lines = [
      ["fp", r.sha256],
      ["fp", r.md5],
    ];
    if (r.comment) lines.push(["", `Comment: ${r.comment}`]);
    if (r.converted_from) lines.push(["", `Converted from ${r.converted_from}.`]);
    for (const x of r.repairs) lines.push(["warn", `Repaired: ${x.message}.`]);
    for (const f of r.findings) lines.push(["warn", `Warning: ${f.message} [${f.id}]`]);
    show("ok", `Valid ${r.algorithm} key, ${r.bits} bits.`, lines);
    return;
  }
  const e = r.error;
  if (e.code === "upload.private_key") {
    show("private", "This is a private key: it was not sent.", [
      ["", e.message],
      ["", "Paste the public key instead: the file with the same name ending in .pub."],
      ["small", `[${e.code}]`],
    ]);
    return;
  }
  // The engine's message says where (line, byte) and what to fix.
  const lines = [["", e.message]];
  if (!options().repair && vet(text, { ...options(), repair: true }).valid) {
    lines.push(["hint", "Or tick “Repair paste mistakes” to have it fixed for you."]);
  }
  lines.push(["small", `[${e.code}]`]);
  show("bad", "This key cannot be added.", lines);
}

key.addEventListener("input", check);
document.querySelectorAll("input[name=policy], #repair, #profile").forEach((el) => el.addEventListener("change", check));
$("name").addEventListener("input", check);

// A dropped file is read here, never uploaded.
key.addEventListener("dragover", (ev) => {
  ev.preventDefault();
  key.classList.add("drop");
});
key.addEventListener("dragleave", () => key.classList.remove("drop"));
key.addEventListener("drop", async (ev) => {
  ev.preventDefault();
  key.classList.remove("drop");
  const file = ev.dataTransfer.files[0];
  if (file && file.size <= 256 * 1024) {
    key.value = await file.text();
    check();
  }
});

$("form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  check();
  if (!submit.disabled) show("ok", "Key added (a demonstration: nothing was sent).", []);
});

await init();
PROFILES = profiles();
for (const p of PROFILES) {
  const o = document.createElement("option");
  o.value = p.id;
  o.textContent = PROFILE_NAMES[p.id] ?? p.id;
  profileSelect.append(o);
}
$("engine").textContent = `keyvet ${version()}, running in this page (WebAssembly).`;
key.disabled = false;
check();
