// Calm while typing: a half-typed line is not a mistake yet. The plan follows valid text at once,
// but problems are reported only once typing pauses (or the field is left), politely (never as an
// alert), in a place kept for them, so nothing above the plan moves while a line is typed; the
// choices wait for a pause like the text, so a large file never holds up a click.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useServerAndBrowser, openApp, finish, editor, openTab, typeAtPace, watchTyping, screenshot, largeValues, setValuesAtOnce } from "./helpers.js";

let server, browser;
useServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

const plans = (page) => page.evaluate(() => Number(document.documentElement.dataset.plans ?? 0));

/** Puts the caret at the end of the example's line that ends with `ending`. */
async function caretAfter(page, ending) {
  await editor(page).evaluate((t, ending) => {
    const at = t.value.indexOf(ending) + ending.length;
    t.focus();
    t.setSelectionRange(at, at);
  }, ending);
}

for (const { width, base } of [
  { width: 1280, base: "/" },
  // Embedded in a docs page's narrow column: the plan is below the text area.
  { width: 400, base: "/?embed=1" },
]) {
  test(`typing an annotation line at ${width} px: no alert, the tab row stays put, the problem comes after the pause`, async () => {
    const s = await openApp(browser, server.origin, { base, width, height: 900 });
    const { page } = s;
    await page.getByRole("button", { name: "Load example" }).click();
    await page.getByRole("tab", { name: "Values", exact: true }).waitFor();
    await page.getByText("plan for Envoy Gateway").waitFor();

    await caretAfter(page, 'proxy-read-timeout: "300"');
    await page.keyboard.press("Enter");
    const stop = await watchTyping(page);
    // Half a line: no key of an annotation is complete, so every keystroke leaves invalid YAML.
    await typeAtPace(page, "      nginx.ingress.kubernetes.io/proxy-connect");
    let watched = await stop();
    assert.deepEqual(watched.alerts, [], "an alert appeared while typing");
    assert.equal(watched.tabRow.length, 1, `the tab row moved while typing: ${watched.tabRow.join(", ")} px`);
    assert.equal(await page.locator("#values-error").count(), 0, "a problem was reported before typing paused");

    // The pause: the problem is reported, in a polite live region, and the plan shown is the
    // last good one, said by the status above the plan (not by greying it).
    const problem = page.locator("#values-error");
    await problem.waitFor();
    assert.match(await problem.innerText(), /^Line 1[45], column \d+: /);
    assert.equal(await problem.evaluate((e) => e.closest("[aria-live]")?.getAttribute("aria-live")), "polite");
    assert.equal(await page.locator('[role="alert"]').count(), 0);
    assert.match(await editor(page).getAttribute("aria-describedby"), /\bvalues-error\b/);
    const status = page.locator(".plan-status");
    assert.match(await status.innerText(), /Showing the last plan that could be made/);
    assert.equal(await status.evaluate((e) => getComputedStyle(e).position), "sticky");
    assert.equal(await page.getByRole("tabpanel").evaluate((e) => getComputedStyle(e.parentElement).opacity), "1");
    assert.ok(await page.getByRole("button", { name: "Download all" }).isDisabled(), "a stale plan is not offered");
    await screenshot(page, `typing-paused-${width}`);

    // The rest of the line, through valid and invalid text again: the plan follows the valid
    // states, and the reported problem stays as it is until the next pause.
    const plansBefore = await plans(page);
    const stopAgain = await watchTyping(page);
    await typeAtPace(page, '-timeout: "30"');
    watched = await stopAgain();
    assert.deepEqual(watched.alerts, []);
    assert.equal(watched.tabRow.length, 1, `the tab row moved while typing: ${watched.tabRow.join(", ")} px`);
    assert.ok((await plans(page)) > plansBefore, "the plan followed the valid states while typing");
    await problem.waitFor({ state: "detached" });
    await page.getByText("plan for Envoy Gateway").waitFor();
    assert.equal(await editor(page).getAttribute("aria-invalid"), "false");
    assert.ok(await page.getByRole("button", { name: "Download all" }).isEnabled());
    assert.match(await (await openTab(page, "Values")).innerText(), /proxy-connect-timeout: "30"/);
    // Screen readers hear what changed.
    assert.match(await page.locator("#plan-announcement").innerText(), /^Plan updated for Envoy Gateway: \d+ findings, no errors$/);
    await finish(s);
  });
}

test("leaving the text area reports a problem at once", async () => {
  const s = await openApp(browser, server.origin);
  const { page } = s;
  await page.getByRole("button", { name: "Load example" }).click();
  await page.getByText("plan for Envoy Gateway").waitFor();
  await caretAfter(page, 'proxy-read-timeout: "300"');
  await page.keyboard.press("Enter");
  await typeAtPace(page, "      nginx");
  await page.getByRole("textbox", { name: "Release name", exact: true }).focus();
  // Well before the pause would report it.
  await page.locator("#values-error").waitFor({ timeout: 300 });
  await finish(s);
});

test("a side field waits for the pause too: its problem is said under it, politely, and describes it", async () => {
  const s = await openApp(browser, server.origin);
  const { page } = s;
  await page.getByRole("button", { name: "Load example" }).click();
  await page.getByText("plan for Envoy Gateway").waitFor();
  const field = page.getByRole("textbox", { name: "Release name", exact: true });
  // Derived values are said under their empty fields.
  const note = page.locator("#release-name-note");
  assert.equal(await note.innerText(), "Derived: zenml-server");
  await field.focus();
  const stop = await watchTyping(page);
  // Upper case: refused from the first key on.
  await typeAtPace(page, "Mlops_Release");
  const watched = await stop();
  assert.deepEqual(watched.alerts, []);
  assert.equal(watched.tabRow.length, 1, `the tab row moved while typing: ${watched.tabRow.join(", ")} px`);
  assert.equal(await field.getAttribute("aria-invalid"), "false", "refused before the pause");
  await page.waitForFunction(() => document.querySelector("#release-name")?.getAttribute("aria-invalid") === "true");
  assert.equal(await field.getAttribute("aria-describedby"), "release-name-note");
  assert.ok((await note.innerText()).length > 10, "the note says why");
  assert.equal(await note.getAttribute("aria-live"), "polite");
  assert.equal(await page.locator('[role="alert"]').count(), 0);
  await screenshot(page, "choice-error-1280");
  await field.fill("mlops");
  await page.waitForFunction(() => document.querySelector("#release-name")?.getAttribute("aria-invalid") === "false");
  await finish(s);
});

test("with a large file planned, a click on a choice answers at once and waits for Update plan", async () => {
  const s = await openApp(browser, server.origin);
  const { page } = s;
  await setValuesAtOnce(page, largeValues());
  await page.getByRole("button", { name: "Update plan" }).click();
  const gateway = await openTab(page, "Gateway");
  await gateway.getByText("gatewayClassName: eg").waitFor({ timeout: 60_000 });
  const before = await plans(page);

  // The click's own frame comes at once: no plan is made in it.
  const istio = page.getByRole("radio", { name: "Istio", exact: true });
  const took = await istio.evaluate(
    (radio) =>
      new Promise((resolve) => {
        const start = performance.now();
        radio.click();
        requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - start), 0));
      }),
  );
  assert.ok(await istio.isChecked());
  assert.ok(took < 500, `the click took ${took} ms to paint`);
  await page.getByRole("status").filter({ hasText: "This file is large" }).waitFor();
  await page.waitForTimeout(500);
  assert.equal(await plans(page), before, "no plan made for the click");
  await page.getByRole("button", { name: "Update plan" }).click();
  await gateway.getByText("gatewayClassName: istio").waitFor({ timeout: 60_000 });
  await finish(s);
});
