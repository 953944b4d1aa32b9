import { chromium } from "playwright-core";
import { readdirSync, readFileSync } from "node:fs";
const dir = "/work/main/tests/browser/output";
const states = [...new Set(readdirSync(dir).filter((f) => f.startsWith("state-")).map((f) => f.replace(/-(1280|720|400)-(light|dark)\.png$/, "").replace(/^state-/, "")))];
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
const page = await browser.newPage({ viewport: { width: 1500, height: 1200 } });
for (const st of states) {
  const img = (w, t) => `<img src="data:image/png;base64,${readFileSync(`${dir}/state-${st}-${w}-${t}.png`).toString("base64")}" style="height:540px;margin:2px;border:1px solid #888">`;
  const html = `<body style="margin:0;background:#777"><div>${img(1280, "light")}${img(720, "light")}${img(400, "light")}</div><div>${img(1280, "dark")}${img(720, "dark")}${img(400, "dark")}</div></body>`;
  await page.setContent(html);
  await page.waitForFunction(() => [...document.images].every((i) => i.complete));
  await page.screenshot({ path: `/tmp/sheets/${st}.png`, fullPage: true });
}
await browser.close();
console.log(states.join(" "));
