import { log } from './log.mjs';

const DEMO_PASSWORD = 'demo12345';

/**
 * What a person needs once everything runs: where the APIs are, the demo logins, and the demo api
 * channel with a signed request ready to paste. The signing secret is shown only on a terminal:
 * non-TTY output is a log, and secrets stay out of logs.
 */
export function printBanner({ inboxUrl, gatewayUrl, routerUrl, ticketsUrl, postgres, redis, seed }) {
  if (!log.tty) {
    log.info('sapa is running', {
      inboxUrl,
      docsUrl: `${inboxUrl}/docs`,
      gatewayUrl,
      postgres: postgres.source,
      redis: redis.source,
      demoTenantId: seed?.tenantId,
      demoApiChannelId: seed?.apiChannel.id,
      demoLiveChat: seed ? `${gatewayUrl}/livechat/demo?channel=${seed.livechatChannel.id}` : undefined,
    });
    return;
  }
  const b = (s) => `\x1b[1m${s}\x1b[0m`;
  const lines = [
    '',
    b('Sapa is running') + '  (Ctrl-C stops everything)',
    `  inbox API  ${inboxUrl}   OpenAPI docs: ${inboxUrl}/docs`,
    `  gateway    ${gatewayUrl}`,
    `  router     ${routerUrl}/healthz  (health and metrics only)`,
    `  tickets    ${ticketsUrl}/healthz  (health and metrics only)`,
    `  Postgres   ${postgres.display}  (${postgres.source})`,
    `  Redis      ${redis.url}  (${redis.source})`,
  ];
  if (seed) {
    const emails = Object.values(seed.users).map((u) => u.email);
    const { id, secret } = seed.apiChannel;
    lines.push(
      '',
      b(`Demo logins`) + ` (password ${DEMO_PASSWORD}):`,
      `  ${emails.join(', ')}`,
      '',
      b('Demo api channel') + `  id ${id}`,
      `  signing secret ${secret}`,
      '  send a customer message (bash + openssl):',
      '',
      `    SECRET='${secret}'`,
      `    BODY='{"messageId":"demo-'"$(date +%s)"'","from":{"id":"cust-1","name":"Andi"},"text":"Halo, saldo saya belum masuk"}'`,
      '    TS=$(date +%s)',
      `    SIG=$(printf '%s.%s' "$TS" "$BODY" | openssl dgst -sha256 -hmac "$SECRET" | awk '{print $NF}')`,
      `    curl -i ${gatewayUrl}/webhooks/api/${id} -H 'Content-Type: application/json' \\`,
      `      -H "X-Sapa-Timestamp: $TS" -H "X-Sapa-Signature: sha256=$SIG" --data "$BODY"`,
      '',
      '  the whole walk-through (log in, go online, reply, see the callback): README.md, "Walk-through"',
      '',
      b('Demo live chat') + `  ${gatewayUrl}/livechat/demo?channel=${seed.livechatChannel.id}  (open it in a browser; &lang=en for English)`,
      b('Demo voice channel') + `  id ${seed.voiceChannel.id}, signing secret ${seed.voiceChannel.secret}`,
      `  call events: POST ${gatewayUrl}/webhooks/voice/${seed.voiceChannel.id}, signed like the api channel (README.md, "Voice")`,
    );
  } else {
    lines.push('', 'demo seed skipped (SAPA_SEED_DEMO=false)');
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
}
