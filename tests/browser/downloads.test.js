// "Download runbook" and "Download all" give the user the same files the CLI writes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { useServerAndBrowser, openApp, finish, paste, openTab, readZip, download, FIXTURES } from "./helpers.js";

let server, browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

// Envoy Gateway (the default) always gets a policies.yaml: its 15 s request timeout needs raising.
const CLI_FILES = ["values-parallel.yaml", "values-final.yaml", "overlay-parallel.yaml", "overlay-final.yaml", "gateway.yaml", "policies.yaml", "tls.yaml", "findings.json", "runbook.md"];
// The example names its cert-manager issuer: the cluster has it, so tls.yaml never redefines it.
const EXAMPLE_FILES = CLI_FILES.filter((f) => f !== "tls.yaml");

test("Download runbook saves the runbook as Markdown named after the release", async () => {
  const s = await openApp(browser, server.origin);
  const { page } = s;
  await page.getByRole("button", { name: "Load example" }).click();
  await page.getByRole("textbox", { name: "Release name", exact: true }).fill("mlops");
  await (await openTab(page, "Runbook")).getByText("Moving ZenML release").waitFor();
  const { name, bytes } = await download(page, page.getByRole("button", { name: "Download runbook" }));
  assert.equal(name, "mlops-runbook.md");
  const md = bytes.toString("utf8");
  assert.match(md, /^# Moving ZenML release `mlops` from Ingress to Gateway API/);
  assert.match(md, /`zenml\.example\.com`/);
  await finish(s);
});

test("Download all saves a zip with every file under the CLI's names", async () => {
  const s = await openApp(browser, server.origin);
  const { page } = s;
  await page.getByRole("button", { name: "Load example" }).click();
  const gatewayShown = await (await openTab(page, "Gateway")).getByRole("region").or(page.locator("pre.code")).first().innerText();
  // The zip holds the whole values file: the button says so.
  const button = page.getByRole("button", { name: "Download all" });
  assert.match(await page.locator(`#${await button.getAttribute("aria-describedby")}`).innerText(), /keep it private/);
  const { name, bytes } = await download(page, button);
  assert.equal(name, "zenml-server-gateway-plan.zip");
  const files = readZip(bytes);
  assert.deepEqual(files.map((f) => f.name), EXAMPLE_FILES);
  const byName = Object.fromEntries(files.map((f) => [f.name, f.content]));
  // What the Gateway tab shows (without its line numbers) is what the zip holds.
  const shownLines = gatewayShown.split("\n").map((l) => l.replace(/^\s*\d+\t?\s?/, ""));
  assert.ok(byName["gateway.yaml"].startsWith("# Gateway API objects for ZenML release zenml-server (Envoy Gateway)"));
  assert.ok(shownLines.some((l) => l.includes("hostname: zenml.example.com")));
  assert.match(byName["values-parallel.yaml"], /^  gateway:\n    enabled: true$/m);
  assert.match(byName["values-final.yaml"], /enabled: false/);
  const findings = JSON.parse(byName["findings.json"]);
  assert.ok(findings.length > 0 && findings.every((f) => ["error", "warning", "info"].includes(f.severity)));
  assert.match(byName["runbook.md"], /^# Moving ZenML release `zenml-server`/);
  assert.match(byName["runbook.md"], /letsencrypt-prod-gateway/, "the runbook copies the named issuer for the Gateway");
  assert.match(byName["policies.yaml"], /^kind: BackendTrafficPolicy$/m);
  await finish(s);
});

test("a download right after a keystroke holds the text as typed, and typing never greys the buttons", async () => {
  const s = await openApp(browser, server.origin);
  const { page } = s;
  await page.getByRole("button", { name: "Load example" }).click();
  await (await openTab(page, "Gateway")).getByText("hostname: zenml.example.com").first().waitFor();
  // One task: a keystroke's edit, then the click, before the plan could follow the typing.
  const disabledAfterKey = page.evaluate(() => {
    const field = document.querySelector("#values-input");
    const at = field.value.indexOf("host: zenml.example.com") + "host: ".length;
    field.setSelectionRange(at, at + "zenml".length);
    field.setRangeText("mlops", at, at + "zenml".length, "end");
    field.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertText", data: "s" }));
    const buttons = [...document.querySelectorAll(".toolbar button, .code-head button")];
    const greyed = buttons.filter((b) => b.disabled).map((b) => b.textContent);
    buttons.find((b) => b.textContent === "Download all").click();
    return greyed;
  });
  const [dl] = await Promise.all([page.waitForEvent("download"), disabledAfterKey]);
  assert.deepEqual(await disabledAfterKey, [], "a keystroke greyed buttons");
  const files = Object.fromEntries(readZip(await readFile(await dl.path())).map((f) => [f.name, f.content]));
  assert.match(files["gateway.yaml"], /hostname: mlops\.example\.com/);
  assert.doesNotMatch(files["gateway.yaml"], /hostname: zenml\.example\.com/);
  // The page catches up with the download.
  await (await openTab(page, "Gateway")).getByText("hostname: mlops.example.com").first().waitFor();
  await finish(s);
});

test("an issuer the plan creates is in tls.yaml", async () => {
  const s = await openApp(browser, server.origin);
  const { page } = s;
  await paste(page, FIXTURES["07-self-signed-generateCerts.yaml"]);
  await (await openTab(page, "TLS")).getByText("selfSigned").first().waitFor();
  const { bytes } = await download(page, page.getByRole("button", { name: "Download all" }));
  const files = readZip(bytes);
  assert.deepEqual(files.map((f) => f.name), CLI_FILES);
  assert.match(files.find((f) => f.name === "tls.yaml").content, /kind: ClusterIssuer\n[\s\S]*selfSigned: \{\}/);
  await finish(s);
});

test("without TLS objects the zip has no tls.yaml", async () => {
  const s = await openApp(browser, server.origin);
  const { page } = s;
  await paste(page, FIXTURES["03-ingress-no-tls.yaml"]);
  await (await openTab(page, "Gateway")).getByText("hostname: zenml.example.com").first().waitFor();
  const { bytes } = await download(page, page.getByRole("button", { name: "Download all" }));
  assert.deepEqual(readZip(bytes).map((f) => f.name), CLI_FILES.filter((f) => f !== "tls.yaml"));
  await finish(s);
});

test("each file of the Values, Gateway, TLS and Policies tabs downloads on its own, as in the zip", async () => {
  const s = await openApp(browser, server.origin);
  const { page } = s;
  await paste(page, FIXTURES["07-self-signed-generateCerts.yaml"]);
  await (await openTab(page, "TLS")).getByText("selfSigned").first().waitFor();
  const { bytes } = await download(page, page.getByRole("button", { name: "Download all" }));
  const zipped = Object.fromEntries(readZip(bytes).map((f) => [f.name, f.content]));
  const values = await openTab(page, "Values");
  for (const name of ["values-parallel.yaml", "values-final.yaml", "overlay-parallel.yaml", "overlay-final.yaml"]) {
    await values.getByRole("button", { name, exact: true }).click();
    const file = await download(page, values.getByRole("button", { name: `Download ${name}`, exact: true }));
    assert.equal(file.name, name);
    assert.equal(file.bytes.toString("utf8"), zipped[name], name);
  }
  for (const [tab, name] of [["Gateway", "gateway.yaml"], ["TLS", "tls.yaml"], ["Policies", "policies.yaml"]]) {
    const panel = await openTab(page, tab);
    const file = await download(page, panel.getByRole("button", { name: `Download ${name}`, exact: true }));
    assert.equal(file.name, name);
    assert.equal(file.bytes.toString("utf8"), zipped[name], name);
  }
  // Like Download all, a file is offered only while the plan is the input's.
  await paste(page, "server: [\n");
  await page.locator("#values-error").waitFor();
  assert.ok(await (await openTab(page, "Policies")).getByRole("button", { name: "Download policies.yaml" }).isDisabled());
  await finish(s);
});

test("the chosen tab and values file stay chosen when the text is cleared and pasted again", async () => {
  const s = await openApp(browser, server.origin);
  const { page } = s;
  const text = FIXTURES["03-ingress-no-tls.yaml"];
  await paste(page, text);
  const values = await openTab(page, "Values");
  await values.getByRole("button", { name: "overlay-final.yaml", exact: true }).click();
  await paste(page, "");
  await page.getByRole("heading", { name: "No plan yet" }).waitFor();
  await paste(page, text);
  await page.getByRole("tab", { name: "Values", exact: true }).waitFor();
  assert.equal(await page.getByRole("button", { name: "overlay-final.yaml", exact: true }).getAttribute("aria-pressed"), "true");
  assert.match(await page.getByRole("tabpanel").innerText(), /Phase 3 as an overlay/);

  await openTab(page, "Runbook");
  await paste(page, "");
  await page.getByRole("heading", { name: "No plan yet" }).waitFor();
  await paste(page, text);
  await page.getByRole("tab", { name: "Runbook", exact: true }).waitFor();
  assert.equal(await page.getByRole("tab", { name: "Runbook", exact: true }).getAttribute("aria-selected"), "true");
  await finish(s);
});
