#!/usr/bin/env node
// A real IMAP server for the email channel's tests and for local trials: Debian's Dovecot, installed when missing,
// run from a config and mail folder of its own in the temp folder, on its own loopback port. Idempotent: a second
// call (another test file, another process) finds it running and reuses it.
//
//   node scripts/dovecot.mjs [start|stop|status] [--port 10143]
//   import { ensureDovecot } from './scripts/dovecot.mjs'
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { aptInstall } from './apt-install.mjs';

const DOVECOT = '/usr/sbin/dovecot';
const LDA = '/usr/lib/dovecot/dovecot-lda';
export const DEFAULT_IMAP_PORT = 10143;

/** Installs Debian's dovecot-imapd when the binary is missing (CI and fresh machines run as root with apt). */
export async function installDovecot() {
  if (existsSync(DOVECOT) && existsSync(LDA)) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`${DOVECOT} is missing: install it with "sudo apt-get install -y dovecot-imapd" (this script installs it only as root)`);
  }
  await aptInstall(['dovecot-imapd'], () => existsSync(DOVECOT) && existsSync(LDA));
}

/**
 * Who runs what. Dovecot refuses to run its login and mail processes as root, so under root (CI) they run as the
 * users Debian's package made (dovenull, dovecot) and the mail belongs to dovecot; anyone else runs it all as
 * themselves.
 */
function identities() {
  const me = userInfo();
  if (me.uid !== 0) return { login: me.username, internal: me.username, group: groupName(me.gid), uid: me.uid, gid: me.gid };
  const [uid, gid] = ['-u', '-g'].map((flag) => Number(execFileSync('id', [flag, 'dovecot'], { encoding: 'utf8' }).trim()));
  return { login: 'dovenull', internal: 'dovecot', group: 'dovecot', uid, gid };
}

function configText(root, port) {
  const who = identities();
  return `# Written by scripts/dovecot.mjs: a throwaway Dovecot for Sapa's tests.
protocols = imap
listen = 127.0.0.1
base_dir = ${root}/run
state_dir = ${root}/state
log_path = ${root}/dovecot.log
info_log_path = ${root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = ${who.internal}
default_internal_group = ${who.group}
default_login_user = ${who.login}
first_valid_uid = ${who.uid}
last_valid_uid = 0
first_valid_gid = 0
mail_location = maildir:${root}/mail/%u/Maildir
mailbox_idle_check_interval = 1 secs
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${root}/users
}
userdb {
  driver = static
  args = uid=${who.uid} gid=${who.gid} home=${root}/mail/%u allow_all_users=yes
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
service stats {
  unix_listener stats-reader {
    mode = 0666
  }
  unix_listener stats-writer {
    mode = 0666
  }
}
protocol lda {
  postmaster_address = postmaster@sapa.test
}
`;
}

function groupName(gid) {
  const line = readFileSync('/etc/group', 'utf8')
    .split('\n')
    .find((l) => l.split(':')[2] === String(gid));
  return line ? line.split(':')[0] : String(gid);
}

function portAnswers(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.once('data', (d) => {
        socket.destroy();
        resolve(String(d).startsWith('* OK'));
      });
    });
    socket.setTimeout(2000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
    socket.once('close', () => resolve(false));
  });
}

/**
 * Dovecot for tests: installed when missing, started when not running, on `port` (default 10143) with its config,
 * users and mail under `<tmp>/sapa-dovecot-<port>`. Returns how to reach it and how to add a user or deliver a mail
 * the way a mail server does (dovecot-lda, so IDLE sessions hear of it as they would in production).
 */
export async function ensureDovecot(options = {}) {
  const port = options.port ?? Number(process.env.SAPA_TEST_IMAP_PORT ?? DEFAULT_IMAP_PORT);
  const root = options.root ?? join(tmpdir(), `sapa-dovecot-${port}`);
  await installDovecot();
  const config = join(root, 'dovecot.conf');
  for (const dir of ['run', 'state', 'mail']) mkdirSync(join(root, dir), { recursive: true });
  if (!existsSync(join(root, 'users'))) writeFileSync(join(root, 'users'), '');
  const text = configText(root, port);
  const changed = !existsSync(config) || readFileSync(config, 'utf8') !== text;
  if (changed) writeFileSync(config, text);
  const who = identities();
  execFileSync('chown', [`${who.uid}:${who.gid}`, join(root, 'mail')]);
  execFileSync('chmod', ['0755', root]);

  if (changed && (await portAnswers(port))) {
    // Running on an older config (this script changed): take the new one without dropping the port.
    spawnSync('/usr/bin/doveadm', ['-c', config, 'reload'], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 500));
  }
  if (!(await portAnswers(port))) {
    // A dead instance may have left its pid file; dovecot refuses to start over a live one and cleans a stale one.
    // The daemon keeps the descriptors it was given: a file, not a pipe this process would wait on for ever.
    const out = openSync(join(root, 'start.log'), 'w');
    const started = spawnSync(DOVECOT, ['-c', config], { stdio: ['ignore', out, out] });
    closeSync(out);
    const said = readFileSync(join(root, 'start.log'), 'utf8');
    if (started.status !== 0 && !/already running/i.test(said)) {
      throw new Error(`dovecot did not start (exit ${started.status}): ${said}\nsee ${join(root, 'dovecot.log')}`);
    }
    const until = Date.now() + 15_000;
    while (!(await portAnswers(port))) {
      if (Date.now() > until) throw new Error(`dovecot started but 127.0.0.1:${port} does not answer; see ${join(root, 'dovecot.log')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  return {
    host: '127.0.0.1',
    port,
    root,
    config,
    /** Adds a mailbox user (a passwd-file line; Dovecot rereads the file when it changes). */
    addUser(user, password) {
      const users = readFileSync(join(root, 'users'), 'utf8');
      if (!users.split('\n').some((l) => l.startsWith(`${user}:`))) appendFileSync(join(root, 'users'), `${user}:{PLAIN}${password}::::::\n`);
      // Dovecot rereads the file when it notices the change, which can take up to a second: wait until it knows the user.
      const until = Date.now() + 10_000;
      while (spawnSync('/usr/bin/doveadm', ['-c', config, 'auth', 'lookup', user], { stdio: 'ignore' }).status !== 0) {
        if (Date.now() > until) throw new Error(`dovecot does not know ${user} 10 s after it was added to ${join(root, 'users')}`);
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
      }
    },
    /** Delivers a raw RFC 5322 mail into `user`'s INBOX as the MTA would (dovecot-lda). */
    deliver(user, raw) {
      const result = spawnSync(LDA, ['-c', config, '-d', user, '-m', 'INBOX'], { input: raw });
      if (result.status !== 0) throw new Error(`dovecot-lda refused the mail for ${user} (exit ${result.status}): ${String(result.stderr)}`);
    },
    stop() {
      spawnSync('/usr/bin/doveadm', ['-c', config, 'stop']);
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const command = process.argv[2] ?? 'start';
  const portAt = process.argv.indexOf('--port');
  const port = portAt > 0 ? Number(process.argv[portAt + 1]) : undefined;
  const dovecot = await ensureDovecot(port ? { port } : {});
  if (command === 'stop') dovecot.stop();
  else console.log(`dovecot: imap://${dovecot.host}:${dovecot.port} (config ${dovecot.config})${command === 'status' ? ' running' : ''}`);
}
