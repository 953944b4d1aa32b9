// Embedding and themes: ?embed=1 hides the page chrome and, inside an iframe of another origin,
// posts the page's height ({type: "gateway-planner:resize", height}) so the parent can fit the
// frame to the planner as it grows: to the origin named in &parent= only (nothing when that is no
// origin), to any parent without it; at the top level it posts nothing. ?theme=light|dark overrides
// the system colour scheme; without it the page follows the system.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { useServerAndBrowser, openPage, openApp, appStarted, finish, paste, openTab, screenshot, FIXTURES, SUBPATH } from "./helpers.js";

let server, browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

const FIXTURE = "01-nginx-certmanager-clusterissuer-tls.yaml";
// The host fixture 01 sets (ingress.host), which its Gateway listener gets.
const HOST = "zenml.192.168.10.20.nip.io";
const RESIZE = "gateway-planner:resize";

// The parent: public/embed-example.html (the snippet users copy, which frames the planner with
// ?embed=1&parent=<its own origin> and fits the iframe's height to every height the planner posts),
// served from a second origin (127.0.0.1, another port) with its iframe pointed at the planner's
// origin. It also keeps every message it receives (window.received) for the test. At /frame?src=
// the same origin serves a bare page framing `src`, with the same recorder.
const EXAMPLE = readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../public/embed-example.html"), "utf8");
const RECORDER = `<link rel="icon" href="data:," />
    <script>
      window.received = [];
      window.addEventListener("message", (event) => window.received.push({ origin: event.origin, data: event.data }));
    </script>
  </head>`;

function parentPage(plannerUrl) {
  const at = 'data-planner="./"';
  assert.ok(EXAMPLE.includes(at) && EXAMPLE.includes("</head>"), "embed-example.html frames the planner at ./");
  return EXAMPLE.replace(at, `data-planner="${plannerUrl}"`).replace("</head>", RECORDER);
}

function framePage(src) {
  const attribute = src.replaceAll("&", "&amp;").replaceAll('"', "&quot;");
  return `<!doctype html><html><head><meta charset="utf-8" /><title>frame</title>${RECORDER}<body><iframe src="${attribute}" title="planner" style="width: 100%; height: 600px"></iframe></body></html>`;
}

let parent;
before(async () => {
  const http = createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    const page = url.pathname === "/" ? parentPage(`${server.origin}${SUBPATH}`) : url.pathname === "/frame" ? framePage(url.searchParams.get("src")) : null;
    if (page === null) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(page);
  });
  await new Promise((resolve) => http.listen(0, "127.0.0.1", resolve));
  parent = { origin: `http://127.0.0.1:${http.address().port}`, close: () => new Promise((resolve) => http.close(resolve)) };
});
after(async () => {
  await parent?.close();
});

/** The heights the planner posted to the parent, in order. */
async function postedHeights(page, appOrigin) {
  const received = await page.evaluate(() => window.received);
  const mine = received.filter((m) => m.origin === appOrigin);
  for (const m of mine) {
    assert.deepEqual(Object.keys(m.data).sort(), ["height", "type"], "the message carries only its type and height");
    assert.equal(m.data.type, RESIZE);
    assert.ok(Number.isInteger(m.data.height) && m.data.height > 0, `height ${m.data.height}`);
  }
  return mine.map((m) => m.data.height);
}

/** Waits until the parent has fitted the frame: the last height the planner posted is its body's
 * height and the iframe's; returns it. */
async function fitted(page, appOrigin, ms = 15000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const posted = (await postedHeights(page, appOrigin)).at(-1);
    // Inside its border.
    const frameHeight = await page.locator("iframe").evaluate((f) => f.clientHeight);
    const bodyHeight = await page
      .frameLocator("iframe")
      .locator("body")
      .evaluate((b) => Math.ceil(b.getBoundingClientRect().height));
    if (posted !== undefined && posted === frameHeight && posted === bodyHeight) return posted;
    if (Date.now() > deadline) {
      assert.fail(`the frame is not fitted: posted ${posted}, iframe ${frameHeight}, planner ${bodyHeight}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Relative luminance (0 black .. 1 white) of a computed CSS rgb()/rgba() colour. */
function luminance(css) {
  const m = css.match(/^rgba?\((\d+), (\d+), (\d+)(?:, ([\d.]+))?\)$/);
  assert.ok(m, `an rgb colour: ${css}`);
  assert.notEqual(m[4], "0", `an opaque colour: ${css}`);
  const [r, g, b] = m.slice(1, 4).map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

async function theme(page) {
  return page.evaluate(() => ({
    theme: document.documentElement.dataset.theme,
    background: getComputedStyle(document.body).backgroundColor,
    text: getComputedStyle(document.body).color,
  }));
}

/** Lets a layout change be observed and any message it causes be delivered. */
function settle(page) {
  return page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 0)))));
}

test("in an iframe of another origin, the planner fits its frame and the frame grows with the plan", async () => {
  // 800 px: the frame is narrower than 900 px, so the planner is one column and the plan goes
  // below the values.
  const s = await openPage(browser, parent.origin + "/", { width: 800 });
  const { page } = s;
  const appOrigin = server.origin;
  assert.notEqual(new URL(page.url()).origin, appOrigin, "the parent is another origin");
  const frame = page.frameLocator("iframe");
  await appStarted(frame);

  assert.equal(await frame.locator("html").getAttribute("data-embed"), "1");
  assert.equal(await frame.locator(".masthead").count(), 1);
  assert.ok(await frame.locator(".masthead").isHidden(), "the masthead is hidden in the frame");
  assert.ok(await frame.locator(".footer").isHidden(), "the footer is hidden in the frame");

  // The frame is fitted to the empty planner's height: the last height posted is the planner's
  // (its body's) and the iframe's.
  const emptyHeight = await fitted(page, appOrigin);
  assert.ok(emptyHeight > 300, `posted height ${emptyHeight}`);
  await screenshot(page, "embed-iframe");

  // Pasting values shows the plan below them: the planner grows, posts its new height, and the
  // frame follows.
  const appFrame = page.frames().find((f) => f.url().startsWith(appOrigin));
  assert.ok(appFrame, "the app's frame");
  await paste(appFrame, FIXTURES[FIXTURE]);
  const gateway = await openTab(appFrame, "Values");
  await gateway.getByText(`host: ${HOST}`).first().waitFor();
  const planned = await fitted(page, appOrigin);
  assert.ok(planned > emptyHeight + 300, `the plan's height ${planned} > the empty planner's ${emptyHeight}`);
  // Nothing of the planner is cut off: the frame shows all of it without scrolling.
  const fit = await frame.locator("html").evaluate((html) => ({ scroll: html.scrollHeight, view: window.innerHeight }));
  assert.ok(fit.scroll <= fit.view, `the frame's content (${fit.scroll}px) fits its ${fit.view}px`);
  await screenshot(page, "embed-iframe-plan");
  await finish(s);
});

test("the example frames the planner with ?embed=1&parent=<its origin>", async () => {
  const s = await openPage(browser, parent.origin + "/");
  const frame = s.page.frameLocator("iframe");
  await appStarted(frame);
  const src = new URL(await s.page.locator("iframe").evaluate((f) => f.src));
  assert.equal(src.origin + src.pathname, server.origin + SUBPATH);
  assert.equal(src.searchParams.get("embed"), "1");
  assert.equal(src.searchParams.get("parent"), parent.origin);
  await finish(s);
});

/** Frames the planner at `query` in a bare page of the parent's origin, lets it plan (so its height
 * changes), and returns the resize messages the parent received from it. */
async function framedMessages(query) {
  const s = await openPage(browser, `${parent.origin}/frame?src=${encodeURIComponent(`${server.origin}${SUBPATH}${query}`)}`);
  const { page } = s;
  await appStarted(page.frameLocator("iframe"));
  const appFrame = page.frames().find((f) => f.url().startsWith(server.origin));
  await paste(appFrame, FIXTURES[FIXTURE]);
  await (await openTab(appFrame, "Values")).getByText(`host: ${HOST}`).first().waitFor();
  await settle(appFrame);
  await settle(page);
  return { s, heights: await postedHeights(page, server.origin) };
}

test("&parent=<the parent's origin> posts to it; without &parent= any parent gets the height", async () => {
  for (const query of [`?embed=1&parent=${encodeURIComponent(parent.origin)}`, `?embed=1&parent=${parent.origin}/`, "?embed=1"]) {
    const { s, heights } = await framedMessages(query);
    assert.ok(heights.length > 0, `${query}: the parent received the planner's height`);
    await finish(s);
  }
});

test("&parent= naming another origin, or no origin at all, sends the parent nothing", async () => {
  // Another origin: the browser delivers a message only to a window of the target origin (and
  // logs that it dropped one).
  const other = await framedMessages(`?embed=1&parent=${encodeURIComponent("https://docs.example.com")}`);
  assert.deepEqual(other.heights, [], "a page of another origin received the height");
  other.s.errors = other.s.errors.filter((e) => !/does not match the recipient window's origin/.test(e));
  await finish(other.s);
  // Not an origin: nothing is posted at all (a warning says why).
  for (const bad of ["https://docs.example.com/guide", "javascript:alert(1)", "*", "https://user@docs.example.com", "docs.example.com"]) {
    const { s, heights } = await framedMessages(`?embed=1&parent=${encodeURIComponent(bad)}`);
    assert.deepEqual(heights, [], `parent=${bad}`);
    await finish(s);
  }
});

test("?embed=1 at the top level hides the masthead and posts nothing", async () => {
  // 800 px, as in the iframe: one column, the plan below the values.
  const s = await openApp(browser, server.origin, { base: `${SUBPATH}?embed=1`, width: 800 });
  const { page } = s;
  // Any post the page makes to its "parent" (itself, at the top level) lands here, from the start
  // of the next load on.
  await page.addInitScript(() => {
    window.posted = [];
    window.addEventListener("message", (event) => window.posted.push(event.data));
  });
  await page.reload();
  await appStarted(page);
  const posted = () => page.evaluate(() => window.posted);
  assert.equal(await page.locator("html").getAttribute("data-embed"), "1");
  assert.ok(await page.locator(".masthead").isHidden(), "the masthead is hidden");
  assert.ok(await page.locator(".footer").isHidden(), "the footer is hidden");
  const emptyHeight = await page.evaluate(() => document.body.getBoundingClientRect().height);
  await paste(page, FIXTURES[FIXTURE]);
  await (await openTab(page, "Values")).getByText(`host: ${HOST}`).first().waitFor();
  await settle(page);
  assert.notEqual(await page.evaluate(() => document.body.getBoundingClientRect().height), emptyHeight, "the page changed height");
  assert.deepEqual(await posted(), []);
  await finish(s);

  // Without ?embed=1 the chrome is there.
  const plain = await openApp(browser, server.origin, { base: SUBPATH });
  assert.equal(await plain.page.locator("html").getAttribute("data-embed"), null);
  assert.ok(await plain.page.locator(".masthead").isVisible(), "the masthead shows");
  await finish(plain);
});

test("?theme=dark on a light system and ?theme=light on a dark system win; without it the system's scheme applies", async () => {
  const light = await openApp(browser, server.origin, { colorScheme: "light" });
  const systemLight = await theme(light.page);
  assert.equal(systemLight.theme, "light");
  assert.ok(luminance(systemLight.background) > 0.8, `light background ${systemLight.background}`);
  // The system switching to dark takes the page along.
  await light.page.emulateMedia({ colorScheme: "dark" });
  await light.page.waitForFunction(() => document.documentElement.dataset.theme === "dark");
  assert.ok(luminance((await theme(light.page)).background) < 0.05);
  await finish(light);

  const dark = await openApp(browser, server.origin, { colorScheme: "dark" });
  const systemDark = await theme(dark.page);
  assert.equal(systemDark.theme, "dark");
  assert.ok(luminance(systemDark.background) < 0.05, `dark background ${systemDark.background}`);
  await finish(dark);

  const forcedDark = await openApp(browser, server.origin, { base: "/?theme=dark", colorScheme: "light" });
  const fd = await theme(forcedDark.page);
  assert.equal(fd.theme, "dark");
  assert.equal(fd.background, systemDark.background, "?theme=dark looks like a dark system");
  assert.ok(luminance(fd.text) > luminance(fd.background), "light text on the dark background");
  await forcedDark.page.emulateMedia({ colorScheme: "dark" });
  await forcedDark.page.emulateMedia({ colorScheme: "light" });
  await settle(forcedDark.page);
  assert.equal((await theme(forcedDark.page)).theme, "dark", "a forced theme ignores the system");
  await finish(forcedDark);

  const forcedLight = await openApp(browser, server.origin, { base: `${SUBPATH}?theme=light`, colorScheme: "dark" });
  const fl = await theme(forcedLight.page);
  assert.equal(fl.theme, "light");
  assert.equal(fl.background, systemLight.background, "?theme=light looks like a light system");
  assert.ok(luminance(fl.text) < luminance(fl.background), "dark text on the light background");
  await finish(forcedLight);

  // Anything else is ignored.
  const other = await openApp(browser, server.origin, { base: "/?theme=purple", colorScheme: "dark" });
  assert.equal((await theme(other.page)).theme, "dark");
  await finish(other);
});
