import { Type } from '@sinclair/typebox';
import type { InboxFiles } from '../attachments/inbox-files.js';
import type { InboxApiDeps } from '../deps.js';

/** Options every route plugin receives. */
export interface RouteOptions {
  deps: InboxApiDeps;
  /** The current time, as the handling texts see it (InboxApiOptions.now). */
  now: () => Date;
  /** InboxApiOptions.slaMinuteMs, defaulted. */
  slaMinuteMs: number;
  /** InboxApiDeps.files, defaulted: where uploads are kept and how links to stored files are signed. */
  files: InboxFiles;
}

/** `{id}` of a path: a uuid, or the request is refused before any query runs. */
export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
