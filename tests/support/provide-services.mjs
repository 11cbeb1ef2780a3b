import { execFileSync } from 'node:child_process';
import { tcpAnswers } from '../../scripts/supervisor/probe.mjs';

const DEFAULT_PG = 'postgres://postgres@127.0.0.1:5432/postgres';
const DEFAULT_REDIS = 'redis://127.0.0.1:6379';

/**
 * @returns {Promise<{postgresUrl: string, redisUrl: string, containerIds: string[]}>}
 * Finds Postgres and Redis: the configured (or default) ones when they answer, else testcontainers if Docker runs. */
export async function provideServices() {
  let postgresUrl = process.env.DATABASE_URL ?? DEFAULT_PG;
  let redisUrl = process.env.REDIS_URL ?? DEFAULT_REDIS;
  const containerIds = [];
  const pgUp = await answers(postgresUrl, 5432);
  const redisUp = await answers(redisUrl, 6379);
  if ((!pgUp || !redisUp) && dockerRuns()) {
    const { GenericContainer } = await import('testcontainers');
    if (!pgUp) {
      const pg = await new GenericContainer('postgres:16-alpine')
        .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust' })
        .withExposedPorts(5432)
        .start();
      containerIds.push(pg.getId());
      postgresUrl = `postgres://postgres@${pg.getHost()}:${pg.getMappedPort(5432)}/postgres`;
      await waitFor(postgresUrl, 5432);
    }
    if (!redisUp) {
      const redis = await new GenericContainer('redis:7-alpine').withExposedPorts(6379).start();
      containerIds.push(redis.getId());
      redisUrl = `redis://${redis.getHost()}:${redis.getMappedPort(6379)}`;
    }
  } else if (!pgUp || !redisUp) {
    throw new Error(
      `tests need Postgres (${pgUp ? 'up' : 'down'} at ${postgresUrl}) and Redis (${redisUp ? 'up' : 'down'} at ${redisUrl}); ` +
        'start them, set DATABASE_URL / REDIS_URL, or run a Docker engine for testcontainers',
    );
  }
  return { postgresUrl, redisUrl, containerIds };
}

function answers(url, defaultPort, timeoutMs = 1500) {
  const { hostname, port } = new URL(url);
  return tcpAnswers(hostname.replace(/^\[|\]$/g, ''), Number(port || defaultPort), timeoutMs);
}

async function waitFor(url, port) {
  for (let i = 0; i < 60; i++) {
    if (await answers(url, port)) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}

function dockerRuns() {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}
