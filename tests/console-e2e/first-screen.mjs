// Measures the console's first screen: `node first-screen.mjs <sign-in link>` opens the
// link in the system's headless Chromium (a fresh profile, so nothing is cached) and
// prints how long after navigation started the first screen (the board, or a
// department's worklist) was on screen, and the bytes transferred for it.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';

const link = process.argv[2];
if (!link) {
  console.error('usage: node first-screen.mjs http://HOST/#token=...');
  process.exit(2);
}
const profile = mkdtempSync(join(tmpdir(), 'duban-chromium-'));
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  userDataDir: profile,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  await page.goto(link);
  await page.waitForSelector('#board table, .worklist article, .worklist p', { timeout: 30_000 });
  const figures = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const resources = performance.getEntriesByType('resource');
    return {
      renderedMs: Math.round(performance.now()),
      bytes: nav.transferSize + resources.reduce((n, r) => n + r.transferSize, 0),
      requests: 1 + resources.length,
    };
  });
  console.log(JSON.stringify(figures));
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
