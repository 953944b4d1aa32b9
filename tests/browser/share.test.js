// Sharing and keeping: a share link rebuilds the same plan and never carries secrets; broken links
// are refused with a message; nothing is stored on the device unless asked; the runbook prints.
import { test } from "node:test";
import assert from "node:assert/strict";
import { inflateSync, createDeflate } from "node:zlib";
import { readFileSync } from "node:fs";
import { useServerAndBrowser, openApp, appStarted, finish, paste, openTab, readZip, download, screenshot, editor, FIXTURES, SUBPATH } from "./helpers.js";

let server, browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

const SECRETS = FIXTURES["values-with-secrets.yaml"];
// Every secret value in the fixture.
const SECRET_PARTS = ["TOPSECRET", "AKIATOPSECRETACCESSKEY"];

const radio = (page, group, name) => page.getByRole("radiogroup", { name: group, exact: true }).getByRole("radio", { name, exact: true });
const field = (page, name) => page.getByRole("textbox", { name, exact: true });

async function allFiles(page) {
  const { bytes } = await download(page, page.getByRole("button", { name: "Download all" }));
  return Object.fromEntries(readZip(bytes).map((f) => [f.name, f.content]));
}

/** Everything the page keeps: localStorage and sessionStorage, as one string. */
async function storageDump(page) {
  return page.evaluate(() => JSON.stringify([{ ...localStorage }, { ...sessionStorage }]));
}

/** The plain-text payload of a share link (base64url of zlib), as the receiver's page reads it. */
function linkPayload(url) {
  const fragment = new URL(url).hash;
  const match = /^#plan=1\.([A-Za-z0-9_-]+)$/.exec(fragment);
  assert.ok(match, `a share fragment: ${fragment.slice(0, 40)}`);
  return inflateSync(Buffer.from(match[1], "base64url")).toString("utf8");
}

async function copyShareLink(session) {
  const { page, context } = session;
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: session.origin });
  await page.getByRole("button", { name: "Copy share link" }).click();
  await page.getByRole("status").filter({ hasText: "Link copied." }).waitFor();
  const shown = await page.getByRole("textbox", { name: "Share link", exact: true }).inputValue();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, shown, "the clipboard holds the link shown");
  return shown;
}

test("a share link rebuilds the same plan byte for byte and carries no secret", async () => {
  const sender = await openApp(browser, server.origin, { base: SUBPATH });
  const { page } = sender;
  await paste(page, SECRETS);
  await radio(page, "Gateway implementation", "Istio").check();
  await field(page, "Release name").fill("mlops");
  await field(page, "Gateway namespace").fill("istio-ingress");
  await (await openTab(page, "Gateway")).getByText("hostname: zenml.prod.example.com").first().waitFor();
  const original = await allFiles(page);
  // Before copying, the sender can read exactly what the link will carry.
  const preview = page.getByLabel("What the link holds", { exact: true });
  assert.equal(await preview.isVisible(), false, "the preview is shown on request");
  await page.getByRole("button", { name: "Show exactly what the link holds" }).click();
  await preview.getByText("implementation=istio").waitFor();
  const previewed = await preview.innerText();
  for (const secret of SECRET_PARTS) assert.ok(!previewed.includes(secret), `the preview holds ${secret}`);
  const url = await copyShareLink(sender);
  assert.ok(url.startsWith(`${server.origin}${SUBPATH}#plan=1.`), url.slice(0, 60));
  const status = await page.getByRole("status").filter({ hasText: "Link copied." }).innerText();
  assert.match(status, /Not in the link: .*zenml\.database.*zenml\.secretEnvironment.*comments/);
  const payload = linkPayload(url);
  assert.equal(previewed, payload, "the preview is the link's text, byte for byte");
  for (const secret of SECRET_PARTS) assert.ok(!url.includes(secret) && !payload.includes(secret), `link holds ${secret}`);
  assert.match(payload, /^implementation=istio$/m);
  assert.match(payload, /^release=mlops$/m);
  assert.match(payload, /^    host: zenml\.prod\.example\.com$/m);
  assert.equal(await storageDump(page), "[{},{}]", "nothing stored by default");
  await screenshot(page, "share-copied");
  await finish(sender);

  const receiver = await openApp(browser, url.replace(/#.*/, ""), { base: new URL(url).hash });
  const r = receiver.page;
  const banner = r.getByRole("status").filter({ hasText: "Opened from a share link." });
  await banner.waitFor();
  // The list of what was left out comes from the link: the page says whose word it is.
  assert.match(await banner.innerText(), /The link says its sender left out: .*zenml\.auth.*That list is the sender's claim/s);
  assert.doesNotMatch(await banner.innerText(), /Not in the link/);
  assert.equal(await radio(r, "Gateway implementation", "Istio").isChecked(), true);
  assert.equal(await field(r, "Release name").inputValue(), "mlops");
  assert.equal(await field(r, "Gateway namespace").inputValue(), "istio-ingress");
  const received = await editor(r).inputValue();
  for (const secret of SECRET_PARTS) assert.ok(!received.includes(secret), `text area holds ${secret}`);
  // Each shared line sits on the line it had in the sender's file.
  const senderLines = SECRETS.split("\n");
  received.split("\n").forEach((line, i) => {
    if (i > 0 && line) assert.ok(senderLines[i].startsWith(line), `line ${i + 1}: ${line}`);
  });
  await (await openTab(r, "Gateway")).getByText("hostname: zenml.prod.example.com").first().waitFor();
  const rebuilt = await allFiles(r);
  assert.deepEqual(Object.keys(rebuilt), Object.keys(original));
  for (const name of Object.keys(original)) {
    for (const secret of SECRET_PARTS) assert.ok(!rebuilt[name].includes(secret), `${name} holds ${secret}`);
    // The two full values files are the user's own file, of which only a part is shared.
    if (!name.startsWith("values-")) assert.equal(rebuilt[name], original[name], `${name} byte for byte`);
  }
  for (const name of ["runbook.md", "findings.json"]) {
    for (const secret of SECRET_PARTS) assert.ok(!original[name].includes(secret), `the sender's ${name} holds ${secret}`);
  }
  assert.equal(await storageDump(r), "[{},{}]");
  await screenshot(r, "share-opened");
  await finish(receiver);
});

test("a cut off, altered or newer link gives a message and an empty planner", async () => {
  const sender = await openApp(browser, server.origin);
  await paste(sender.page, FIXTURES["03-ingress-no-tls.yaml"]);
  await (await openTab(sender.page, "Gateway")).getByText("hostname: zenml.example.com").first().waitFor();
  const url = await copyShareLink(sender);
  await finish(sender);
  const fragment = new URL(url).hash;
  const flipped = fragment.slice(0, 30) + (fragment[30] === "A" ? "B" : "A") + fragment.slice(31);
  const cases = [
    [fragment.slice(0, Math.floor(fragment.length / 2)), /damaged or incomplete/],
    [flipped, /damaged or incomplete/],
    [fragment.replace("plan=1.", "plan=7."), /newer Gateway Planner \(link format 7/],
    ["#plan=1.%%%", /damaged or incomplete/],
    ["#plan=banana", /damaged or incomplete/],
  ];
  for (const [hash, message] of cases) {
    const s = await openApp(browser, server.origin, { base: "/" + hash });
    const alert = s.page.getByRole("alert").filter({ hasText: "share link" });
    await alert.waitFor();
    assert.match(await alert.innerText(), message, hash.slice(0, 40));
    assert.equal(await editor(s.page).inputValue(), "", "the planner starts empty");
    await s.page.getByRole("heading", { name: "No plan yet" }).waitFor();
    await finish(s);
  }
});

/** The zlib stream of `bytes` zeros (in node, 16 MiB at a time), as a zlib bomb: tiny for what it
 * unpacks to. */
async function zerosDeflated(bytes) {
  const deflate = createDeflate({ level: 9 });
  const parts = [];
  deflate.on("data", (c) => parts.push(c));
  const ended = new Promise((resolve, reject) => deflate.on("end", resolve).on("error", reject));
  const zeros = Buffer.alloc(16 << 20);
  for (let left = bytes; left > 0; left -= zeros.length) {
    if (!deflate.write(left >= zeros.length ? zeros : zeros.subarray(0, left))) await new Promise((resolve) => deflate.once("drain", resolve));
  }
  deflate.end();
  await ended;
  return Buffer.concat(parts);
}

/** The peak resident memory (VmHWM, bytes) of each renderer process of the browser, by pid. */
async function rendererPeaks(cdp) {
  const { processInfo } = await cdp.send("SystemInfo.getProcessInfo");
  const peaks = new Map();
  for (const p of processInfo.filter((p) => p.type === "renderer")) {
    try {
      const kb = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${p.id}/status`, "utf8"));
      if (kb) peaks.set(p.id, Number(kb[1]) * 1024);
    } catch {
      // The process ended.
    }
  }
  return peaks;
}

test("a zlib bomb in a link is refused at the size limit, without filling the tab's memory", async () => {
  // 1.4 GiB of zeros in 1.4 MB of zlib: a link just under Chromium's 2 MiB address limit.
  const bomb = await zerosDeflated(1400 << 20);
  const hash = `#plan=1.${bomb.toString("base64url")}`;
  assert.ok(hash.length < 2_000_000, `${hash.length} characters`);
  const cdp = await browser.newBrowserCDPSession();
  const before = await rendererPeaks(cdp);
  const started = Date.now();
  const s = await openApp(browser, server.origin, { base: "/" + hash });
  const { page } = s;
  const alert = page.getByRole("alert").filter({ hasText: "share link" });
  await alert.waitFor({ timeout: 60_000 });
  const refusedAfter = Date.now() - started;
  assert.match(await alert.innerText(), /damaged or incomplete \(it unpacks to more than a values file can be\)/);
  assert.equal(await editor(page).inputValue(), "", "the planner starts empty");
  // The page's renderer (the one this test started) never held much more than the limit.
  const peaks = [...(await rendererPeaks(cdp))].filter(([pid]) => !before.has(pid)).map(([, peak]) => peak);
  assert.ok(peaks.length > 0, "the page's renderer process");
  const peak = Math.max(...peaks);
  console.log(`zlib bomb: refused after ${refusedAfter} ms; renderer peak ${(peak / 2 ** 20).toFixed(0)} MiB`);
  assert.ok(peak < 400 * 2 ** 20, `the renderer peaked at ${(peak / 2 ** 20).toFixed(0)} MiB`);
  // The page still answers at once and plans.
  const t = Date.now();
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
  assert.ok(Date.now() - t < 1000, `a frame took ${Date.now() - t} ms`);
  await paste(page, FIXTURES["03-ingress-no-tls.yaml"]);
  await (await openTab(page, "Gateway")).getByText("hostname: zenml.example.com").first().waitFor();
  await cdp.detach();
  await finish(s);
});

test("nothing is kept on the device unless asked; Forget clears it", async () => {
  const s = await openApp(browser, server.origin);
  const { page } = s;
  await paste(page, SECRETS);
  await radio(page, "Gateway implementation", "NGINX Gateway Fabric").check();
  await field(page, "Release name").fill("mlops");
  await (await openTab(page, "Gateway")).getByText("hostname: zenml.prod.example.com").first().waitFor();
  assert.equal(await storageDump(page), "[{},{}]");
  await page.reload();
  await appStarted(page);
  assert.equal(await editor(page).inputValue(), "", "off by default: a reload forgets the text");
  assert.equal(await field(page, "Release name").inputValue(), "");

  // Choices only.
  await paste(page, SECRETS);
  await radio(page, "Gateway implementation", "NGINX Gateway Fabric").check();
  await field(page, "Release name").fill("mlops");
  const valuesBox = page.getByRole("checkbox", { name: "Also remember the values (they may hold secrets)" });
  assert.equal(await valuesBox.isDisabled(), true);
  await page.getByRole("checkbox", { name: "Remember on this device" }).check();
  let stored = await storageDump(page);
  assert.match(stored, /implementation=nginx-gateway-fabric/);
  assert.match(stored, /release=mlops/);
  for (const secret of SECRET_PARTS) assert.ok(!stored.includes(secret), `storage holds ${secret}`);
  await page.reload();
  await appStarted(page);
  assert.equal(await editor(page).inputValue(), "");
  assert.equal(await field(page, "Release name").inputValue(), "mlops");
  assert.equal(await radio(page, "Gateway implementation", "NGINX Gateway Fabric").isChecked(), true);
  assert.equal(await page.getByRole("checkbox", { name: "Remember on this device" }).isChecked(), true);

  // And the values, when ticked.
  await paste(page, SECRETS);
  await valuesBox.check();
  await page.waitForFunction(() => Object.values(localStorage).some((v) => v.includes("zenml.prod.example.com")));
  await page.reload();
  await appStarted(page);
  assert.equal(await editor(page).inputValue(), SECRETS);
  await (await openTab(page, "Gateway")).getByText("hostname: zenml.prod.example.com").first().waitFor();

  await page.getByRole("button", { name: "Forget" }).click();
  assert.equal(await storageDump(page), "[{},{}]");
  assert.equal(await page.getByRole("checkbox", { name: "Remember on this device" }).isChecked(), false);
  await page.reload();
  await appStarted(page);
  assert.equal(await editor(page).inputValue(), "");
  assert.equal(await radio(page, "Gateway implementation", "Envoy Gateway").isChecked(), true);
  await finish(s);
});

test("an old version's stored text is removed on start", async () => {
  const s = await openApp(browser, server.origin);
  await s.page.evaluate(() => localStorage.setItem("gateway-planner.values", "zenml:\n  database:\n    url: TOPSECRET\n"));
  await s.page.reload();
  await appStarted(s.page);
  assert.equal(await editor(s.page).inputValue(), "");
  assert.equal(await storageDump(s.page), "[{},{}]");
  await finish(s);
});

test("Print / Save as PDF prints the runbook alone", async () => {
  const s = await openApp(browser, server.origin);
  const { page } = s;
  await paste(page, FIXTURES["01-nginx-certmanager-clusterissuer-tls.yaml"]);
  const runbook = await openTab(page, "Runbook");
  await runbook.getByRole("heading", { level: 3 }).waitFor();
  await page.evaluate(() => {
    window.print = () => {
      window.printed = (window.printed ?? 0) + 1;
    };
  });
  await page.getByRole("button", { name: "Print / Save as PDF" }).click();
  assert.equal(await page.evaluate(() => window.printed), 1);
  await page.emulateMedia({ media: "print" });
  assert.equal(await editor(page).isVisible(), false, "the input is not printed");
  assert.equal(await page.getByRole("tablist").isVisible(), false);
  assert.equal(await page.getByRole("button", { name: "Print / Save as PDF" }).isVisible(), false);
  assert.equal(await runbook.getByRole("heading", { level: 3 }).isVisible(), true);
  const pdf = await page.pdf({ format: "A4" });
  assert.ok(pdf.length > 20_000, `a PDF of ${pdf.length} bytes`);
  assert.equal(pdf.subarray(0, 5).toString(), "%PDF-");
  await page.emulateMedia({ media: "screen" });
  await finish(s);
});
