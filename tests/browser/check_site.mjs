// Loads every page of a built trust center from file:// in headless Chromium: fails on any console error or
// page error, on any request outside the site folder, and on serious or critical axe-core violations; saves a
// screenshot of the front page. Usage: node check_site.mjs SITE_DIR SCREENSHOT.png [CHROMIUM]
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import puppeteer from "puppeteer-core";

const require = createRequire(import.meta.url);
const [siteArg, screenshot, executablePath = "/usr/bin/chromium"] = process.argv.slice(2);
const site = path.resolve(siteArg);
const siteUrl = pathToFileURL(site + path.sep).href;
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const pages = readdirSync(site).filter((name) => name.endsWith(".html")).sort();
const problems = [];

const browser = await puppeteer.launch({
  executablePath,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions"],
});
try {
  for (const name of pages) {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    await page.setRequestInterception(true);
    page.on("request", (request) => {
      const url = request.url();
      if (url.startsWith(siteUrl) || url.startsWith("data:")) {
        request.continue();
      } else {
        problems.push(`${name}: request outside the site: ${url}`);
        request.abort();
      }
    });
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`${name}: console error: ${message.text()}`);
    });
    page.on("pageerror", (error) => problems.push(`${name}: page error: ${error.message}`));
    page.on("requestfailed", (request) => {
      if (request.url().startsWith(siteUrl)) problems.push(`${name}: failed to load ${request.url()}`);
    });
    const response = await page.goto(pathToFileURL(path.join(site, name)).href, { waitUntil: "load" });
    if (!response || !response.ok()) problems.push(`${name}: did not load`);
    // axe would fetch the stylesheets again with XMLHttpRequest, which file:// refuses; it does not need them.
    await page.evaluate(axeSource);
    const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"], preload: false }));
    for (const violation of results.violations) {
      if (violation.impact === "serious" || violation.impact === "critical") {
        const where = violation.nodes.slice(0, 3).map((node) => node.target.join(" ")).join(", ");
        problems.push(`${name}: axe ${violation.impact}: ${violation.id}: ${violation.help} (${where})`);
      }
    }
    if (name === "index.html") await page.screenshot({ path: screenshot, fullPage: true });
    await page.close();
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify({ pages, problems }, null, 2));
process.exit(problems.length ? 1 : 0);
