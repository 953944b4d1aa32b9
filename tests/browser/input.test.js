// The values input: invalid YAML, findings that point into the text, upload, keyboard use,
// looks at 1280 px and 400 px in both themes.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { useServerAndBrowser, openApp, finish, paste, openTab, screenshot, editor, largeValues, setValuesAtOnce, FIXTURES } from "./helpers.js";

const here = path.dirname(fileURLToPath(import.meta.url));
let server, browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

test("invalid YAML shows a located problem, keeps the text exactly and marks the last plan stale", async () => {
  const s = await openApp(browser, server.origin);
  const { page } = s;
  const good = FIXTURES["03-ingress-no-tls.yaml"];
  await paste(page, good);
  const gateway = await openTab(page, "Gateway");
  await gateway.getByText("hostname: zenml.example.com").first().waitFor();

  const bad = "zenml:\n\tingress:\n    enabled: true\n    host: zenml.example.com\n";
  await paste(page, bad);
  // Said politely under the text area (issue 14: no alert), once typing pauses.
  const alert = page.locator("#values-error");
  await alert.waitFor();
  const message = await alert.innerText();
  assert.match(message, /Line 2, column 1/);
  assert.match(message, /tab/);
  assert.equal(await editor(page).inputValue(), bad, "the text is not rewritten");
  assert.equal(await editor(page).getAttribute("aria-invalid"), "true");
  // The last good plan is still there, marked as stale by the status above it.
  await page.getByText("Showing the last plan that could be made").waitFor();
  assert.match(await gateway.innerText(), /hostname: zenml\.example\.com/);
  assert.ok(await page.locator(".plan-status.stale").isVisible());
  // Only a plan that matches the input can be downloaded.
  assert.ok(await page.getByRole("button", { name: "Download all" }).isDisabled());
  assert.ok(await page.getByRole("button", { name: "Download runbook" }).isDisabled());
  await screenshot(page, "invalid-yaml-1280");

  // "Go to line 2" selects that line in the text area.
  await alert.getByRole("button", { name: "Go to line 2" }).click();
  const selected = await editor(page).evaluate((t) => t.value.slice(t.selectionStart, t.selectionEnd));
  assert.equal(selected, "\tingress:");

  // Typing on: fixing the line brings the plan back.
  await editor(page).press("End");
  await paste(page, good);
  await alert.waitFor({ state: "detached" });
  assert.equal(await page.getByText("Showing the last plan that could be made").count(), 0);
  assert.ok(await page.getByRole("button", { name: "Download all" }).isEnabled());
  await finish(s);
});

test("typing updates the plan live, and a finding's line link selects that line", async () => {
  const s = await openApp(browser, server.origin);
  const { page } = s;
  await page.getByRole("button", { name: "Load example" }).click();
  const text = await editor(page).inputValue();
  // Type a change key by key, as a user does.
  await editor(page).focus();
  const hostAt = text.indexOf("host: zenml.example.com") + "host: zenml.example.com".length;
  await editor(page).evaluate((t, at) => t.setSelectionRange(at, at), hostAt);
  await page.keyboard.type(".dev");
  assert.ok((await editor(page).inputValue()).includes("host: zenml.example.com.dev"));
  const gateway = await openTab(page, "Gateway");
  await gateway.getByText("hostname: zenml.example.com.dev").first().waitFor();

  const findings = await openTab(page, "Findings");
  const findingsText = await findings.innerText();
  assert.match(findingsText, /Warnings \(\d+\)/i);
  assert.match(findingsText, /Notes \(\d+\)/i);
  assert.ok(findingsText.includes('server.ingress.annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"]'));
  await screenshot(page, "findings-1280");
  const link = findings.getByRole("button", { name: /^line 13, column \d+$/ }).first();
  await link.click();
  const selected = await editor(page).evaluate((t) => t.value.slice(t.selectionStart, t.selectionEnd));
  assert.match(selected, /nginx\.ingress\.kubernetes\.io\/proxy-read-timeout/);
  assert.ok(await editor(page).evaluate((t) => document.activeElement === t));
  await finish(s);
});

test("Load example over the user's text offers to restore it, exactly", async () => {
  const s = await openApp(browser, server.origin);
  const { page } = s;
  const mine = "# my values\n" + FIXTURES["03-ingress-no-tls.yaml"] + "\n\n";
  await paste(page, mine);
  await page.getByRole("button", { name: "Load example" }).click();
  assert.match(await editor(page).inputValue(), /nginx\.ingress\.kubernetes\.io\/proxy-body-size/);
  await page.getByRole("button", { name: "Restore previous text" }).click();
  assert.equal(await editor(page).inputValue(), mine);
  await (await openTab(page, "Gateway")).getByText("hostname: zenml.example.com").first().waitFor();
  await finish(s);
});

test("a values file can be uploaded", async () => {
  const s = await openApp(browser, server.origin);
  const { page } = s;
  await page.getByLabel("Upload values.yaml").setInputFiles(path.join(here, "fixtures", "07-self-signed-generateCerts.yaml"));
  await page.waitForFunction(() => document.querySelector("#values-input").value.length > 0);
  assert.equal(await editor(page).inputValue(), FIXTURES["07-self-signed-generateCerts.yaml"]);
  const gateway = await openTab(page, "Gateway");
  await gateway.getByText("hostname: zenml.internal.example.com").first().waitFor();
  await finish(s);
});

test("keyboard only: reach the implementation radios, switch with arrow keys, move between tabs", async () => {
  const s = await openApp(browser, server.origin);
  const { page } = s;
  await page.getByRole("button", { name: "Load example" }).focus();
  await page.keyboard.press("Enter");
  await page.getByRole("tab", { name: "Gateway", exact: true }).waitFor();
  let found = false;
  for (let i = 0; i < 30 && !found; i++) {
    await page.keyboard.press("Tab");
    found = await page.evaluate(() => document.activeElement?.getAttribute("name") === "implementation");
  }
  assert.ok(found, "Tab reaches the implementation radios");
  await page.keyboard.press("ArrowRight");
  const istio = page.getByRole("radio", { name: "Istio", exact: true });
  assert.ok(await istio.isChecked());
  assert.ok(await istio.evaluate((e) => document.activeElement === e));

  // The tabs: focus the selected one, then arrow keys move and select.
  const values = page.getByRole("tab", { name: "Values", exact: true });
  await values.focus();
  await page.keyboard.press("ArrowRight");
  const gatewayTab = page.getByRole("tab", { name: "Gateway", exact: true });
  assert.equal(await gatewayTab.getAttribute("aria-selected"), "true");
  assert.ok(await gatewayTab.evaluate((e) => document.activeElement === e));
  assert.match(await page.getByRole("tabpanel").innerText(), /gatewayClassName: istio/);
  await page.keyboard.press("End");
  assert.equal(await page.getByRole("tab", { name: "Runbook", exact: true }).getAttribute("aria-selected"), "true");
  await page.keyboard.press("Enter");
  await finish(s);
});

test("screenshots: empty, planned, dark, and 400 px wide", async () => {
  let s = await openApp(browser, server.origin);
  await screenshot(s.page, "empty-1280");
  await s.page.getByRole("button", { name: "Load example" }).click();
  await s.page.getByRole("tab", { name: "Values", exact: true }).waitFor();
  await screenshot(s.page, "values-1280");
  await finish(s);

  s = await openApp(browser, server.origin, { colorScheme: "dark" });
  await paste(s.page, FIXTURES["01-nginx-certmanager-clusterissuer-tls.yaml"]);
  await openTab(s.page, "Findings");
  await screenshot(s.page, "findings-dark-1280");
  await finish(s);

  s = await openApp(browser, server.origin, { width: 400, height: 800 });
  const { page } = s;
  await page.getByRole("button", { name: "Load example" }).click();
  await openTab(page, "Gateway");
  // Nothing is wider than the screen except inside scrollable code blocks.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(overflow <= 400, `page is ${overflow}px wide at 400px`);
  assert.ok(await page.locator("svg.diagram.tall").isVisible());
  assert.ok(!(await page.locator("svg.diagram.wide").isVisible()));
  await screenshot(page, "gateway-400");
  await finish(s);
});

test("a large file is planned on request, so typing in it never waits for a plan", async () => {
  const s = await openApp(browser, server.origin);
  const { page } = s;
  // As a paste: one value change, one input event.
  await setValuesAtOnce(page, largeValues());
  const note = page.getByRole("status").filter({ hasText: "This file is large" });
  await note.waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.plans ?? "0"), "1", "no plan made for the large text yet");
  await page.getByRole("heading", { name: "No plan yet" }).waitFor();
  await page.getByRole("button", { name: "Update plan" }).click();
  await (await openTab(page, "Gateway")).getByText("hostname: zenml.example.com").first().waitFor({ timeout: 60_000 });
  await note.waitFor({ state: "detached" });
  // The Values tab shows the first 2000 lines of the long file, and all of them on request.
  const values = await openTab(page, "Values");
  const more = values.getByRole("button", { name: /^Show all \d+ lines$/ });
  await more.waitFor();
  assert.match(await values.innerText(), /The first 2000 of \d+ lines are shown/);
  // Ctrl+Enter plans too, after an edit.
  await editor(page).press("End");
  await editor(page).type("# edit");
  await note.waitFor();
  // Until then the downloads would be of the earlier text: not offered.
  assert.ok(await page.getByRole("button", { name: "Download all" }).isDisabled());
  await editor(page).press("Control+Enter");
  await note.waitFor({ state: "detached", timeout: 60_000 });
  assert.ok(await page.getByRole("button", { name: "Download all" }).isEnabled());
  await finish(s);
});

test("text typed before the app starts is kept: the static page's field is there at once, and the app takes it over with the caret", async () => {
  // The wasm is held back until the text is typed, as on a slow connection.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await page.route(/_bg\.wasm$/, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(server.origin + "/", { waitUntil: "domcontentloaded" });
  const early = page.getByRole("textbox", { name: "values.yaml", exact: true });
  await early.waitFor();
  assert.equal(await early.getAttribute("id"), "values-boot", "the static page's field, before the app");
  const text = FIXTURES["03-ingress-no-tls.yaml"];
  await early.click();
  await page.keyboard.insertText(text);
  await page.keyboard.press("ArrowUp");
  const caret = await early.evaluate((e) => e.selectionStart);
  release();
  const field = page.locator("#values-input");
  await field.waitFor();
  assert.equal(await page.locator("#values-boot").count(), 0, "the static field is gone");
  assert.equal(await field.inputValue(), text, "every character typed before the start is there");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "values-input", "the focus moved with the text");
  assert.equal(await field.evaluate((e) => e.selectionStart), caret, "so did the caret");
  // Typing goes on in the app's field, at the caret.
  await page.keyboard.type("# more\n");
  assert.equal(await field.inputValue(), text.slice(0, caret) + "# more\n" + text.slice(caret));
  // The plan follows from that text, as after a paste.
  const gateway = await openTab(page, "Gateway");
  await gateway.getByText("hostname: zenml.example.com").first().waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});
