import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The Prometheus metrics of one service process (served at `/metrics`). */
export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  jobsTotal: Counter<'queue' | 'outcome'>;
  queueDepth: Gauge<'queue' | 'state'>;
  /** Registers a reader of job counts per queue; the gauge asks every reader when scraped. */
  watchQueues(read: () => Promise<Record<string, Record<string, number>>>): void;
}

export function createMetrics(service: string): Metrics {
  const registry = new Registry();
  const readers: Array<() => Promise<Record<string, Record<string, number>>>> = [];
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpDuration: new Histogram({
      name: 'sapa_http_request_duration_seconds',
      help: 'HTTP request latency by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    jobsTotal: new Counter({
      name: 'sapa_jobs_total',
      help: 'Queue jobs finished, by queue and outcome (completed, failed)',
      labelNames: ['queue', 'outcome'],
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: 'sapa_queue_jobs',
      help: 'Jobs in each queue by state, read when scraped',
      labelNames: ['queue', 'state'],
      registers: [registry],
      async collect() {
        for (const read of readers) {
          for (const [queue, counts] of Object.entries(await read())) {
            for (const [state, n] of Object.entries(counts)) this.set({ queue, state }, n);
          }
        }
      },
    }),
    watchQueues(read) {
      readers.push(read);
    },
  };
}
