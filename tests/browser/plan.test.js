// Pasting values: every fixture gives a Gateway, migrated values and a runbook a user can read.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { useServerAndBrowser, openApp, finish, paste, openTab, screenshot, FIXTURES, editor, SUBPATH } from "./helpers.js";

let server, browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

// The hostname each fixture's Gateway listens on (null: the values set none, or name a
// wildcard-DNS host nobody can re-point, which no listener binds to).
const HOSTS = {
  "01-nginx-certmanager-clusterissuer-tls.yaml": null,
  "02-nginx-certmanager-no-host.yaml": null,
  "03-ingress-no-tls.yaml": "zenml.example.com",
  "05-aws-alb.yaml": "zenml.example.com",
  "07-self-signed-generateCerts.yaml": "zenml.internal.example.com",
  "09-minimal-no-ingress.yaml": null,
  "values-with-secrets.yaml": "zenml.prod.example.com",
};

test("every fixture has an expected hostname", () => {
  assert.deepEqual(Object.keys(FIXTURES).sort(), Object.keys(HOSTS).sort());
});

for (const [name, text] of Object.entries(FIXTURES)) {
  test(`pasting ${name} shows its Gateway, values and runbook`, async () => {
    const s = await openApp(browser, server.origin);
    const { page } = s;
    await paste(page, text);
    const host = HOSTS[name];

    const gateway = await openTab(page, "Gateway");
    await assert.doesNotReject(gateway.getByText("kind: Gateway", { exact: true }).first().waitFor());
    const gatewayText = await gateway.innerText();
    assert.match(gatewayText, /name: shared-gateway/);
    assert.match(gatewayText, /gatewayClassName: eg/);
    if (host) assert.ok(gatewayText.includes(`hostname: ${host}`), `Gateway hostname ${host}`);
    else assert.doesNotMatch(gatewayText, /hostname:/);

    const values = await openTab(page, "Values");
    const valuesText = await values.innerText();
    assert.match(valuesText, /values-parallel\.yaml/);
    assert.match(valuesText, /^\s*\d+\s*gateway:$/m, "the full file shows the gateway block");
    assert.match(valuesText, /^\s*\d*\s*\+\s+gateway:$/m, "the diff adds the gateway block");
    assert.match(valuesText, /enabled: true/);

    const runbook = await openTab(page, "Runbook");
    // The runbook's title sits under the page's h1 and the plan's h2 (issue 14).
    const heading = runbook.getByRole("heading", { level: 3 });
    assert.match(await heading.innerText(), /Moving ZenML release zenml-server from Ingress to Gateway API/);
    const runbookText = await runbook.innerText();
    if (host) assert.ok(runbookText.includes(host), "runbook names the host");
    if (name.startsWith("01")) {
      assert.ok(runbookText.includes("zenml.192.168.10.20.nip.io"), "runbook names the host that cannot move");
      assert.match(runbookText, /a new name for ZenML/);
    }

    // The text is exactly what was pasted.
    assert.equal(await editor(page).inputValue(), text);
    if (name.startsWith("01")) await screenshot(page, "runbook-1280");
    await finish(s);
  });
}

test("a fixture without a host asks for one, and the Gateway uses what the user types", async () => {
  const s = await openApp(browser, server.origin);
  const { page } = s;
  await paste(page, FIXTURES["02-nginx-certmanager-no-host.yaml"]);
  const hostField = page.getByRole("textbox", { name: "Hostname", exact: true });
  assert.match(await hostField.getAttribute("placeholder"), /needed/);
  const findings = await openTab(page, "Findings");
  assert.match(await findings.innerText(), /Errors \(1\)/i);
  await hostField.fill("ml.example.org");
  const gateway = await openTab(page, "Gateway");
  await gateway.getByText("hostname: ml.example.org").first().waitFor();
  assert.doesNotMatch(await (await openTab(page, "Findings")).innerText(), /^Errors \(/im);
  await finish(s);
});

test("the app works when served under a sub-path, and the traffic diagram follows the phase", async () => {
  const s = await openApp(browser, server.origin, { base: SUBPATH });
  const { page } = s;
  await page.getByRole("button", { name: "Load example" }).click();
  const diagram = page.getByRole("img", { name: /^Parallel: ingress path live, gateway path test$/ });
  await diagram.waitFor();
  assert.match(await diagram.textContent(), /curl --connect-to/);
  await page.getByRole("button", { name: "DNS cutover" }).click();
  await page.getByRole("img", { name: /^DNS cutover: ingress path standby, gateway path live$/ }).waitFor();
  assert.equal(await page.getByRole("button", { name: "DNS cutover" }).getAttribute("aria-pressed"), "true");
  await page.getByRole("button", { name: "Ingress off" }).click();
  const off = page.getByRole("img", { name: /^Ingress off: ingress path off, gateway path live$/ });
  assert.match(await off.textContent(), /turned off/);
  for (const url of s.requests) assert.ok(new URL(url).pathname.startsWith(SUBPATH), `request outside ${SUBPATH}: ${url}`);
  // The app mounted under a Content-Security-Policy that allows only its own files, with no
  // inline script, and one inline stylesheet, by its hash (a violation would also show as a
  // console error).
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval';/);
  assert.match(csp, /connect-src 'self'/);
  assert.equal(await page.locator("script:not([src])").count(), 0);
  const style = await page.locator("style").evaluateAll((all) => all.map((s) => s.textContent));
  assert.equal(style.length, 1);
  const styleHash = createHash("sha256").update(style[0], "utf8").digest("base64");
  assert.match(csp, new RegExp(`style-src 'sha256-${styleHash.replace(/[+/=]/g, "\\$&")}';`));
  assert.notEqual(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), "rgba(0, 0, 0, 0)", "the stylesheet applies");
  await screenshot(page, "ingress-off-1280");
  await finish(s);
});
