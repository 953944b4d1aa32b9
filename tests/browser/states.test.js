// Screenshots of every state a user meets, at 1280, 720 and 400 px in both themes, for review
// (tests/browser/output/state-<state>-<width>-<theme>.png): what the window shows, at the input
// for the states about the input, at the plan for the others. Each state is also checked to be
// the one meant, so a screenshot never shows something else.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useServerAndBrowser, openApp, finish, paste, openTab, screenshotView, FIXTURES } from "./helpers.js";

let server, browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

async function shareLink(session) {
  await session.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.origin });
  await session.page.locator("summary").filter({ hasText: "Share" }).evaluate((s) => (s.parentElement.open = true));
  await session.page.getByRole("button", { name: "Copy share link" }).click();
  return session.page.getByRole("textbox", { name: "Share link", exact: true }).inputValue();
}

for (const width of [1280, 720, 400]) {
  for (const colorScheme of ["light", "dark"]) {
    test(`screenshots of every state at ${width} px, ${colorScheme}`, async () => {
      const shot = (page, state, element) => screenshotView(page, `state-${state}-${width}-${colorScheme}`, element);
      const s = await openApp(browser, server.origin, { width, height: 900, colorScheme });
      const { page } = s;
      await shot(page, "empty");

      await page.getByRole("button", { name: "Load example" }).click();
      const status = page.locator(".plan-status");
      await status.waitFor();
      for (const tab of ["Values", "Gateway", "TLS", "Policies", "Findings", "Runbook"]) {
        const panel = await openTab(page, tab);
        await panel.locator(":scope > *").first().waitFor();
        await shot(page, tab.toLowerCase(), tab === "Values" ? status : page.getByRole("tablist"));
      }
      // A refused choice, under its field.
      const release = page.getByRole("textbox", { name: "Release name", exact: true });
      await release.fill("Not_A_Release");
      await page.locator("#release-name-note .field-error").waitFor();
      await shot(page, "choice-error", page.locator(".fields"));
      await release.fill("");
      await page.waitForFunction(() => document.querySelector("#release-name").getAttribute("aria-invalid") === "false");
      // Help me choose, answered; external-dns Auto/On/Off with its reason under it.
      const help = page.locator("details.help-choose");
      await help.locator("summary").click();
      for (const [question, answer] of [["Where does the cluster run?", "Google Cloud (GKE)"], ["What serves its Ingress today?", "GKE's own Ingress (a Google load balancer)"], ["Who ends TLS for ZenML today?", "The cloud load balancer (an ACM or Google certificate)"]]) {
        await page.getByRole("radiogroup", { name: question, exact: true }).getByRole("radio", { name: answer, exact: true }).check();
      }
      await help.getByText(/^Suggested: GKE/).waitFor();
      await shot(page, "help-choose", help);
      await help.locator("summary").click();
      await page.getByText(/^Auto: (on|off), because/).waitFor();
      await shot(page, "external-dns", page.getByRole("radiogroup", { name: "external-dns manages the hostname", exact: true }));
      // A stale plan: the text stops parsing.
      await paste(page, FIXTURES["03-ingress-no-tls.yaml"] + "  proxy\n");
      await page.locator(".plan-status.stale").waitFor();
      await shot(page, "stale-input", page.locator("#values-error"));
      await shot(page, "stale-plan", status);
      // No plan at all.
      await paste(page, "");
      await page.locator("#values-error").waitFor({ state: "detached" });
      await paste(page, "server: [\n");
      await page.locator("#values-error").waitFor();
      await shot(page, "invalid");
      // A plan with an error finding and a needed field.
      await paste(page, FIXTURES["02-nginx-certmanager-no-host.yaml"]);
      await page.locator("#hostname-note .field-error").waitFor();
      await openTab(page, "Findings");
      await shot(page, "findings-error", page.getByRole("tablist"));
      const link = await shareLink(s);
      await finish(s);

      // Opened from a share link.
      const opened = await openApp(browser, link.replace(/#.*/, ""), { base: new URL(link).hash, width, height: 900, colorScheme });
      await opened.page.getByRole("status").filter({ hasText: "Opened from a share link." }).waitFor();
      await opened.page.locator(".plan-status").waitFor();
      await shot(opened.page, "shared-link");
      await finish(opened);

      // Embedded in a documentation page's column.
      const embedded = await openApp(browser, server.origin, { base: "/?embed=1", width, height: 900, colorScheme });
      await embedded.page.getByRole("button", { name: "Load example" }).click();
      await embedded.page.locator(".plan-status").waitFor();
      assert.ok(await embedded.page.locator(".masthead").isHidden());
      await shot(embedded.page, "embed");
      await finish(embedded);
    });
  }
}
