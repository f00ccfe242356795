import { Gauge, type Registry } from 'prom-client';
import type { Core } from '../core/core.js';
import { mrpToIdrNumber } from '../core/ledger/index.js';

/**
 * Money operators watch on /metrics: what settled jobs could not collect because the account ran
 * out (the real cost was above the hold and the free balance) or the API key's spend limit stopped
 * the charge. Read from the jobs table at scrape
 * time, so every process reports the same figure.
 */
export function registerMoneyMetrics(registry: Registry, core: Core): void {
  let last: Promise<{ jobs: number; totalMrp: bigint }> | undefined;
  // Both gauges are filled from one query per scrape.
  const report = () => {
    last ??= core.metered.uncollected({ limit: 1 }).finally(() => {
      last = undefined;
    });
    return last;
  };
  new Gauge({
    name: 'aiport_uncollected_idr',
    help: 'Rupiah of real upstream cost not collected at settle (the balance stopped at 0, or the key reached its spend limit)',
    registers: [registry],
    async collect() {
      this.set(mrpToIdrNumber((await report()).totalMrp));
    },
  });
  new Gauge({
    name: 'aiport_uncollected_jobs',
    help: 'Jobs that left part of their cost uncollected',
    registers: [registry],
    async collect() {
      this.set((await report()).jobs);
    },
  });
}
