// Each of the seven implementations can be chosen, and each changes the Gateway class and the
// runbook; a TLS model an implementation cannot serve is refused next to the choice, never
// replaced with another.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useServerAndBrowser, openApp, finish, paste, openTab, FIXTURES } from "./helpers.js";

let server, browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

const radio = (page, group, name) => page.getByRole("radiogroup", { name: group, exact: true }).getByRole("radio", { name, exact: true });

// Label in the radio group, the GatewayClass its Gateway names, and a command only its runbook has.
const IMPLEMENTATIONS = [
  ["Envoy Gateway", "eg", "oci://docker.io/envoyproxy/gateway-helm"],
  ["Istio", "istio", "helm install istiod istio/istiod"],
  ["NGINX Gateway Fabric", "nginx", "oci://ghcr.io/nginx/charts/nginx-gateway-fabric"],
  ["GKE Gateway", "gke-l7-global-external-managed", "--gateway-api=standard"],
  ["Traefik", "traefik", "helm install traefik traefik/traefik"],
  ["Kong", "kong", "kong/kong-operator"],
  ["AWS Load Balancer Controller", "aws-alb", "eks/aws-load-balancer-controller"],
];

test("all seven implementations can be chosen, each with its class and its runbook", async () => {
  const s = await openApp(browser, server.origin);
  const { page } = s;
  // The ALB values imply TLS at a cloud load balancer, which every implementation can serve.
  await paste(page, FIXTURES["05-aws-alb.yaml"]);
  const group = page.getByRole("radiogroup", { name: "Gateway implementation", exact: true });
  assert.deepEqual(
    await group.getByRole("radio").evaluateAll((radios) => radios.map((r) => r.labels[0]?.innerText.split("\n")[0].trim())),
    IMPLEMENTATIONS.map(([name]) => name),
    "the radio group lists the registry in order",
  );
  const seen = new Set();
  for (const [name, cls, command] of IMPLEMENTATIONS) {
    await radio(page, "Gateway implementation", name).check();
    const gateway = await openTab(page, "Gateway");
    await gateway.getByText(`gatewayClassName: ${cls}`).first().waitFor();
    assert.match(await gateway.innerText(), new RegExp(`\\(${name}\\)`), `${name}: the Gateway tab names it`);
    const runbook = await openTab(page, "Runbook");
    await runbook.getByText(command, { exact: false }).first().waitFor();
    const text = await runbook.innerText();
    for (const [other, , otherCommand] of IMPLEMENTATIONS) {
      if (other !== name) assert.ok(!text.includes(otherCommand), `${name}: the runbook does not install ${other}`);
    }
    seen.add(text);
  }
  assert.equal(seen.size, IMPLEMENTATIONS.length, "seven different runbooks");
  await finish(s);
});

test("a TLS model the implementation cannot serve is refused next to the TLS choice", async () => {
  const s = await openApp(browser, server.origin);
  const { page } = s;
  await page.getByRole("button", { name: "Load example" }).click();
  const gateway = await openTab(page, "Gateway");
  await gateway.getByText("gatewayClassName: eg").first().waitFor();
  await radio(page, "Gateway implementation", "AWS Load Balancer Controller").check();
  // The example's TLS is cert-manager on the Gateway; an ALB takes no listener certificate.
  const problem = page.locator(".choices #choice-error");
  await problem.waitFor();
  const said = await problem.innerText();
  assert.match(said, /^TLS/, said);
  assert.match(said, /AWS Load Balancer Controller/, said);
  assert.match(said, /cert-manager|certificate/i, said);
  assert.doesNotMatch(await gateway.innerText(), /gatewayClassName: aws-alb/, "no plan made with another TLS model");
  await radio(page, "TLS", "Cloud load balancer").check();
  await gateway.getByText("gatewayClassName: aws-alb").first().waitFor();
  await finish(s);
});
