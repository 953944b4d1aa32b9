// Measures the web app in Chromium beside a bare static page, and prints the figures for
// BENCHMARKS.md (not a test: it asserts nothing about time). Run after a release build:
//   node tests/browser/measure.mjs            (from the repository root; dist/ must be built)
// The bare page (bare.html, written next to a copy of dist/ and served by the same server) holds
// only a labelled values.yaml text area. Figures, each for the app and the bare page in one run:
// 0. wasm + wasm-bindgen glue, gzip -9;
// 1. navigation -> values field ready (median of 21 fresh contexts, app and bare page in turn);
// 2. keystroke -> next frame in the chart's 63 KB default file (p95; keys to the app and to the
//    bare page in turn, so both meet the machine in the same state), and for the app
//    keystroke -> updated plan on screen (p50/p95);
// 3. the same in a 1 MB and a 5 MB file (the app plans those on request: Update plan);
// 4. navigation -> first plan on screen, opening a share link of the 63 KB file.
import { readFileSync } from "node:fs";
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import { deflateSync } from "node:zlib";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startServer, launch, bundleSize, DIST } from "./helpers.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const DEFAULT_VALUES = readFileSync(path.join(here, "../golden/gke-default-values/values.yaml"), "utf8")
  // Give the ingress a host so each keystroke in it changes the plan.
  .replace("    host:\n    path: /\n    tls:", "    host: zenml.example.com\n    path: /\n    tls:");
const HOST_END = DEFAULT_VALUES.indexOf("zenml.example.com\n    path: /\n    tls:") + "zenml.example.com".length;
const BARE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>values.yaml</title></head>
<body><label for="values">values.yaml</label><textarea id="values" rows="18" cols="80" spellcheck="false"></textarea></body></html>
`;

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const ms = (v) => `${v.toFixed(1)} ms`;
const ratio = (app, bare) => `${(app / bare).toFixed(2)}x`;

/** A values file of about `bytes`: the default file, then padding comments. */
function valuesOf(bytes) {
  let text = DEFAULT_VALUES;
  while (text.length < bytes) text += `# padding line ${text.length} to make a large values file .......\n`;
  return text;
}

/** A share link fragment for values, as the app writes one (format 1, zlib, base64url). */
function shareFragment(values) {
  const payload = `implementation=envoy-gateway\nsameLines=true\n\n${values}`;
  return "#plan=1." + deflateSync(Buffer.from(payload)).toString("base64url");
}
/** Installs, in the page, a recorder of keystroke -> next frame and keystroke -> next plan. */
async function instrument(page) {
  await page.evaluate(() => {
    window.measure = { keys: [] };
    const plans = () => Number(document.documentElement.dataset.plans ?? 0);
    document.addEventListener(
      "keydown",
      (event) => {
        const start = performance.now();
        const record = { start, frame: null, plan: null, plansBefore: plans() };
        window.measure.keys.push(record);
        requestAnimationFrame(() => setTimeout(() => (record.frame = performance.now() - start), 0));
        const observer = new MutationObserver(() => {
          if (plans() > record.plansBefore) {
            observer.disconnect();
            requestAnimationFrame(() => setTimeout(() => (record.plan = performance.now() - start), 0));
          }
        });
        observer.observe(document.documentElement, { attributes: true, attributeFilter: ["data-plans"] });
      },
      true,
    );
  });
}

/** Presses key number `i` (x and Backspace in turn) and waits for its next frame (and plan). */
async function typeAndRecord(page, i, pauseMs, waitForPlan) {
  await page.keyboard.press(i % 2 === 0 ? "x" : "Backspace");
  await page.waitForFunction(
    ({ n, plan }) => {
      const r = window.measure.keys[n];
      return r && r.frame !== null && (!plan || r.plan !== null);
    },
    { n: i, plan: waitForPlan },
    { timeout: 60_000 },
  );
  await page.waitForTimeout(pauseMs);
}

const root = await mkdtemp(path.join(os.tmpdir(), "gateway-planner-measure-"));
await cp(DIST, root, { recursive: true });
await writeFile(path.join(root, "bare.html"), BARE);
const server = await startServer({ root });
const browser = await launch();
const field = (page) => page.getByRole("textbox", { name: "values.yaml", exact: true });

/** Navigation -> a labelled values field in the page, for each URL: the median of `runs` fresh
 * contexts, the URLs taking turns (a median of 7 moved by 15% from run to run with the machine). */
async function fieldReady(urls, runs = 21) {
  const times = urls.map(() => []);
  for (let i = 0; i < runs; i++) {
    for (const [n, url] of urls.entries()) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await page.goto(url, { waitUntil: "commit" });
      const handle = await page.waitForFunction(() => document.querySelector("textarea") && performance.now(), null, { polling: "raf" });
      times[n].push(await handle.jsonValue());
      await context.close();
    }
  }
  return times.map((t) => percentile(t, 50));
}

/** Opens `url` with `text` in its values field, caret after the host, ready to record keys. Large
 * files go in as a paste would: one value change and one input event. */
async function openWithText(url, text) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(url);
  const isApp = !url.endsWith("bare.html");
  if (isApp) await page.locator("#values-input").waitFor();
  await field(page).evaluate((t, value) => {
    t.value = value;
    t.dispatchEvent(new Event("input", { bubbles: true }));
  }, text);
  let bigPlan = null;
  if (isApp) {
    const update = page.getByRole("button", { name: "Update plan" });
    if (text.length > 1024 * 1024) {
      await update.waitFor();
      const start = Date.now();
      await update.click();
      await update.waitFor({ state: "detached", timeout: 120_000 });
      bigPlan = Date.now() - start;
    }
    await page.waitForFunction(() => document.querySelector(".tab-panel") !== null, null, { timeout: 120_000 });
  }
  await field(page).evaluate((t, at) => {
    t.focus();
    t.setSelectionRange(at, at);
  }, HOST_END);
  await instrument(page);
  return { context, page, bigPlan };
}

/** Keystroke -> next frame (and -> next plan in the app) with `text` in the field of the app and
 * of the bare page, the two taking keys in turn; the first ten keys of each warm up. */
async function typing(text, { plan = false, keys = 40, pause = 150 } = {}) {
  const app = await openWithText(`${server.origin}/`, text);
  const bare = await openWithText(`${server.origin}/bare.html`, text);
  for (let i = 0; i < keys + 10; i++) {
    for (const [side, waitForPlan] of [[app, plan], [bare, false]]) {
      await side.page.bringToFront();
      await typeAndRecord(side.page, i, pause, waitForPlan);
    }
  }
  const recorded = async ({ page, context }) => {
    const records = (await page.evaluate(() => window.measure.keys)).slice(10);
    await context.close();
    return { frames: records.map((k) => k.frame), plans: records.map((k) => k.plan) };
  };
  return { app: { ...(await recorded(app)), bigPlan: app.bigPlan }, bare: await recorded(bare) };
}

try {
  const bundleBytes = bundleSize().bytes;
  console.error("bundle measured");

  const [appReady, bareReady] = await fieldReady([`${server.origin}/`, `${server.origin}/bare.html`]);
  console.error("field ready measured");

  const { app: app63, bare: bare63 } = await typing(DEFAULT_VALUES, { plan: true });
  console.error("63 KB measured");
  const big = {};
  for (const [name, bytes] of [["1 MB", 1024 * 1024], ["5 MB", 5 * 1024 * 1024]]) {
    big[name] = await typing(valuesOf(bytes), { keys: 20, pause: 100 });
    console.error(`${name} measured`);
  }

  // Navigation -> first plan, from a share link of the 63 KB file.
  const firstPlan = [];
  const fragment = shareFragment(DEFAULT_VALUES);
  for (let i = 0; i < 7; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.origin}/${fragment}`);
    await page.waitForFunction(() => document.querySelector(".tab-panel") !== null, null, { timeout: 60_000 });
    firstPlan.push(await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now())))));
    await context.close();
  }

  const p50 = (v) => percentile(v, 50);
  const p95 = (v) => percentile(v, 95);
  console.log(`Chromium ${browser.version()}, ${new Date().toISOString()}`);
  console.log(`| figure | app | bare page | app / bare |`);
  console.log(`|---|---|---|---|`);
  console.log(`| wasm + glue, gzip -9 | ${bundleBytes} B | | |`);
  console.log(`| navigation -> values field ready, median of 21 | ${ms(appReady)} | ${ms(bareReady)} | ${ratio(appReady, bareReady)} |`);
  console.log(`| 63 KB file: keystroke -> next frame p95 | ${ms(p95(app63.frames))} | ${ms(p95(bare63.frames))} | ${ratio(p95(app63.frames), p95(bare63.frames))} |`);
  console.log(`| 63 KB file: keystroke -> next frame p50 | ${ms(p50(app63.frames))} | ${ms(p50(bare63.frames))} | ${ratio(p50(app63.frames), p50(bare63.frames))} |`);
  console.log(`| 63 KB file: keystroke -> updated plan on screen p50 / p95 | ${ms(p50(app63.plans))} / ${ms(p95(app63.plans))} | | |`);
  for (const [name, { app, bare }] of Object.entries(big)) {
    console.log(`| ${name} file: keystroke -> next frame p95 | ${ms(p95(app.frames))} | ${ms(p95(bare.frames))} | ${ratio(p95(app.frames), p95(bare.frames))} |`);
    if (app.bigPlan !== null) console.log(`| ${name} file: Update plan -> plan on screen | ${app.bigPlan} ms | | |`);
  }
  console.log(`| navigation -> first plan on screen (share link, 63 KB), median of 7 (min, max) | ${ms(percentile(firstPlan, 50))} (${ms(Math.min(...firstPlan))}, ${ms(Math.max(...firstPlan))}) | | |`);
} finally {
  await browser.close();
  await server.close();
  await rm(root, { recursive: true, force: true });
}
