// Container HEALTHCHECK: exits 0 when the service's /healthz answers 2xx. The port comes from the
// environment variable named in argv[2] (e.g. GATEWAY_PORT), so an overridden port is followed.
const [, , portVariable, fallbackPort] = process.argv;
const port = process.env[portVariable] || fallbackPort;
try {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2500) });
  process.exit(res.ok ? 0 : 1);
} catch {
  process.exit(1);
}
