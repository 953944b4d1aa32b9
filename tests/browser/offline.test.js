// Offline: the service worker (public/sw.js, stamped by scripts/service-worker.sh) keeps this
// build's files, so a planner loaded once works without the network, at / and under a sub-path;
// every build's sw.js lists exactly the files of that build; a new build's worker replaces the old
// build's cache; a page of an older build still starts when the server no longer has its files
// (hashed files cache-first, errors answered from the cache); a failed install leaves no cache;
// the web app manifest is linked and complete.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFile, readdir, cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startServer, launch, openApp, appStarted, finish, paste, openTab, FIXTURES, DIST, SUBPATH } from "./helpers.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const FIXTURE = "01-nginx-certmanager-clusterissuer-tls.yaml";
// The host fixture 01 sets (ingress.host), which its Gateway listener gets.
const HOST = "zenml.192.168.10.20.nip.io";
const PREFIX = "gateway-planner-";
// Files named with a hash of their content (as public/sw.js tells them).
const HASHED = /-[0-9a-f]{8,16}(_bg)?\.(js|wasm|css)$/;

let site, browser;
before(async () => {
  site = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await site?.close();
});

/**
 * Polls `check` (async, returns a truthy value when done) until it holds or `ms` pass; on timeout
 * the message shows what `seen` (async) reports, e.g. the caches at that moment. The browser
 * decides when a navigation checks for a new worker, and the worker stores ~1.3 MB of wasm: on a
 * loaded 2-core CI machine that took over 15 s once, so the default allows 60.
 */
async function until(check, what, ms = 60000, seen = async () => undefined) {
  const deadline = Date.now() + ms;
  for (;;) {
    const last = await check();
    if (last) return last;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}; seen: ${JSON.stringify(await seen())}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The page's caches: name → the URLs each holds. */
function cacheContents(page) {
  return page.evaluate(async () => {
    const out = {};
    for (const name of await caches.keys()) {
      out[name] = (await (await caches.open(name)).keys()).map((r) => r.url);
    }
    return out;
  });
}

/** The build id and file list stamped into a sw.js. */
function stamped(sw) {
  const build = sw.match(/^const BUILD = "([^"]*)";$/m);
  const assets = sw.match(/^const ASSETS = (\[.*\]);$/m);
  assert.ok(build && assets, "sw.js declares BUILD and ASSETS");
  return { build: build[1], assets: JSON.parse(assets[1]) };
}

/** Every file under `dir`, relative to it, with "/" separators, in byte order. */
async function walk(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath ?? e.path, e.name)).split(path.sep).join("/"))
    .sort();
}

/** Waits until the page is controlled by an activated service worker and the cache of `build`
 * holds every file the worker lists. */
async function waitForOffline(page, base, build, assets) {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller?.state === "activated");
  const expected = assets.map((a) => new URL(a, site.origin + base).href).sort();
  const contents = await until(async () => {
    const c = await cacheContents(page);
    return (c[PREFIX + build] ?? []).length === expected.length && c;
  }, `the cache ${PREFIX + build}`);
  assert.deepEqual(contents[PREFIX + build].sort(), expected);
  assert.ok(expected.some((u) => u.endsWith("_bg.wasm")), "the wasm is cached");
}

test("dist/sw.js is stamped with this build's id and exactly the files of dist/", async () => {
  const template = readFileSync(path.resolve(here, "../../public/sw.js"), "utf8");
  const sw = readFileSync(path.join(DIST, "sw.js"), "utf8");
  assert.doesNotMatch(sw, /__BUILD__|__ASSETS__/, "placeholders left in dist/sw.js");
  const { build, assets } = stamped(sw);
  assert.match(build, /^[0-9a-f]{16}$/);

  // Every file of the build but the worker itself, plus "./" (the page as navigated to).
  const files = (await walk(DIST)).filter((f) => f !== "sw.js");
  assert.deepEqual(assets, ["./", ...files]);
  assert.ok(files.includes("index.html") && files.includes("manifest.webmanifest") && files.some((f) => f.endsWith("_bg.wasm")));

  // The id is the one scripts/service-worker.sh derives from these files' contents (sha256sum of
  // each, in order, hashed again), so a rebuild that changes any file gets a new cache.
  const sums = files.map((f) => `${createHash("sha256").update(readFileSync(path.join(DIST, f))).digest("hex")}  ${f}\n`).join("");
  assert.equal(build, createHash("sha256").update(sums).digest("hex").slice(0, 16), "build id matches the files");

  // boot.js and trunk's JS and wasm all carry a hash of their content in their name, and the page
  // loads that boot script (the stylesheet is in index.html).
  const hashed = files.filter((f) => HASHED.test(f));
  assert.deepEqual(files.filter((f) => f.endsWith(".css")), [], "no stylesheet of its own");
  for (const pattern of [/^boot-[0-9a-f]{16}\.js$/, /_bg\.wasm$/, /^gateway-planner-web-[0-9a-f]{8,16}\.js$/]) {
    assert.equal(hashed.filter((f) => pattern.test(f)).length, 1, `one hashed file like ${pattern}: ${files.join(", ")}`);
  }
  assert.ok(!files.includes("boot.js"), "boot.js has a hashed name");
  // Every script and the wasm is named by its content (no wasm-bindgen snippet under a fixed name).
  assert.deepEqual(files.filter((f) => /\.(js|wasm)$/.test(f) && !HASHED.test(f)), []);
  const boot = hashed.find((f) => f.startsWith("boot-"));
  assert.equal(createHash("sha256").update(readFileSync(path.join(DIST, boot))).digest("hex").slice(0, 16), boot.slice(5, 21));
  assert.match(readFileSync(path.join(DIST, "index.html"), "utf8"), new RegExp(`<script type="module" src="\\./${boot.replace(".", "\\.")}"`));

  // Nothing else of the template changed.
  assert.equal(template.replace('"__BUILD__"', JSON.stringify(build)).replace('["__ASSETS__"]', `[${assets.map((a) => JSON.stringify(a)).join(", ")}]`), sw);
});

test("the web app manifest is linked, valid and points at the app", async () => {
  for (const base of ["/", SUBPATH]) {
    const s = await openApp(browser, site.origin, { base });
    const { page } = s;
    const href = await page.locator('link[rel="manifest"]').getAttribute("href");
    const manifestUrl = new URL(href, page.url()).href;
    assert.equal(manifestUrl, `${site.origin}${base}manifest.webmanifest`);
    const fetched = await page.evaluate(async (url) => {
      const r = await fetch(url);
      return { status: r.status, type: r.headers.get("content-type"), text: await r.text() };
    }, manifestUrl);
    assert.equal(fetched.status, 200);
    const manifest = JSON.parse(fetched.text);
    assert.equal(manifest.name, "Gateway Planner");
    assert.equal(manifest.start_url, "./");
    assert.equal(manifest.display, "standalone");
    assert.equal(new URL(manifest.start_url, manifestUrl).href, site.origin + base, "start_url is the page");
    if (manifest.scope !== undefined) assert.equal(new URL(manifest.scope, manifestUrl).href, site.origin + base);
    const svg = (manifest.icons ?? []).find((i) => i.type === "image/svg+xml");
    assert.ok(svg, "an SVG icon");
    const icon = await page.evaluate(async (url) => {
      const r = await fetch(url);
      return { status: r.status, type: r.headers.get("content-type"), text: await r.text() };
    }, new URL(svg.src, manifestUrl).href);
    assert.equal(icon.status, 200);
    assert.match(icon.text, /<svg[\s>]/);
    await finish(s);
  }
});

for (const base of ["/", SUBPATH]) {
  test(`load once at ${base}, go offline, reload: the planner works`, async () => {
    const { build, assets } = stamped(readFileSync(path.join(DIST, "sw.js"), "utf8"));
    const s = await openApp(browser, site.origin, { base });
    const { page, context } = s;
    await waitForOffline(page, base, build, assets);
    assert.equal(await page.evaluate(() => navigator.serviceWorker.controller.scriptURL), `${site.origin}${base}sw.js`);

    await context.setOffline(true);
    const hitsBefore = site.hits.length;
    const responses = [];
    const failed = [];
    page.on("response", (r) => responses.push({ url: r.url(), fromServiceWorker: r.fromServiceWorker() }));
    page.on("requestfailed", (r) => failed.push(r.url()));
    await page.reload();
    await appStarted(page);
    assert.equal(await page.evaluate(() => navigator.onLine), false, "the browser is offline");

    assert.match(FIXTURES[FIXTURE], new RegExp(`^\\s+host: ${HOST.replaceAll(".", "\\.")}$`, "m"));
    await paste(page, FIXTURES[FIXTURE]);
    await (await openTab(page, "Values")).getByText(`host: ${HOST}`).first().waitFor();

    // Everything came from the service worker's cache: the server saw nothing, nothing failed.
    assert.deepEqual(site.hits.slice(hitsBefore), [], "requests reached the server while offline");
    assert.deepEqual(failed, [], "requests failed while offline");
    const urls = responses.map((r) => r.url);
    assert.ok(urls.includes(site.origin + base), "the page itself was served");
    assert.ok(urls.some((u) => u.endsWith("_bg.wasm")), "the wasm was served");
    assert.deepEqual(responses.filter((r) => !r.fromServiceWorker), [], "responses not from the service worker");
    await finish(s);
  });
}

test("a new build replaces the cache cleanly", async () => {
  const old = stamped(readFileSync(path.join(DIST, "sw.js"), "utf8"));
  // The next "release": the same files, a marker in the page and a new build id in sw.js.
  const next = await mkdtemp(path.join(os.tmpdir(), "gateway-planner-release-"));
  try {
    await cp(DIST, next, { recursive: true });
    const newBuild = createHash("sha256").update(old.build + "next").digest("hex").slice(0, 16);
    const sw = await readFile(path.join(next, "sw.js"), "utf8");
    await writeFile(path.join(next, "sw.js"), sw.replace(`const BUILD = "${old.build}";`, `const BUILD = "${newBuild}";`));
    assert.equal(stamped(await readFile(path.join(next, "sw.js"), "utf8")).build, newBuild);
    const html = await readFile(path.join(next, "index.html"), "utf8");
    assert.ok(html.includes("</head>"));
    await writeFile(path.join(next, "index.html"), html.replace("</head>", '<meta name="test-release" content="next" /></head>'));

    const s = await openApp(browser, site.origin, { base: SUBPATH });
    const { page, context } = s;
    await waitForOffline(page, SUBPATH, old.build, old.assets);
    assert.equal(await page.locator('meta[name="test-release"]').count(), 0);

    site.root = next;
    await page.reload();
    await appStarted(page);
    assert.equal(await page.locator('meta[name="test-release"]').count(), 1, "the new release is served online");
    // The new worker installs, stores its files, then drops the old build's cache.
    const contents = await until(async () => {
      const c = await cacheContents(page);
      return Object.keys(c).length === 1 && c[PREFIX + newBuild]?.length === old.assets.length && c;
    }, `only ${PREFIX + newBuild} left`, 60000, async () => ({
      caches: Object.fromEntries(Object.entries(await cacheContents(page)).map(([name, urls]) => [name, urls.length])),
      workers: await page.evaluate(async () => {
        const r = await navigator.serviceWorker.getRegistration();
        return { active: r?.active?.state, waiting: r?.waiting?.state, installing: r?.installing?.state };
      }),
    }));
    assert.deepEqual(Object.keys(contents), [PREFIX + newBuild]);
    const cachedPage = await page.evaluate(async (name) => (await (await caches.open(name)).match("./")).text(), PREFIX + newBuild);
    assert.match(cachedPage, /name="test-release"/, "the new cache holds the new release's page");

    await page.reload();
    await appStarted(page);
    await page.waitForFunction(() => navigator.serviceWorker.controller?.state === "activated");

    // Offline, the page comes from the new cache (the old worker would find an empty one).
    await context.setOffline(true);
    const hitsBefore = site.hits.length;
    await page.reload();
    await appStarted(page);
    assert.equal(await page.locator('meta[name="test-release"]').count(), 1, "the new release is served offline");
    await paste(page, FIXTURES[FIXTURE]);
    await (await openTab(page, "Values")).getByText(`host: ${HOST}`).first().waitFor();
    assert.deepEqual(site.hits.slice(hitsBefore), [], "requests reached the server while offline");
    assert.deepEqual(Object.keys(await cacheContents(page)), [PREFIX + newBuild]);
    await finish(s);
  } finally {
    site.root = DIST;
    await rm(next, { recursive: true, force: true });
  }
});

test("a page of an older build starts from the cache when the server no longer has its files", async () => {
  const { build, assets } = stamped(readFileSync(path.join(DIST, "sw.js"), "utf8"));
  const hashed = assets.filter((a) => HASHED.test(a));
  assert.ok(hashed.some((a) => a.startsWith("boot-")) && hashed.some((a) => a.endsWith("_bg.wasm")), hashed.join(", "));
  const next = await mkdtemp(path.join(os.tmpdir(), "gateway-planner-release-"));
  try {
    const s = await openApp(browser, site.origin, { base: SUBPATH });
    const { page } = s;
    await waitForOffline(page, SUBPATH, build, assets);

    // The server moves on: its root no longer has this build's hashed files (boot script, JS,
    // wasm, CSS), but still hands out this build's page, as a stale copy at the edge would.
    await cp(DIST, next, { recursive: true });
    for (const file of hashed) await rm(path.join(next, file));
    site.root = next;
    const answered = new Map();
    page.on("response", (r) => answered.set(r.url(), { status: r.status(), fromServiceWorker: r.fromServiceWorker() }));
    const hitsBefore = site.hits.length;
    await page.reload();
    await appStarted(page);
    await paste(page, FIXTURES[FIXTURE]);
    await (await openTab(page, "Values")).getByText(`host: ${HOST}`).first().waitFor();
    for (const file of hashed) {
      const url = new URL(file, site.origin + SUBPATH).href;
      assert.deepEqual(answered.get(url), { status: 200, fromServiceWorker: true }, file);
    }
    // Hashed files come from the cache first: the server was not even asked.
    const asked = site.hits.slice(hitsBefore);
    assert.deepEqual(asked.filter((h) => HASHED.test(h)), [], "hashed files asked of the server");

    // The page itself answered with an error (404): the cached page, which starts.
    await rm(path.join(next, "index.html"));
    await page.reload();
    await appStarted(page);
    assert.deepEqual(answered.get(site.origin + SUBPATH), { status: 200, fromServiceWorker: true });
    assert.ok(site.hits.slice(hitsBefore).includes(SUBPATH), "the page was asked of the server first");
    // Any other file the server lost comes from the cache as well.
    await rm(path.join(next, "manifest.webmanifest"));
    const manifest = await page.evaluate(async () => {
      const r = await fetch("manifest.webmanifest");
      return { status: r.status, name: (await r.json()).name };
    });
    assert.deepEqual(manifest, { status: 200, name: "Gateway Planner" });
    await finish(s);
  } finally {
    site.root = DIST;
    await rm(next, { recursive: true, force: true });
  }
});

test("an install that cannot fetch every file leaves no cache behind", async () => {
  const broken = await mkdtemp(path.join(os.tmpdir(), "gateway-planner-broken-"));
  try {
    // One file the worker stores is missing on the server (and the page itself never loads it).
    await cp(DIST, broken, { recursive: true });
    assert.ok(stamped(readFileSync(path.join(DIST, "sw.js"), "utf8")).assets.includes("embed-example.html"));
    await rm(path.join(broken, "embed-example.html"));
    site.root = broken;
    const context = await browser.newContext();
    // Every state the installing worker goes through, from the page's side.
    await context.addInitScript(() => {
      window.workerStates = [];
      const container = navigator.serviceWorker;
      const register = container.register.bind(container);
      container.register = async (...args) => {
        const registration = await register(...args);
        const worker = registration.installing;
        if (worker) {
          window.workerStates.push(worker.state);
          worker.addEventListener("statechange", () => window.workerStates.push(worker.state));
        }
        return registration;
      };
    });
    const page = await context.newPage();
    const session = { context, page, requests: [], errors: [] };
    page.on("request", (r) => session.requests.push(r.url()));
    page.on("console", (m) => m.type() === "error" && session.errors.push(m.text()));
    page.on("pageerror", (e) => session.errors.push(String(e)));
    await page.goto(site.origin + SUBPATH);
    await appStarted(page);
    await until(() => page.evaluate(() => window.workerStates.includes("redundant")), "the install to fail");
    assert.ok(site.hits.includes(`${SUBPATH}embed-example.html`), "the worker asked for the missing file");
    assert.deepEqual(await page.evaluate(() => window.workerStates), ["installing", "redundant"]);
    assert.deepEqual(await page.evaluate(() => caches.keys()), [], "caches left behind");
    assert.equal(await page.evaluate(() => navigator.serviceWorker.controller), null);
    // The planner works all the same (online).
    await paste(page, FIXTURES[FIXTURE]);
    await (await openTab(page, "Values")).getByText(`host: ${HOST}`).first().waitFor();
    await finish(session);
  } finally {
    site.root = DIST;
    await rm(broken, { recursive: true, force: true });
  }
});
