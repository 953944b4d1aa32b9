// Accessibility in every state a user meets (axe-core, from the local package): no serious or
// critical violation, one h1 and headings in order (also embedded), every scrollable region
// reachable by keyboard; and a polite live region that says what changed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useServerAndBrowser, openApp, finish, paste, openTab, accessibilityProblems, FIXTURES } from "./helpers.js";

let server, browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

// Checked whatever axe rates their impact.
const RULES = ["page-has-heading-one", "heading-order", "scrollable-region-focusable", "landmark-one-main", "region"];
const TABS = ["Values", "Gateway", "TLS", "Policies", "Findings", "Runbook"];

async function clean(page, state) {
  assert.deepEqual(await accessibilityProblems(page, { rules: RULES }), [], state);
}

for (const colorScheme of ["light", "dark"]) {
  test(`${colorScheme}: the empty page, every tab, invalid text and a stale plan have no accessibility violation`, async () => {
    const s = await openApp(browser, server.origin, { colorScheme });
    const { page } = s;
    await clean(page, "empty");
    await page.getByRole("button", { name: "Load example" }).click();
    for (const tab of TABS) {
      const panel = await openTab(page, tab);
      await panel.locator(":scope > *").first().waitFor();
      await clean(page, `${tab} tab`);
    }
    // Values: each file, and the runbook's text wrapped.
    const values = await openTab(page, "Values");
    for (const file of ["values-final.yaml", "overlay-parallel.yaml"]) {
      await values.getByRole("button", { name: file, exact: true }).click();
      await clean(page, file);
    }
    // A stale plan: the last good plan under a status that says so.
    await paste(page, "server:\n\tingress: {}\n");
    await page.locator("#values-error").waitFor();
    await page.locator(".plan-status.stale").waitFor();
    await clean(page, "stale plan");
    // Invalid text with no plan at all.
    await paste(page, "");
    await page.getByRole("heading", { name: "No plan yet" }).waitFor();
    await page.locator("#values-error").waitFor({ state: "detached" });
    await paste(page, "server: [\n");
    await page.locator("#values-error").waitFor();
    await clean(page, "invalid text");
    await finish(s);
  });
}

test("a plan with errors, a field that is needed and a refused choice have no accessibility violation", async () => {
  const s = await openApp(browser, server.origin);
  const { page } = s;
  // No host: an error finding, and the Hostname field is needed.
  await paste(page, FIXTURES["02-nginx-certmanager-no-host.yaml"]);
  await page.locator("#hostname-note .field-error").waitFor();
  await openTab(page, "Findings");
  await clean(page, "findings with an error");
  // A refused choice, said under its field.
  await page.getByRole("textbox", { name: "Release name", exact: true }).fill("Not_A_Release");
  await page.locator("#release-name-note .field-error").waitFor();
  await clean(page, "choice error");
  // A refused TLS model, said under the TLS models.
  await page.getByRole("textbox", { name: "Release name", exact: true }).fill("");
  await paste(page, FIXTURES["07-self-signed-generateCerts.yaml"]);
  await page.getByRole("radio", { name: "Existing secret", exact: true }).check();
  await page.locator("#choice-error").waitFor();
  await clean(page, "refused TLS model");
  // Plain HTTP for an https release, flagged at the TLS choice.
  await paste(page, "server:\n  serverURL: https://zenml.example.com\n  ingress:\n    enabled: true\n    host: zenml.example.com\n");
  await page.getByRole("radio", { name: "None", exact: true }).check();
  await page.locator("#tls-downgrade").waitFor();
  await clean(page, "TLS downgrade flagged");
  // Help me choose, open and answered.
  const help = page.locator("details.help-choose");
  await help.locator("summary").click();
  for (const [question, answer] of [["Where does the cluster run?", "AWS (EKS)"], ["What serves its Ingress today?", "Istio"], ["Who ends TLS for ZenML today?", "Nobody: plain HTTP"]]) {
    await page.getByRole("radiogroup", { name: question, exact: true }).getByRole("radio", { name: answer, exact: true }).check();
  }
  await help.getByText(/^Suggested: Istio/).waitFor();
  await clean(page, "help me choose");
  await finish(s);
});

test("a page opened from a share link has no accessibility violation", async () => {
  const sender = await openApp(browser, server.origin);
  await sender.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.origin });
  await paste(sender.page, FIXTURES["values-with-secrets.yaml"]);
  await sender.page.getByRole("button", { name: "Copy share link" }).click();
  const link = await sender.page.getByRole("textbox", { name: "Share link", exact: true }).inputValue();
  await clean(sender.page, "link copied");
  await finish(sender);
  const receiver = await openApp(browser, link.replace(/#.*/, ""), { base: new URL(link).hash, colorScheme: "dark" });
  await receiver.page.getByRole("status").filter({ hasText: "Opened from a share link." }).waitFor();
  await receiver.page.getByRole("tab", { name: "Values", exact: true }).waitFor();
  await clean(receiver.page, "opened from a link");
  await finish(receiver);
});

for (const colorScheme of ["light", "dark"]) {
  test(`embedded at 400 px (${colorScheme}): one h1, and no accessibility violation`, async () => {
    const s = await openApp(browser, server.origin, { base: "/?embed=1", width: 400, colorScheme });
    const { page } = s;
    assert.ok(await page.locator(".masthead").isHidden());
    assert.equal(await page.getByRole("heading", { level: 1 }).count(), 1);
    await clean(page, "empty");
    await paste(page, FIXTURES["01-nginx-certmanager-clusterissuer-tls.yaml"]);
    for (const tab of ["Values", "Findings", "Runbook"]) {
      const panel = await openTab(page, tab);
      await panel.locator(":scope > *").first().waitFor();
      await clean(page, `${tab} tab`);
    }
    await finish(s);
  });
}

test("a polite live region says what changed: the plan's implementation and its counts", async () => {
  const s = await openApp(browser, server.origin);
  const { page } = s;
  const announcement = page.locator("#plan-announcement");
  assert.equal(await announcement.getAttribute("role"), "status");
  await page.getByRole("button", { name: "Load example" }).click();
  await page.getByRole("radio", { name: "Istio", exact: true }).check();
  await page.waitForFunction(() => /^Plan updated for Istio: /.test(document.querySelector("#plan-announcement").textContent));
  const said = await announcement.innerText();
  assert.match(said, /^Plan updated for Istio: \d+ findings?, (no errors|\d+ errors?)$/);
  // The counts are the plan's.
  await openTab(page, "Findings");
  const shown = await page.locator(".findings .finding").count();
  assert.ok(said.includes(`${shown} finding`), `${said} vs ${shown} findings shown`);
  await finish(s);
});
