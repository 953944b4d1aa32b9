// The Policies tab: the implementation policies that keep what the ingress does today (body size,
// timeouts), per implementation, or a plain statement that none is needed; and policies.yaml in
// "Download all".
import { test } from "node:test";
import assert from "node:assert/strict";
import { useServerAndBrowser, openApp, finish, paste, openTab, readZip, download, editor, screenshot } from "./helpers.js";

let server, browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

// ingress-nginx with no body limit and a 10-minute read timeout.
const UNLIMITED = `server:
  ingress:
    enabled: true
    className: nginx
    annotations:
      nginx.ingress.kubernetes.io/proxy-body-size: "0"
      nginx.ingress.kubernetes.io/proxy-read-timeout: "600"
    host: zenml.example.com
    tls:
      enabled: true
      secretName: zenml-tls
`;

// ingress-nginx without affinity or allowlist annotations.
const PLAIN = `server:
  ingress:
    enabled: true
    className: nginx
    host: zenml.example.com
    tls:
      enabled: true
      secretName: zenml-tls
`;

async function choose(page, implementation) {
  await page.getByRole("radio", { name: implementation, exact: true }).check();
}

/** The lines the Policies panel shows (without their numbers), once it shows `expected`. */
async function policiesShown(page, expected) {
  const panel = await openTab(page, "Policies");
  await panel.getByText(expected, { exact: true }).first().waitFor();
  return panel.locator("pre.code .lt").allTextContents();
}

test("the Policies tab sits between TLS and Findings", async () => {
  const s = await openApp(browser, server.origin);
  const { page } = s;
  await paste(page, UNLIMITED);
  await page.getByRole("tab", { name: "Policies", exact: true }).waitFor();
  const names = await page.getByRole("tab").allInnerTexts();
  // Each tab's first line is its label (the Findings tab goes on with its count and, for screen
  // readers only, its counts in words).
  const labels = names.map((n) => n.split("\n")[0].replace(/\d+$/, "").trim());
  assert.deepEqual(labels, ["Values", "Gateway", "TLS", "Policies", "Findings", "Runbook"]);
  // Keyboard: from TLS, ArrowRight selects Policies.
  await page.getByRole("tab", { name: "TLS", exact: true }).click();
  await page.keyboard.press("ArrowRight");
  assert.equal(await page.getByRole("tab", { name: "Policies", exact: true }).getAttribute("aria-selected"), "true");
  assert.equal(await page.getByRole("tabpanel").getAttribute("aria-labelledby"), "tab-policies");
  await finish(s);
});

test("NGINX Gateway Fabric: ClientSettingsPolicy without a body limit and ProxySettingsPolicy, then Envoy Gateway's BackendTrafficPolicy", async () => {
  const s = await openApp(browser, server.origin);
  const { page } = s;
  await paste(page, UNLIMITED);
  await choose(page, "NGINX Gateway Fabric");
  const ngf = await policiesShown(page, "kind: ProxySettingsPolicy");
  assert.ok(ngf.includes("kind: ClientSettingsPolicy"), "ClientSettingsPolicy");
  assert.ok(ngf.some((l) => l.trim() === 'maxSize: "0"'), 'maxSize: "0"');
  assert.ok(ngf.includes("kind: ProxySettingsPolicy"), "ProxySettingsPolicy");
  assert.ok(!ngf.includes("kind: BackendTrafficPolicy"));
  const panel = page.getByRole("tabpanel");
  // Line numbers and a copy button, as on the Gateway and TLS tabs.
  await panel.getByRole("button", { name: "Copy policies.yaml", exact: true }).waitFor();
  assert.match(await panel.locator(".ln").first().innerText(), /^1$/);
  assert.match(await panel.innerText(), /NGINX Gateway Fabric policies/);
  await screenshot(page, "policies-ngf-1280");

  await choose(page, "Envoy Gateway");
  const eg = await policiesShown(page, "kind: BackendTrafficPolicy");
  assert.ok(eg.some((l) => /^\s*requestTimeout: \S+/.test(l)), "requestTimeout");
  assert.ok(!eg.includes("kind: ClientSettingsPolicy"));
  await finish(s);
});

test("Istio needs no policy for an ingress without affinity or an allowlist, and says so", async () => {
  const s = await openApp(browser, server.origin);
  const { page } = s;
  await paste(page, PLAIN);
  await choose(page, "Istio");
  const panel = await openTab(page, "Policies");
  await panel.getByText("Istio needs no policy to keep this ingress's behaviour.").waitFor();
  assert.equal((await panel.innerText()).trim(), "Istio needs no policy to keep this ingress's behaviour.");
  assert.equal(await panel.locator("pre, figure, button").count(), 0, "nothing else");
  const { bytes } = await download(page, page.getByRole("button", { name: "Download all" }));
  assert.ok(!readZip(bytes).some((f) => f.name === "policies.yaml"), "no policies.yaml in the zip");
  await finish(s);
});

test("Download all holds policies.yaml for NGINX Gateway Fabric, as the tab shows it", async () => {
  const s = await openApp(browser, server.origin);
  const { page } = s;
  await paste(page, UNLIMITED);
  await choose(page, "NGINX Gateway Fabric");
  const shown = await policiesShown(page, "kind: ClientSettingsPolicy");
  const { name, bytes } = await download(page, page.getByRole("button", { name: "Download all" }));
  assert.equal(name, "zenml-server-gateway-plan.zip");
  const files = readZip(bytes);
  const names = files.map((f) => f.name);
  assert.ok(names.includes("policies.yaml"), `policies.yaml in ${names.join(", ")}`);
  assert.ok(names.indexOf("policies.yaml") > names.indexOf("gateway.yaml"));
  const policies = files.find((f) => f.name === "policies.yaml").content;
  assert.match(policies, /^kind: ClientSettingsPolicy$/m);
  assert.match(policies, /^\s*maxSize: "0"$/m);
  assert.match(policies, /^kind: ProxySettingsPolicy$/m);
  assert.deepEqual(policies.trimEnd().split("\n"), shown, "the zip holds what the tab shows");
  await finish(s);
});

test("a finding's line link still selects its line with the Policies tab in place", async () => {
  const s = await openApp(browser, server.origin);
  const { page } = s;
  await paste(page, UNLIMITED);
  await choose(page, "NGINX Gateway Fabric");
  await policiesShown(page, "kind: ClientSettingsPolicy");
  const findings = await openTab(page, "Findings");
  // Line 6 holds the proxy-body-size annotation.
  const link = findings.getByRole("button", { name: /^line 6, column \d+$/ }).first();
  await link.click();
  const selected = await editor(page).evaluate((t) => t.value.slice(t.selectionStart, t.selectionEnd));
  assert.match(selected, /nginx\.ingress\.kubernetes\.io\/proxy-body-size: "0"/);
  assert.ok(await editor(page).evaluate((t) => document.activeElement === t));
  await finish(s);
});
