// `trunk build --public-url /docs/gateway-planner/` (scripts/test.sh builds it into
// target/dist-public-url): the app served under that path loads every file from it, plans, and
// registers its offline cache for that path only.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { launch, FIXTURES } from "./helpers.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const DIST = process.env.GATEWAY_PLANNER_PUBLIC_URL_DIST ?? path.resolve(here, "../../target/dist-public-url");
const PREFIX = "/docs/gateway-planner/";
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".wasm": "application/wasm", ".css": "text/css", ".svg": "image/svg+xml", ".webmanifest": "application/manifest+json" };

let server, origin, browser;
const served = [];
before(async () => {
  assert.ok(existsSync(path.join(DIST, "index.html")), `${DIST} is missing: scripts/test.sh builds it with trunk --public-url ${PREFIX}`);
  server = createServer(async (req, res) => {
    const url = new URL(req.url, "http://x").pathname;
    served.push(url);
    if (!url.startsWith(PREFIX)) return res.writeHead(404).end();
    const rest = url.slice(PREFIX.length);
    const file = path.join(DIST, path.normalize(rest === "" || rest.endsWith("/") ? rest + "index.html" : rest));
    try {
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

test("built with --public-url, the app loads from that path and plans", async () => {
  const html = await readFile(path.join(DIST, "index.html"), "utf8");
  assert.match(html, /data-wasm="\/docs\/gateway-planner\/gateway-planner-web-[0-9a-f]+_bg\.wasm"/);
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(origin + PREFIX);
  const editor = page.getByRole("textbox", { name: "values.yaml", exact: true });
  await editor.fill(FIXTURES["03-ingress-no-tls.yaml"]);
  await page.getByRole("tab", { name: "Gateway", exact: true }).click();
  await page.getByRole("tabpanel").getByText("hostname: zenml.example.com").first().waitFor();
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  assert.equal(scope, origin + PREFIX);
  assert.deepEqual(served.filter((u) => !u.startsWith(PREFIX)), [], "every file comes from the path");
  assert.ok(served.some((u) => u.endsWith("_bg.wasm")));
  assert.deepEqual(errors, []);
  await context.close();
});
