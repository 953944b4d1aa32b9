// `trunk build --public-url /docs/gateway-planner/` (scripts/test.sh builds it into
// target/dist-public-url): the app served under that path loads every file from it, plans, and
// registers its offline cache for that path only.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startServer, launch, openApp, finish, FIXTURES } from "./helpers.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const DIST = process.env.GATEWAY_PLANNER_PUBLIC_URL_DIST ?? path.resolve(here, "../../target/dist-public-url");
const PREFIX = "/docs/gateway-planner/";

let server, browser;
before(async () => {
  assert.ok(existsSync(path.join(DIST, "index.html")), `${DIST} is missing: scripts/test.sh builds it with trunk --public-url ${PREFIX}`);
  server = await startServer({ root: DIST, prefix: PREFIX });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test("built with --public-url, the app loads from that path and plans", async () => {
  const html = await readFile(path.join(DIST, "index.html"), "utf8");
  assert.match(html, /data-wasm="\/docs\/gateway-planner\/gateway-planner-web-[0-9a-f]+_bg\.wasm"/);
  const session = await openApp(browser, server.origin, { base: PREFIX });
  const { page } = session;
  await page.getByRole("textbox", { name: "values.yaml", exact: true }).fill(FIXTURES["03-ingress-no-tls.yaml"]);
  await page.getByRole("tab", { name: "Gateway", exact: true }).click();
  await page.getByRole("tabpanel").getByText("hostname: zenml.example.com").first().waitFor();
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  assert.equal(scope, server.origin + PREFIX);
  assert.deepEqual(server.hits.filter((u) => !u.startsWith(PREFIX)), [], "every file comes from the path");
  assert.ok(server.hits.some((u) => u.endsWith("_bg.wasm")));
  await finish(session);
});
