// Findings speak the page: the core names a choice by its CLI option ("pass --host"); the page
// names the field ("enter the Hostname") and offers a way to it. No CLI option of the planner
// appears in the page's text (commands in code blocks keep their own tools' options).
import { test } from "node:test";
import assert from "node:assert/strict";
import { useServerAndBrowser, openApp, finish, paste, openTab, FIXTURES } from "./helpers.js";

let server, browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

const CLI_OPTIONS = ["--implementation", "--gateway-name", "--gateway-namespace", "--namespace", "--release", "--tls", "--issuer", "--certificate-arn", "--host", "--chart-version", "--external-dns", "--no-external-dns", "--deployed-with", "--gateway-address", "--out", "--json"];

/** The page's text without its code blocks and files (`pre`), which hold commands. */
function pageText(page) {
  return page.evaluate(() => {
    const copy = document.body.cloneNode(true);
    for (const pre of copy.querySelectorAll("pre, textarea, script")) pre.remove();
    return copy.textContent;
  });
}

function cliOptionsIn(text) {
  return CLI_OPTIONS.filter((flag) => new RegExp(`${flag}(?![\\w-])`).test(text));
}

test("no CLI option of the planner appears in the page's text, for any fixture and implementation", async () => {
  const s = await openApp(browser, server.origin);
  const { page } = s;
  const implementations = await page.getByRole("radiogroup", { name: "Gateway implementation", exact: true }).getByRole("radio").all();
  assert.ok(implementations.length >= 4);
  for (const [name, text] of Object.entries(FIXTURES)) {
    await paste(page, text);
    for (const radio of implementations) {
      await radio.check();
      const label = await radio.evaluate((r) => r.labels[0].textContent);
      // Its plan, or the TLS model it refuses (said next to the TLS choice: checked too).
      await page.getByText(`plan for ${label}`).or(page.locator("#choice-error").filter({ hasText: label })).waitFor();
      for (const tab of ["Findings", "Runbook"]) {
        await openTab(page, tab);
        assert.deepEqual(cliOptionsIn(await pageText(page)), [], `${name}, ${label}, ${tab}`);
      }
    }
  }
  await finish(s);
});

test("a finding that asks for the hostname says so in the page's words and leads to the field", async () => {
  const s = await openApp(browser, server.origin);
  const { page } = s;
  await paste(page, FIXTURES["02-nginx-certmanager-no-host.yaml"]);
  const findings = await openTab(page, "Findings");
  const finding = findings.locator(".finding").filter({ hasText: "enter the Hostname" }).first();
  await finding.waitFor();
  await finding.getByRole("button", { name: "Go to the Hostname field", exact: true }).click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), "hostname");
  await finish(s);
});

test("each finding has a plain title with its code beside it; the Findings tab's name and the status say the counts", async () => {
  const s = await openApp(browser, server.origin);
  const { page } = s;
  await paste(page, FIXTURES["02-nginx-certmanager-no-host.yaml"]);
  const tab = page.getByRole("tab", { name: /^Findings: / });
  await tab.waitFor();
  // The name screen readers get: the label, then the counts (the badge's number is hidden).
  const name = await tab.locator(".tab-name").textContent();
  assert.ok(await page.getByRole("tab", { name, exact: true }).isVisible(), name);
  const counts = name.match(/^Findings: (no errors|(\d+) errors?), (no warnings|(\d+) warnings?), (no notes|(\d+) notes?)$/);
  assert.ok(counts, name);
  const findings = await openTab(page, "Findings");
  const items = findings.locator(".finding");
  await items.first().waitFor();
  const number = (i) => Number(counts[i] ?? 0);
  assert.equal(await items.count(), number(2) + number(4) + number(6), "the counts are the findings shown");
  for (const item of await items.all()) {
    const title = (await item.locator(".finding-title").innerText()).trim();
    const code = (await item.locator(".finding-code").innerText()).trim();
    assert.ok(title.length > 3 && title !== code, `a plain title for ${code}: ${title}`);
    assert.match(code, /^[a-z0-9-]+$/);
  }
  // The status strip says the same counts, and leads to the findings.
  await openTab(page, "Values");
  await page.locator(".plan-status").getByRole("button", { name: name.replace("Findings: ", "") }).click();
  assert.equal(await page.getByRole("tab", { name: /^Findings/ }).getAttribute("aria-selected"), "true");
  await finish(s);
});
