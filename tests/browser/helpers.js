// Shared set-up for the browser tests: a static server for dist/ (at / and at /planner/), Debian
// Chromium through playwright-core, and checks every test ends with (no request leaving
// 127.0.0.1, no console errors).
import { before, after } from "node:test";
import { chromium } from "playwright-core";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFile, mkdir } from "node:fs/promises";
import { readFileSync, readdirSync } from "node:fs";
import { gzipSync, inflateRawSync } from "node:zlib";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
export const DIST = process.env.GATEWAY_PLANNER_DIST ?? path.resolve(here, "../../dist");
export const OUTPUT = path.join(here, "output");
export const SUBPATH = "/planner/";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
};

/** The built app's wasm and its wasm-bindgen glue (the JS trunk names after the same hash), as
 * gzip -9 would send them: the bytes a reader's browser downloads to start the planner. */
export function bundleSize(dist = DIST) {
  const files = readdirSync(dist).filter((f) => /^gateway-planner-web-[0-9a-f]+(_bg\.wasm|\.js)$/.test(f));
  const gzipped = files.map((f) => gzipSync(readFileSync(path.join(dist, f)), { level: 9 }).length);
  return { files, bytes: gzipped.reduce((sum, n) => sum + n, 0) };
}

/** The fixtures, by file name. */
export const FIXTURES = Object.fromEntries(
  readdirSync(path.join(here, "fixtures"))
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => [f, readFileSync(path.join(here, "fixtures", f), "utf8")]),
);

/**
 * Serves a built app (dist/ unless `root` is given) on 127.0.0.1 at a free port, both at / and
 * under `prefix`. The directory can be switched between requests (`server.root`: another
 * "release" on the same origin, as a service worker is per origin), and every request path is
 * recorded (`server.hits`), so a test can tell whether the browser reached the network at all.
 */
export async function startServer({ root = DIST, prefix = SUBPATH } = {}) {
  const site = { root, hits: [] };
  const server = createServer(async (req, res) => {
    site.hits.push(req.url);
    let urlPath = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (urlPath.startsWith(prefix)) urlPath = "/" + urlPath.slice(prefix.length);
    if (urlPath.endsWith("/")) urlPath += "index.html";
    const file = path.join(site.root, path.normalize(urlPath));
    if (!file.startsWith(site.root)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  site.origin = `http://127.0.0.1:${server.address().port}`;
  site.close = () => new Promise((resolve) => server.close(resolve));
  return site;
}

/** Starts the static server and Chromium once for a test file (and stops them after it);
 * `set` receives both. */
export function useServerAndBrowser(set) {
  let server, browser;
  before(async () => {
    server = await startServer();
    browser = await launch();
    set(server, browser);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
}

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
}

/**
 * Opens `url` in a fresh context that records every request and console error (of every frame),
 * for `finish`.
 */
export async function openPage(browser, url, { width = 1280, height = 900, colorScheme = "light" } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme, acceptDownloads: true });
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  page.on("request", (r) => requests.push(r.url()));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(url);
  return { context, page, requests, errors };
}

/** Opens the app (see `openPage`) and waits until it has started (see `appStarted`). */
export async function openApp(browser, origin, { base = "/", ...options } = {}) {
  const session = await openPage(browser, origin + base, options);
  await appStarted(session.page);
  return { ...session, origin };
}

/** Waits until the app has mounted: the static page's field, #values-boot, is replaced by the
 * app's #values-input, and by then the app has read storage and the address. The labelled field
 * (`editor`) is there before: the static page's one, empty, which the app has not yet filled. */
export async function appStarted(pageOrFrame) {
  await pageOrFrame.locator("#values-input").waitFor();
}

/** Asserts nothing left 127.0.0.1 and nothing was logged as an error, then closes the context. */
export async function finish(session) {
  for (const url of session.requests) {
    const u = new URL(url);
    const local = u.protocol === "data:" || ((u.protocol === "http:" || u.protocol === "blob:") && new URL(u.protocol === "blob:" ? u.pathname : url).hostname === "127.0.0.1");
    assert.ok(local, `request left 127.0.0.1: ${url}`);
  }
  assert.deepEqual(session.errors, [], "console errors");
  await session.context.close();
}

export function editor(page) {
  return page.getByRole("textbox", { name: "values.yaml", exact: true });
}

/** Puts `text` into the values text area as a paste would (one input event). */
export async function paste(page, text) {
  await editor(page).fill(text);
}

/** A values file of about 1.2 MB: the fixture without TLS plus many environment variables. */
export function largeValues() {
  let big = FIXTURES["03-ingress-no-tls.yaml"] + "  environment:\n";
  for (let i = 0; big.length < 1.2 * 1024 * 1024; i++) big += `    VARIABLE_${i}: "a fairly long configuration value ${i}"\n`;
  return big;
}

/** Puts `text` into the values text area in one value change and one input event, as a paste of a
 * large file would (faster than `fill` for megabytes). */
export async function setValuesAtOnce(page, text) {
  await editor(page).evaluate((t, value) => {
    t.value = value;
    t.dispatchEvent(new Event("input", { bubbles: true }));
  }, text);
}

export async function openTab(page, name) {
  // The Findings tab's name goes on with its counts ("Findings: 1 error, 6 warnings, 5 notes").
  await page.getByRole("tab", { name: new RegExp(`^${name}(: .*)?$`) }).click();
  return page.getByRole("tabpanel");
}

export async function screenshot(page, name) {
  await mkdir(OUTPUT, { recursive: true });
  await page.screenshot({ path: path.join(OUTPUT, `${name}.png`), fullPage: true });
}

/** The entries of a zip archive (stored or deflated), read from its central directory. */
export function readZip(buf) {
  let end = buf.length - 22;
  while (end >= 0 && buf.readUInt32LE(end) !== 0x06054b50) end--;
  assert.ok(end >= 0, "no end-of-central-directory record");
  const count = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  const entries = [];
  for (let i = 0; i < count; i++) {
    assert.equal(buf.readUInt32LE(at), 0x02014b50, "central directory entry");
    const method = buf.readUInt16LE(at + 10);
    const size = buf.readUInt32LE(at + 20);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString("utf8", at + 46, at + 46 + nameLen);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    entries.push({ name, content: (method === 8 ? inflateRawSync(data) : data).toString("utf8") });
    at += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** The text of a download triggered by clicking `button`. */
export async function download(page, button) {
  const [dl] = await Promise.all([page.waitForEvent("download"), button.click()]);
  const file = await dl.path();
  return { name: dl.suggestedFilename(), bytes: await readFile(file) };
}

/** Types `text` key by key at a person's pace: `min` to `max` ms between keys (seeded, so every
 * run types alike). */
export async function typeAtPace(page, text, { min = 80, max = 150 } = {}) {
  let seed = 7;
  for (const key of text) {
    await page.keyboard.type(key);
    seed = (seed * 48271) % 2147483647;
    await page.waitForTimeout(min + (seed % (max - min + 1)));
  }
}

/** Starts recording, in the page, every moment an alert is on screen (`role=alert` or an
 * assertive live region) and where the tab row is on the page at every frame; `watchTyping`
 * returns a function that stops and returns both. */
export async function watchTyping(page) {
  await page.evaluate(() => {
    const record = { alerts: [], tabRow: new Set(), running: true };
    const alerts = () => [...document.querySelectorAll('[role="alert"], [aria-live="assertive"]')].map((e) => e.outerHTML.slice(0, 200));
    const check = () => {
      for (const a of alerts()) record.alerts.push(a);
    };
    record.observer = new MutationObserver(check);
    record.observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["role", "aria-live"] });
    const frame = () => {
      if (!record.running) return;
      const tabs = document.querySelector('[role="tablist"]');
      if (tabs) record.tabRow.add(Math.round(tabs.getBoundingClientRect().top + window.scrollY));
      requestAnimationFrame(frame);
    };
    frame();
    window.typingWatch = record;
  });
  return () =>
    page.evaluate(() => {
      const record = window.typingWatch;
      record.running = false;
      record.observer.disconnect();
      return { alerts: record.alerts, tabRow: [...record.tabRow] };
    });
}

const AXE = readFileSync(path.join(here, "node_modules/axe-core/axe.min.js"), "utf8");

/**
 * Runs axe-core (from the local package, never a CDN) on the page or frame as it is now and
 * returns its violations of impact `serious` or `critical`, plus any of the listed `rules`
 * whatever their impact, each as "rule: target (summary)" lines.
 */
export async function accessibilityProblems(page, { rules = [] } = {}) {
  // Evaluated through the DevTools protocol: the page's Content-Security-Policy stays as it is.
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.evaluate(AXE);
  const violations = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations));
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical" || rules.includes(v.id))
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(" ")} ${n.failureSummary?.split("\n").slice(1, 2).join("") ?? ""}`));
}

/** Saves what the window shows now (not the whole page), with `element` scrolled to its top
 * when given. */
export async function screenshotView(page, name, element) {
  await mkdir(OUTPUT, { recursive: true });
  // scrollIntoView also scrolls the input column, which scrolls on its own beside the plan.
  if (element) await element.evaluate((e) => e.scrollIntoView({ block: "start" }));
  else await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(OUTPUT, `${name}.png`) });
}
