// The runbook you can navigate and copy from: a step list linking every section (sticky beside
// the runbook on wide screens), the traffic diagram's phases leading to their steps, a Copy button
// on every code block that puts exactly its text on the clipboard, code blocks and tables that
// scroll by keyboard, and a switch to wrap long lines.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useServerAndBrowser, openApp, finish, paste, openTab, download, screenshot, FIXTURES } from "./helpers.js";

let server, browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

/** The fenced code blocks of a Markdown text, each as its lines joined by "\n". */
function fencedBlocks(markdown) {
  const blocks = [];
  let fence = null;
  let lines = [];
  for (const line of markdown.split("\n")) {
    if (fence === null) {
      const open = /^(`{3,}|~{3,})/.exec(line);
      if (open) {
        fence = open[1];
        lines = [];
      }
    } else if (line.trim().startsWith(fence) && /^(`+|~+)$/.test(line.trim())) {
      blocks.push(lines.join("\n"));
      fence = null;
    } else {
      lines.push(line);
    }
  }
  return blocks;
}

async function runbookOf(page, fixture) {
  if (fixture) await paste(page, FIXTURES[fixture]);
  else await page.getByRole("button", { name: "Load example" }).click();
  const runbook = await openTab(page, "Runbook");
  await runbook.getByRole("heading", { level: 3 }).waitFor();
  return runbook;
}

test("the step list links every runbook section, in order, and stays beside it on a wide screen", async () => {
  const s = await openApp(browser, server.origin, { height: 800 });
  const { page } = s;
  const runbook = await runbookOf(page);
  const sections = await runbook.locator("article h4").evaluateAll((hs) => hs.map((h) => ({ id: h.id, title: h.textContent })));
  assert.ok(sections.length >= 8, `${sections.length} sections`);
  const steps = page.getByRole("navigation", { name: "Runbook steps" });
  const links = await steps.getByRole("link").evaluateAll((as) => as.map((a) => ({ href: a.getAttribute("href"), title: a.textContent })));
  assert.deepEqual(
    links,
    sections.map((h) => ({ href: `#${h.id}`, title: h.title })),
  );

  // Going to the last step: the step is in view and has the focus; the list is still in view.
  const last = sections.at(-1);
  await steps.getByRole("link", { name: last.title, exact: true }).click();
  const heading = page.locator(`[id="${last.id}"]`);
  await page.waitForFunction((id) => document.activeElement?.id === id, last.id);
  const box = await heading.boundingBox();
  assert.ok(box.y >= 0 && box.y < 800, `the step is at ${box.y}`);
  const list = await steps.boundingBox();
  assert.ok(list.y >= 0 && list.y < 800, `the step list is at ${list.y} (sticky)`);
  assert.equal(page.url(), `${server.origin}/`, "the address is left as it was");
  // The list marks the step being read.
  const phase1 = sections.find((h) => /^\d+\. Phase 1: /.test(h.title));
  await steps.getByRole("link", { name: phase1.title, exact: true }).click();
  await steps.locator('a[aria-current="location"]').filter({ hasText: phase1.title }).waitFor();
  assert.equal(await steps.locator("a[aria-current]").count(), 1);
  await screenshot(page, "runbook-steps-1280");
  await finish(s);
});

test("each phase of the traffic diagram leads to its step of the runbook", async () => {
  const s = await openApp(browser, server.origin);
  const { page } = s;
  await page.getByRole("button", { name: "Load example" }).click();
  for (const [pill, phase] of [["Parallel", 1], ["DNS cutover", 2], ["Ingress off", 3]]) {
    await page.getByRole("button", { name: pill, exact: true }).click();
    const link = page.locator(".traffic .caption").getByRole("link", { name: /^Step \d+ in the runbook$/ });
    await link.click();
    assert.equal(await page.getByRole("tab", { name: "Runbook", exact: true }).getAttribute("aria-selected"), "true");
    await page.waitForFunction(() => document.activeElement?.tagName === "H4");
    const focused = await page.evaluate(() => document.activeElement.textContent);
    assert.match(focused, new RegExp(`^\\d+\\. Phase ${phase}: `), pill);
    assert.ok((await link.innerText()).startsWith(`Step ${focused.split(".")[0]} `), "the link names the step");
    await openTab(page, "Values");
  }
  await finish(s);
});

for (const fixture of [undefined, "01-nginx-certmanager-clusterissuer-tls.yaml"]) {
  test(`every code block of the runbook (${fixture ?? "example"}) has a Copy button that puts exactly its text on the clipboard`, async () => {
    const s = await openApp(browser, server.origin);
    const { page, context } = s;
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.origin });
    const runbook = await runbookOf(page, fixture);
    const { bytes } = await download(page, page.getByRole("button", { name: "Download runbook" }));
    const expected = fencedBlocks(bytes.toString("utf8"));
    assert.ok(expected.length >= 15, `${expected.length} code blocks`);
    const blocks = runbook.locator("article figure.runbook-code");
    assert.equal(await blocks.count(), expected.length, "one figure per code block");
    const names = new Set();
    for (let i = 0; i < expected.length; i++) {
      const block = blocks.nth(i);
      const pre = block.locator("pre");
      // Named, and scrollable by keyboard.
      const name = await pre.getAttribute("aria-label");
      assert.ok(name && !names.has(name), `block ${i} has its own name: ${name}`);
      names.add(name);
      assert.equal(await pre.getAttribute("tabindex"), "0");
      const button = block.getByRole("button", { name: `Copy ${name}`, exact: true });
      await button.click();
      await block.getByRole("button", { name: `Copy ${name}` }).filter({ hasText: "Copied" }).waitFor();
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      assert.equal(copied, expected[i], `block ${i} (${name})`);
    }
    await page.getByRole("status").filter({ hasText: ": copied" }).waitFor();
    await finish(s);
  });
}

test("a long command scrolls by keyboard, or wraps on request; tables scroll in a focusable region", async () => {
  const s = await openApp(browser, server.origin, { width: 720 });
  const { page } = s;
  const runbook = await runbookOf(page);
  // The widest block.
  const pre = runbook.locator("article pre");
  const widest = await pre.evaluateAll((ps) => {
    let best = 0;
    ps.forEach((p, i) => {
      if (p.scrollWidth - p.clientWidth > ps[best].scrollWidth - ps[best].clientWidth) best = i;
    });
    return best;
  });
  const block = pre.nth(widest);
  assert.ok(await block.evaluate((p) => p.scrollWidth > p.clientWidth), "a block wider than the column");
  await block.focus();
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  await page.waitForFunction((p) => p.scrollLeft > 0, await block.elementHandle());

  await page.getByRole("checkbox", { name: "Wrap long lines" }).check();
  assert.equal(await block.evaluate((p) => getComputedStyle(p).whiteSpace), "pre-wrap");
  assert.ok(await pre.evaluateAll((ps) => ps.every((p) => p.scrollWidth <= p.clientWidth)), "no block scrolls sideways once wrapped");
  await screenshot(page, "runbook-wrapped-720");

  const regions = runbook.locator("article .table-scroll");
  assert.ok((await regions.count()) >= 1);
  for (const region of await regions.all()) {
    assert.equal(await region.getAttribute("tabindex"), "0");
    assert.equal(await region.getAttribute("role"), "region");
    assert.ok((await region.getAttribute("aria-label")).length > 0);
  }
  // The label column keeps its words whole ("Release", not "Releas e").
  const labels = await runbook.locator("article table").first().locator("td:first-child").evaluateAll((tds) =>
    tds.map((td) => {
      const range = document.createRange();
      range.selectNodeContents(td);
      return { text: td.textContent, lines: new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size, words: td.textContent.split(" ").length };
    }),
  );
  for (const label of labels) assert.ok(label.lines <= label.words, `"${label.text}" is broken inside a word`);
  await finish(s);
});
