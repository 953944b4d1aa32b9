// Measures the web app in Chromium and prints the figures for BENCHMARKS.md (not a test: it
// asserts nothing about time). Run after a release build:
//   node tests/browser/measure.mjs            (from the repository root; dist/ must be built)
// 1. navigation -> first rendered plan, opening a share link of the chart's 63 KB default file;
// 2. keystroke -> updated plan on screen, typing in that file (p50/p95), and keystroke -> next
//    frame (what typing feels like);
// 3. the same keystroke -> next frame in a 5 MB file, where the plan waits for "Update plan".
import { readFileSync } from "node:fs";
import { deflateSync } from "node:zlib";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startServer, launch } from "./helpers.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const DEFAULT_VALUES = readFileSync(path.join(here, "../golden/gke-default-values/values.yaml"), "utf8")
  // Give the ingress a host so each keystroke in it changes the plan.
  .replace("    host:\n    path: /\n    tls:", "    host: zenml.example.com\n    path: /\n    tls:");
const HOST_END = DEFAULT_VALUES.indexOf("zenml.example.com\n    path: /\n    tls:") + "zenml.example.com".length;

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const ms = (v) => `${v.toFixed(1)} ms`;

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

async function typeAndRecord(page, count, pauseMs, waitForPlan) {
  for (let i = 0; i < count; i++) {
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
  return page.evaluate(() => window.measure.keys);
}

const server = await startServer();
const browser = await launch();
try {
  // 1. Navigation -> first plan (fresh context each time: nothing cached).
  const firstPlan = [];
  const mounted = [];
  const fragment = shareFragment(DEFAULT_VALUES);
  for (let i = 0; i < 7; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.origin}/${fragment}`);
    await page.getByRole("textbox", { name: "values.yaml", exact: true }).waitFor();
    await page.waitForFunction(() => document.querySelector(".tab-panel") !== null, null, { timeout: 60_000 });
    const t = await page.evaluate(
      () =>
        new Promise((resolve) =>
          requestAnimationFrame(() => {
            const nav = performance.getEntriesByType("navigation")[0];
            resolve({ plan: performance.now(), domContentLoaded: nav.domContentLoadedEventEnd });
          }),
        ),
    );
    firstPlan.push(t.plan);
    mounted.push(t.domContentLoaded);
    await context.close();
  }

  console.error("first plan measured");
  // 2. Typing in the 63 KB file.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(server.origin + "/");
  const editor = page.getByRole("textbox", { name: "values.yaml", exact: true });
  await editor.fill(DEFAULT_VALUES);
  await page.waitForFunction(() => document.querySelector(".tab-panel") !== null);
  await editor.evaluate((t, at) => {
    t.focus();
    t.setSelectionRange(at, at);
  }, HOST_END);
  await instrument(page);
  const keys = (await typeAndRecord(page, 60, 150, true)).slice(10); // the first ten warm up
  const planLatency = keys.map((k) => k.plan);
  const frameLatency = keys.map((k) => k.frame);
  // Fast typing: keys 30 ms apart; the plan follows once typing pauses.
  await page.evaluate(() => (window.measure.keys = []));
  const burst = await typeAndRecord(page, 40, 30, false);
  const burstFrames = burst.map((k) => k.frame);

  // 3. A 5 MB file: typing never waits for a plan.
  let big = DEFAULT_VALUES;
  while (big.length < 5 * 1024 * 1024) big += `# padding line ${big.length} to make a large values file .......\n`;
  console.error("filling 5 MB");
  const fillStart = Date.now();
  // As a paste does: one value change and one input event (Playwright's fill types it in, which
  // takes minutes for 5 MB in Chromium's editing code whatever the page does).
  await editor.evaluate((t, text) => {
    t.value = text;
    t.dispatchEvent(new Event("input", { bubbles: true }));
  }, big);
  console.error(`filled in ${Date.now() - fillStart} ms`);
  await page.getByRole("button", { name: "Update plan" }).waitFor();
  const planStart = Date.now();
  await page.getByRole("button", { name: "Update plan" }).click();
  await page.getByRole("button", { name: "Update plan" }).waitFor({ state: "detached", timeout: 120_000 });
  await page.waitForFunction(() => document.querySelector(".tab-panel") !== null);
  const bigPlan = Date.now() - planStart;
  await editor.evaluate((t, at) => {
    t.focus();
    t.setSelectionRange(at, at);
  }, HOST_END);
  await page.evaluate(() => (window.measure.keys = []));
  const bigKeys = await typeAndRecord(page, 20, 100, false);
  const bigFrames = bigKeys.map((k) => k.frame);
  await context.close();

  console.log(`Chromium ${browser.version()}, ${new Date().toISOString()}`);
  console.log(`navigation -> app ready (DOMContentLoaded), median of 7: ${ms(percentile(mounted, 50))}`);
  console.log(`navigation -> first plan on screen (share link, 63 KB file), median of 7: ${ms(percentile(firstPlan, 50))} (min ${ms(Math.min(...firstPlan))}, max ${ms(Math.max(...firstPlan))})`);
  console.log(`63 KB file, keystroke -> updated plan on screen (${planLatency.length} keys, 150 ms apart): p50 ${ms(percentile(planLatency, 50))}, p95 ${ms(percentile(planLatency, 95))}`);
  console.log(`63 KB file, keystroke -> next frame: p50 ${ms(percentile(frameLatency, 50))}, p95 ${ms(percentile(frameLatency, 95))}`);
  console.log(`63 KB file, fast typing (30 ms apart, ${burstFrames.length} keys), keystroke -> next frame: p50 ${ms(percentile(burstFrames, 50))}, p95 ${ms(percentile(burstFrames, 95))}`);
  console.log(`5 MB file, Update plan -> plan on screen: ${bigPlan} ms`);
  console.log(`5 MB file, keystroke -> next frame (${bigFrames.length} keys): p50 ${ms(percentile(bigFrames, 50))}, p95 ${ms(percentile(bigFrames, 95))}`);
} finally {
  await browser.close();
  await server.close();
}
