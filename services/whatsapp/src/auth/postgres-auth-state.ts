import { BufferJSON, initAuthCreds, proto, type AuthenticationCreds, type AuthenticationState, type SignalDataSet, type SignalDataTypeMap } from '@whiskeysockets/baileys';
import type { SecretBox } from '@sapa/db';
import type { Db } from '@sapa/db/queries/db-handle';
import { readWhatsappCreds, readWhatsappKeys, saveWhatsappCreds, writeWhatsappKeys, type KeyWrite } from '@sapa/db/queries/whatsapp-sessions';
import { FencedOut } from './fenced-out.js';

export interface AuthStateDeps {
  db: Db;
  secretBox: SecretBox;
}

/** Which number, and the lease token every write carries. */
export interface SessionRef {
  tenantId: string;
  channelId: string;
  fence: number;
}

export interface PostgresAuthState {
  state: AuthenticationState;
  /** Persists `state.creds` as they are now (Baileys mutates them in place before `creds.update`). */
  saveCreds(): Promise<void>;
}

/**
 * Baileys' AuthenticationState over Postgres, the database counterpart of its useMultiFileAuthState: the same
 * BufferJSON serialisation (Buffers survive as base64), each value sealed with SAPA_SECRET_KEY, and every write
 * fenced by the lease token, so a replica that lost the number cannot overwrite the keys of the one that has it
 * (it gets FencedOut instead). Nothing touches local files.
 */
export async function loadPostgresAuthState(deps: AuthStateDeps, ref: SessionRef): Promise<PostgresAuthState> {
  const sealed = await readWhatsappCreds(deps.db, ref.tenantId, ref.channelId);
  const creds: AuthenticationCreds = sealed ? openValue(deps.secretBox, sealed) : initAuthCreds();

  const state: AuthenticationState = {
    creds,
    keys: {
      async get<T extends keyof SignalDataTypeMap>(type: T, ids: string[]) {
        const rows = await readWhatsappKeys(deps.db, ref.tenantId, ref.channelId, type, ids);
        const found: { [id: string]: SignalDataTypeMap[T] } = {};
        for (const row of rows) {
          let value = openValue<SignalDataTypeMap[T]>(deps.secretBox, row.value_enc);
          // As useMultiFileAuthState does: app state keys must be proto objects again, not plain JSON.
          if (type === 'app-state-sync-key' && value) {
            value = proto.Message.AppStateSyncKeyData.fromObject(value as { [k: string]: unknown }) as unknown as SignalDataTypeMap[T];
          }
          found[row.key_id] = value;
        }
        return found;
      },
      async set(data: SignalDataSet) {
        const writes: KeyWrite[] = [];
        for (const [type, values] of Object.entries(data)) {
          for (const [keyId, value] of Object.entries(values ?? {})) {
            writes.push({ type, keyId, valueEnc: value ? sealValue(deps.secretBox, value) : null });
          }
        }
        if (writes.length === 0) return;
        if (!(await writeWhatsappKeys(deps.db, ref.tenantId, ref.channelId, ref.fence, writes))) throw new FencedOut(ref.channelId, ref.fence);
      },
    },
  };

  return {
    state,
    async saveCreds() {
      if (!(await saveWhatsappCreds(deps.db, ref.tenantId, ref.channelId, ref.fence, sealValue(deps.secretBox, creds)))) {
        throw new FencedOut(ref.channelId, ref.fence);
      }
    },
  };
}

/** BufferJSON text, sealed: the box's JSON then carries one string, and Buffers come back as Buffers. */
function sealValue(box: SecretBox, value: unknown): string {
  return box.seal(JSON.stringify(value, BufferJSON.replacer));
}

function openValue<T>(box: SecretBox, sealed: string): T {
  return JSON.parse(box.open<string>(sealed), BufferJSON.reviver) as T;
}
