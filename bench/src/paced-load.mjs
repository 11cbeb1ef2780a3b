import autocannon from 'autocannon';
import { sleep } from './stats.mjs';

/**
 * Sends `rate` requests per second for `seconds`, steadily. autocannon's `overallRate` releases each
 * connection's quota at the top of every second, so one instance at 1,000 req/s fires a burst of 1,000 and then
 * idles: latencies would measure the burst, not the rate. Running `lanes` instances started 1/lanes s apart, each
 * at rate/lanes, spreads the same rate evenly over the second.
 *
 * Each lane has a few connections so that it keeps its rate while some answers are slow.
 *
 * `source.next()` builds each request's body and headers right before autocannon writes it. Returns per-response
 * latency (ms) and status, in completion order.
 */
export async function runPacedLoad({ url, source, rate, seconds, lanes = 20, connectionsPerLane = 4 }) {
  const latencies = [];
  const statuses = new Map();
  const errors = [];
  const runs = [];
  const started = performance.now();
  for (let lane = 0; lane < lanes; lane++) {
    const instance = autocannon({
      url: `${url}${source.path}`,
      method: 'POST',
      connections: connectionsPerLane,
      overallRate: Math.round(rate / lanes),
      duration: seconds,
      // The latency of each request as it happened; autocannon's correction would invent samples.
      ignoreCoordinatedOmission: true,
      timeout: 10,
      requests: [{ method: 'POST', path: source.path, setupRequest: (req) => ({ ...req, ...source.next() }) }],
    });
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1);
    });
    instance.on('reqError', (err) => errors.push(err.code ?? err.message));
    runs.push(instance.then((result) => result));
    await sleep(1000 / lanes);
  }
  const results = await Promise.all(runs);
  const elapsed = (performance.now() - started) / 1000;
  return {
    latencies,
    statuses: Object.fromEntries(statuses),
    errors: errors.length,
    timeouts: results.reduce((s, r) => s + r.timeouts, 0),
    non2xx: results.reduce((s, r) => s + r.non2xx, 0) + errors.length,
    sent: source.sent,
    elapsed,
    // The last lane starts this long after the first: the run is `seconds` at full rate plus this ramp.
    rampSeconds: (lanes - 1) / lanes,
  };
}
