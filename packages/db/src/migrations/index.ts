import type { Migration } from 'kysely/migration';
import * as m0001 from './0001_foundation.js';
import * as m0002 from './0002_router_functions.js';
import * as m0003 from './0003_handling.js';
import * as m0004 from './0004_playbooks.js';
import * as m0005 from './0005_tickets.js';
import * as m0006 from './0006_qc_scores.js';
import * as m0007 from './0007_sla.js';
import * as m0008 from './0008_routing_v2.js';
import * as m0009 from './0009_attachments.js';
import * as m0010 from './0010_whatsapp.js';
import * as m0011 from './0011_email.js';
import * as m0012 from './0012_livechat.js';
import * as m0013 from './0013_voice.js';
import * as m0014 from './0014_quarantine.js';
import * as m0015 from './0015_delivery_parts.js';
import * as m0016 from './0016_message_replies.js';
import * as m0017 from './0017_outbound_calls.js';
import * as m0018 from './0018_inbound_order.js';

/**
 * Every migration, in order. Listed here rather than read from a folder so the same list runs from
 * source (tests) and from `dist` (production), with no file system scan.
 */
export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_router_functions': m0002,
  '0003_handling': m0003,
  '0004_playbooks': m0004,
  '0005_tickets': m0005,
  '0006_qc_scores': m0006,
  '0007_sla': m0007,
  '0008_routing_v2': m0008,
  '0009_attachments': m0009,
  '0010_whatsapp': m0010,
  '0011_email': m0011,
  '0012_livechat': m0012,
  '0013_voice': m0013,
  '0014_quarantine': m0014,
  '0015_delivery_parts': m0015,
  '0016_message_replies': m0016,
  '0017_outbound_calls': m0017,
  '0018_inbound_order': m0018,
};
