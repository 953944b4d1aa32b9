// Where the planner is embedded or the screen is narrow (400 to 720 px): the intro comes before the
// input, the plan's counts right under the text area with a way to the plan, Share and This device
// folded, the tabs in one row that scrolls; and help for each implementation and TLS model.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useServerAndBrowser, openApp, finish, editor, screenshot } from "./helpers.js";

let server, browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

for (const width of [400, 720]) {
  test(`at ${width} px the plan's counts are right under the text area, and lead to the plan`, async () => {
    const s = await openApp(browser, server.origin, { base: "/?embed=1", width, height: 800 });
    const { page } = s;
    // The intro comes before the input.
    const intro = page.locator(".intro");
    assert.ok((await intro.boundingBox()).y < (await editor(page).boundingBox()).y);
    await page.getByRole("button", { name: "Load example" }).click();
    const jump = page.locator(".plan-jump");
    await jump.getByText(/^(no errors|\d+ errors?), (no warnings|\d+ warnings?), (no notes|\d+ notes?)$/).waitFor();
    const area = await editor(page).boundingBox();
    const counts = await jump.boundingBox();
    assert.ok(counts.y >= area.y + area.height && counts.y < area.y + area.height + 30, "right under the text area");
    assert.ok(counts.y + counts.height <= 800, "on the first screen");
    // The plan itself is far below.
    const tabs = page.getByRole("tablist");
    assert.ok((await tabs.boundingBox()).y > 800);
    await jump.getByRole("button", { name: "View plan" }).click();
    await page.waitForFunction(() => document.activeElement?.getAttribute("role") === "tab");
    const box = await tabs.boundingBox();
    assert.ok(box.y >= 0 && box.y < 800, `the tabs are in view at ${box.y}`);

    // Share and This device are folded, and open on request.
    for (const name of ["Share", "This device"]) {
      const fold = page.locator("details.fold").filter({ has: page.getByRole("heading", { name, exact: true }) });
      assert.equal(await fold.getAttribute("open"), null, `${name} is folded`);
    }
    assert.ok(await page.getByRole("button", { name: "Copy share link" }).isHidden());
    await page.locator("summary").filter({ hasText: "Share" }).click();
    assert.ok(await page.getByRole("button", { name: "Copy share link" }).isVisible());

    // The six tabs stay one row, which scrolls; the page itself is not wider than the screen.
    const tops = await page.getByRole("tab").evaluateAll((ts) => ts.map((t) => Math.round(t.getBoundingClientRect().top)));
    assert.equal(new Set(tops).size, 1, `tabs on ${new Set(tops).size} rows`);
    assert.equal(await tabs.evaluate((t) => getComputedStyle(t).overflowX), "auto");
    assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= width);
    await screenshot(page, `narrow-${width}`);
    await finish(s);
  });
}

test("on a wide screen Share and This device are open, and the summary under the text area is not needed", async () => {
  const s = await openApp(browser, server.origin);
  const { page } = s;
  await page.getByRole("button", { name: "Load example" }).click();
  assert.equal(await page.locator("details.fold[open]").count(), 2);
  assert.ok(await page.locator(".plan-jump").isHidden());
  await finish(s);
});

test("each implementation and TLS model says in one line what it is and when it fits", async () => {
  const s = await openApp(browser, server.origin);
  const { page } = s;
  await page.getByRole("button", { name: "Load example" }).click();
  const implementations = page.getByRole("radiogroup", { name: "Gateway implementation", exact: true });
  const helpOf = async (group) => page.locator(`#${await group.getAttribute("aria-describedby")}`).innerText();
  const seen = new Set();
  for (const radio of await implementations.getByRole("radio").all()) {
    await radio.check();
    const help = await helpOf(implementations);
    const name = await radio.evaluate((r) => r.labels[0].textContent);
    assert.ok(help.length > 40 && !seen.has(help), `${name}: ${help}`);
    seen.add(help);
  }
  const tls = page.getByRole("radiogroup", { name: "TLS", exact: true });
  for (const radio of await tls.getByRole("radio").all()) {
    await radio.check();
    const help = await helpOf(tls);
    assert.ok(help.length > 30 && !seen.has(help), help);
    seen.add(help);
  }
  await finish(s);
});
