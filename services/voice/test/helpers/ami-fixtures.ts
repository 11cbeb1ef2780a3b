import { readFileSync } from 'node:fs';

/**
 * A recorded AMI session (test/fixtures/*.ami): what Asterisk sent on one connection, greeting first. Lines starting
 * with `#` are notes for the reader, not part of the wire; lines are joined with CRLF as AMI sends them.
 */
export function amiFixture(name: string): { greeting: string; body: string } {
  const text = readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
  const lines = text.split('\n').filter((line) => !line.startsWith('#'));
  const [greeting, ...rest] = lines;
  return { greeting: `${greeting}\r\n`, body: rest.join('\r\n') };
}

/** The whole session as the wire carries it. */
export function amiWire(name: string): string {
  const { greeting, body } = amiFixture(name);
  return greeting + body;
}
