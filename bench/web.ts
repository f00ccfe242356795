import { buildWebAssets } from '../bin/web-assets.js';
import { launchBrowser, phonePage } from '../test/e2e/web-harness.js';
import { createTestApp } from '../test/helpers/test-app.js';
import { quantile, report } from './report.js';

/**
 * The web app's weight and start-up on loopback: the main route's JavaScript and CSS, raw and
 * gzipped (target: under 200 kB gzipped), and time to interactive in Debian's Chromium on a phone
 * viewport: from navigation start until the app has rendered its first screen and answers input
 * (the sign-up link is on screen and the main thread is idle). RUNS cold loads, each in a fresh
 * browser context (no cache), then as many warm ones in one context.
 */
const RUNS = Number(process.env.BENCH_RUNS ?? 10);

const assets = await buildWebAssets();
let raw = 0;
let gzip = 0;
const files: Record<string, { bytes: number; gzip_bytes: number }> = {};
for (const [name, file] of assets.files) {
  raw += file.body.length;
  gzip += file.gzip.length;
  files[name] = { bytes: file.body.length, gzip_bytes: file.gzip.length };
}

const t = await createTestApp();
const url = await t.listen();
const browser = await launchBrowser();

async function timeToInteractive(page: Awaited<ReturnType<typeof phonePage>>): Promise<number> {
  await page.goto(`${url}/`, { waitUntil: 'commit' });
  await page.getByRole('link', { name: 'Daftar gratis' }).waitFor();
  // Interactive once a task queued now runs: nothing long holds the main thread any more.
  return page.evaluate(
    () => new Promise<number>((resolve) => setTimeout(() => resolve(performance.now()), 0)),
  );
}

const cold: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const page = await phonePage(browser);
  cold.push(await timeToInteractive(page));
  await page.context().close();
}
const warmPage = await phonePage(browser);
await timeToInteractive(warmPage);
const warm: number[] = [];
for (let i = 0; i < RUNS; i++) warm.push(await timeToInteractive(warmPage));

await browser.close();
await t.close();

const ms = (v: number) => Math.round(v * 10) / 10;
report('web', {
  main_route: {
    js_css_bytes: raw,
    js_css_gzip_bytes: gzip,
    js_css_gzip_kb: Math.round(gzip / 102.4) / 10,
    files,
  },
  target_gzip_kb: 200,
  time_to_interactive_ms: {
    runs: RUNS,
    cold_p50: ms(quantile(cold, 0.5)),
    cold_p95: ms(quantile(cold, 0.95)),
    warm_p50: ms(quantile(warm, 0.5)),
    warm_p95: ms(quantile(warm, 0.95)),
  },
  viewport: '390x844 (phone)',
});
process.exit(0);
