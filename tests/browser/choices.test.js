// Switching implementation and TLS changes the plan the way a user expects.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useServerAndBrowser, openApp, finish, paste, openTab, screenshot, FIXTURES } from "./helpers.js";

let server, browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

const radio = (page, group, name) => page.getByRole("radiogroup", { name: group, exact: true }).getByRole("radio", { name, exact: true });

test("the implementation decides the GatewayClass", async () => {
  const s = await openApp(browser, server.origin);
  const { page } = s;
  await page.getByRole("button", { name: "Load example" }).click();
  assert.ok(await radio(page, "Gateway implementation", "Envoy Gateway").isChecked());
  let gateway = await openTab(page, "Gateway");
  let text = await gateway.innerText();
  assert.match(text, /kind: GatewayClass/);
  assert.match(text, /gatewayClassName: eg$/m);

  for (const [name, cls] of [["Istio", "istio"], ["NGINX Gateway Fabric", "nginx"], ["GKE Gateway", "gke-l7-global-external-managed"]]) {
    await radio(page, "Gateway implementation", name).check();
    await gateway.getByText(`gatewayClassName: ${cls}`).waitFor();
    text = await gateway.innerText();
    assert.doesNotMatch(text, /gatewayClassName: eg$/m, `${name}: no eg class`);
    assert.match(text, new RegExp(`Gateway API objects for ZenML release zenml-server \\(${name}\\)`));
  }
  await screenshot(page, "gateway-gke-1280");
  await finish(s);
});

test("TLS models change listeners and show the inputs they need", async () => {
  const s = await openApp(browser, server.origin);
  const { page } = s;
  await paste(page, FIXTURES["05-aws-alb.yaml"]);
  // The ALB values imply TLS at a cloud load balancer with the ACM certificate (once planned).
  await page.getByRole("radiogroup", { name: "TLS", exact: true }).getByRole("radio", { name: "Cloud load balancer", checked: true }).waitFor();
  const arn = page.getByRole("textbox", { name: "Certificate ARN", exact: true });
  assert.match(await arn.getAttribute("placeholder"), /^arn:aws:acm:us-east-1:123456789012:certificate\//);
  assert.equal(await page.getByRole("textbox", { name: "Issuer", exact: true }).count(), 0);
  const gateway = await openTab(page, "Gateway");
  const text = await gateway.innerText();
  assert.match(text, /protocol: HTTP\s*\n\s*\d+\s+port: 443/, "443 is plain HTTP behind the load balancer");
  assert.doesNotMatch(text, /protocol: HTTPS/);

  await radio(page, "TLS", "cert-manager").check();
  const issuer = page.getByRole("textbox", { name: "Issuer", exact: true });
  await issuer.waitFor();
  assert.equal(await arn.count(), 0);
  await gateway.getByText("protocol: HTTPS").first().waitFor();
  await issuer.fill("ClusterIssuer/corp-ca");
  await gateway.getByText("cert-manager.io/cluster-issuer: corp-ca").waitFor();
  const tls = await openTab(page, "TLS");
  assert.match(await tls.innerText(), /tls\.yaml/);

  await radio(page, "TLS", "None").check();
  assert.equal(await issuer.count(), 0);
  assert.match(await (await openTab(page, "TLS")).innerText(), /needs no tls\.yaml/);
  assert.doesNotMatch(await (await openTab(page, "Gateway")).innerText(), /port: 443/);

  await page.getByRole("button", { name: "Use what the values imply" }).click();
  // The choices are planned once they pause, like the text (issue 14): the implied model
  // shows once that plan is made.
  await page.getByRole("radiogroup", { name: "TLS", exact: true }).getByRole("radio", { name: "Cloud load balancer", checked: true }).waitFor();
  await finish(s);
});

test("names typed by the user flow into every output, and an invalid one is explained", async () => {
  const s = await openApp(browser, server.origin);
  const { page } = s;
  await page.getByRole("button", { name: "Load example" }).click();
  for (const label of ["Gateway name", "Gateway namespace", "ZenML namespace", "Release name", "Hostname"]) {
    assert.ok(await page.getByRole("textbox", { name: label, exact: true }).isVisible(), label);
  }
  await page.getByRole("textbox", { name: "Gateway name", exact: true }).fill("edge");
  await page.getByRole("textbox", { name: "Gateway namespace", exact: true }).fill("ingress-gw");
  await page.getByRole("textbox", { name: "Release name", exact: true }).fill("mlops");
  const gateway = await openTab(page, "Gateway");
  await gateway.getByText("namespace: ingress-gw").first().waitFor();
  const text = await gateway.innerText();
  assert.match(text, /name: edge$/m);
  const values = await openTab(page, "Values");
  assert.match(await values.innerText(), /name: edge/);

  const host = page.getByRole("textbox", { name: "Hostname", exact: true });
  await host.fill("not a host!");
  // Said under the field, which it describes (issue 14: no alert).
  const alert = page.locator("#hostname-note .field-error");
  await alert.waitFor();
  assert.equal(await host.getAttribute("aria-describedby"), "hostname-note");
  assert.equal(await host.getAttribute("aria-invalid"), "true");
  // The last good plan stays, greyed.
  await page.getByText("Showing the last plan that could be made").waitFor();
  assert.match(await (await openTab(page, "Values")).innerText(), /name: edge/);
  await page.getByRole("textbox", { name: "Hostname", exact: true }).fill("");
  await alert.waitFor({ state: "detached" });
  await finish(s);
});

test("saying external-dns manages the host turns the DNS step into an ownership move", async () => {
  const s = await openApp(browser, server.origin);
  const { page } = s;
  await paste(page, FIXTURES["03-ingress-no-tls.yaml"]);
  let runbook = await openTab(page, "Runbook");
  await runbook.getByText("Plan the switch around the record's TTL").waitFor();
  const group = "external-dns manages the hostname";
  assert.ok(await radio(page, group, "Auto").isChecked(), "Auto follows the values");
  await page.getByText("Auto: off, because the Ingress has no external-dns annotations.").waitFor();
  await radio(page, group, "On").check();
  runbook = await openTab(page, "Runbook");
  await runbook.getByText("external-dns manages zenml.example.com").waitFor();
  const text = await runbook.innerText();
  assert.match(text, /--source=gateway-httproute/);
  assert.match(text, /external-dns\.alpha\.kubernetes\.io\/controller: none/);
  assert.doesNotMatch(text, /Plan the switch around the record's TTL/);
  await finish(s);
});

test("external-dns annotations turn the ownership move on, and Off turns it off again", async () => {
  const s = await openApp(browser, server.origin);
  const { page } = s;
  // external-dns annotations left on an Ingress whose record external-dns no longer manages.
  await paste(page, "server:\n  ingress:\n    enabled: true\n    host: zenml.example.com\n    annotations:\n      external-dns.alpha.kubernetes.io/hostname: zenml.example.com\n");
  let runbook = await openTab(page, "Runbook");
  await runbook.getByText("external-dns manages zenml.example.com").waitFor();
  const group = "external-dns manages the hostname";
  assert.ok(await radio(page, group, "Auto").isChecked());
  await page.getByText("Auto: on, because the Ingress has external-dns annotations.").waitFor();
  await radio(page, group, "Off").check();
  await page.getByText("Off, although the Ingress has external-dns annotations: the DNS step edits the record by hand.").waitFor();
  runbook = await openTab(page, "Runbook");
  await runbook.getByText("Plan the switch around the record's TTL").waitFor();
  assert.doesNotMatch(await runbook.innerText(), /--source=gateway-httproute/);
  await radio(page, group, "Auto").check();
  runbook = await openTab(page, "Runbook");
  await runbook.getByText("external-dns manages zenml.example.com").waitFor();
  await finish(s);
});

test("Deployed with: Argo CD and Flux runbooks sync from Git instead of running helm upgrade", async () => {
  const s = await openApp(browser, server.origin);
  const { page } = s;
  await paste(page, FIXTURES["01-nginx-certmanager-clusterissuer-tls.yaml"]);
  assert.ok(await radio(page, "Deployed with", "Helm").isChecked(), "Helm is the default");
  let runbook = await openTab(page, "Runbook");
  await runbook.getByText("helm upgrade", { exact: false }).first().waitFor();

  await radio(page, "Deployed with", "Argo CD").check();
  runbook = await openTab(page, "Runbook");
  await runbook.getByText("argocd app sync", { exact: false }).first().waitFor();
  let text = await runbook.innerText();
  assert.doesNotMatch(text, /^helm upgrade zenml/m, "no helm upgrade of the release under Argo CD");
  assert.match(text, /selfHeal/);

  await radio(page, "Deployed with", "Flux").check();
  runbook = await openTab(page, "Runbook");
  await runbook.getByText("flux reconcile helmrelease", { exact: false }).first().waitFor();
  text = await runbook.innerText();
  assert.doesNotMatch(text, /^helm upgrade zenml/m);
  assert.match(text, /kubectl wait helmreleases\.helm\.toolkit\.fluxcd\.io/);

  // The choice travels in a share link.
  await page.getByRole("button", { name: "Copy share link" }).click();
  const link = await page.getByRole("textbox", { name: /share link/i }).inputValue();
  // A fresh page opens the link, as a receiver would.
  const other = await openApp(browser, link.replace(/#.*/, ""), { base: new URL(link).hash });
  await radio(other.page, "Deployed with", "Flux").waitFor();
  assert.ok(await radio(other.page, "Deployed with", "Flux").isChecked());
  await finish(other);
  await finish(s);
});

test("a host nobody can re-point: the Gateway address field gives ZenML its new name", async () => {
  const s = await openApp(browser, server.origin);
  const { page } = s;
  await paste(page, FIXTURES["01-nginx-certmanager-clusterissuer-tls.yaml"]);
  let runbook = await openTab(page, "Runbook");
  await runbook.getByRole("heading", { name: "Phase 2: a new name for ZenML" }).waitFor();
  let text = await runbook.innerText();
  assert.doesNotMatch(text, /Lower the TTL/, "no DNS record for a nip.io name");
  const gateway = await openTab(page, "Gateway");
  assert.doesNotMatch(await gateway.innerText(), /hostname: zenml\.192\.168\.10\.20\.nip\.io/, "no listener on the old name");

  const field = page.getByRole("textbox", { name: "Gateway address", exact: true });
  await field.fill("203.0.113.10");
  runbook = await openTab(page, "Runbook");
  await runbook.getByRole("heading", { name: "Phase 2: users move to the new name" }).waitFor();
  text = await runbook.innerText();
  assert.match(text, /zenml\.203\.0\.113\.10\.nip\.io/);
  const values = await openTab(page, "Values");
  await values.getByText("serverURL: https://zenml.203.0.113.10.nip.io").first().waitFor();
  await finish(s);
});

test("Help me choose: three answers suggest a pair the planner makes, say why, and apply it", async () => {
  const s = await openApp(browser, server.origin);
  const { page } = s;
  await paste(page, FIXTURES["01-nginx-certmanager-clusterissuer-tls.yaml"]);
  const help = page.locator("details.help-choose");
  await help.locator("summary").click();
  await help.getByText("Answer the three questions for a suggestion.").waitFor();
  await radio(page, "Where does the cluster run?", "AWS (EKS)").check();
  await radio(page, "What serves its Ingress today?", "An AWS ALB (AWS Load Balancer Controller)").check();
  await radio(page, "Who ends TLS for ZenML today?", "cert-manager issues the certificate").check();
  // The ALB cannot serve a cert-manager certificate: the suggestion keeps TLS at the ALB and says why.
  await help.getByText("Suggested: AWS Load Balancer Controller with TLS Cloud load balancer").waitFor();
  const why = await help.locator(".why").innerText();
  assert.match(why, /ALB/);
  assert.match(why, /ACM/);
  await help.getByRole("button", { name: "Use these choices" }).click();
  assert.ok(await radio(page, "Gateway implementation", "AWS Load Balancer Controller").isChecked());
  assert.ok(await radio(page, "TLS", "Cloud load balancer").isChecked());
  // Another answer, another suggestion; the choices stay as applied until it is used.
  await radio(page, "What serves its Ingress today?", "Istio").check();
  await help.getByText(/^Suggested: Istio with TLS/).waitFor();
  assert.ok(await radio(page, "Gateway implementation", "AWS Load Balancer Controller").isChecked());
  await finish(s);
});

test("plain HTTP for a release users reach over https is flagged at the TLS choice", async () => {
  const s = await openApp(browser, server.origin);
  const { page } = s;
  await paste(page, "server:\n  serverURL: https://zenml.example.com\n  ingress:\n    enabled: true\n    host: zenml.example.com\n");
  await page.getByText(/plan for Envoy Gateway/).waitFor();
  assert.equal(await page.locator("#tls-downgrade").count(), 0, "https is kept: nothing to flag");
  await radio(page, "TLS", "None").check();
  const flag = page.locator("#tls-downgrade");
  await flag.waitFor();
  assert.match(await flag.innerText(), /^Lowers security: `?serverURL`? is/);
  const group = page.getByRole("radiogroup", { name: "TLS", exact: true });
  assert.match(await group.getAttribute("aria-describedby"), /\btls-downgrade\b/);
  await radio(page, "TLS", "cert-manager").check();
  await flag.waitFor({ state: "detached" });
  await finish(s);
});
