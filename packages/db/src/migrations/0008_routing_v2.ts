import { sql, type Kysely } from 'kysely';

/**
 * Routing v2 (issue 6): what an agent can do (skills with levels, languages), how a team hands out work (its
 * strategy), what a conversation needs (skills, language, set by the tenant's routing rules), and where it stands in
 * the first-response chain. The assignment itself stays in Postgres (services/router/README.md §Why assignment is
 * correct with several routers).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('agents')
    // {"billing": 3, "fraud": 5}: skill key → level 1..5, a map so one indexable lookup answers "level of X".
    .addColumn('skills', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    // Languages the agent serves (`id`, `en`, …); empty: any.
    .addColumn('languages', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    // The last sign of life of the agent's inbox socket; an online agent idle longer than the tenant allows turns away.
    .addColumn('last_seen_at', 'timestamptz')
    .execute();

  await db.schema
    .alterTable('teams')
    .addColumn('strategy', 'text', (c) =>
      c.notNull().defaultTo('least_busy').check(sql`strategy IN ('least_busy', 'round_robin', 'skills_weighted')`),
    )
    // An integrator's allocator webhook: {url, timeoutMs, secretEnc}; null: the strategy alone decides.
    .addColumn('allocator', 'jsonb')
    .execute();

  await db.schema
    .alterTable('conversations')
    // {"fraud": 3}: skill key → the least level an agent needs; set by the routing rule that matched.
    .addColumn('required_skills', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('language', 'text')
    // The routing rule that chose the queue, skills and priority (null: the channel's team, no rule).
    .addColumn('routing_rule', 'text')
    // The first-response chain (routing.firstResponseChain): how many times it was taken back from an agent who did
    // not answer, and the step it has reached.
    .addColumn('reassign_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('response_step', 'integer', (c) => c.notNull().defaultTo(0))
    // Agents it was taken back from for not answering: the drain offers it to someone else.
    .addColumn('passed_over', sql`uuid[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    // What the waiting customer was told once, by template: `out_of_hours`, or `queue_position`.
    .addColumn('waiting_notice', 'text')
    .execute();

  // The tenant's routing rules, first match wins (PUT /v1/routing/rules replaces the list).
  await db.schema
    .createTable('routing_rules')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('rule', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('routing_rules_position', ['tenant_id', 'position'])
    .addUniqueConstraint('routing_rules_key', ['tenant_id', 'key'])
    .execute();

  // History rows are ordered by when they were written, not by when their transaction began: a drain that waited
  // on the team lock must not appear before the transfer that committed first.
  await sql`ALTER TABLE assignments ALTER COLUMN created_at SET DEFAULT clock_timestamp()`.execute(db);

  // sapa_open_inbound of migration 0002 wrote a message into nothing when the open conversation it met was being
  // closed at that instant (found by test/routing-properties.test.ts); this one tries the insert again.
  await sql`
CREATE OR REPLACE FUNCTION sapa_open_inbound(
  p_tenant uuid, p_channel uuid, p_kind text, p_from text, p_name text, p_phone text, p_email text,
  p_external text, p_text text, p_attachments jsonb, p_sent_at timestamptz)
RETURNS TABLE (o_conversation jsonb, o_contact_id uuid, o_contact_name text, o_created boolean,
               o_message_id uuid, o_message_created_at timestamptz)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_team uuid;
  v_conversation conversations;
BEGIN
  SELECT coalesce(ch.team_id, (SELECT t.id FROM teams t WHERE t.tenant_id = p_tenant AND t.is_default)) INTO v_team
    FROM channels ch WHERE ch.tenant_id = p_tenant AND ch.id = p_channel;
  IF NOT FOUND THEN
    RETURN; -- the channel was deleted after the gateway took the message
  END IF;

  -- The contact behind this channel identity; two routers racing on a new one meet on the unique identity.
  SELECT k.id, k.name INTO o_contact_id, o_contact_name
    FROM contact_identities i JOIN contacts k ON k.id = i.contact_id
   WHERE i.tenant_id = p_tenant AND i.channel_id = p_channel AND i.external_id = p_from;
  IF NOT FOUND THEN
    INSERT INTO contacts (tenant_id, name, phone, email) VALUES (p_tenant, p_name, p_phone, p_email)
    RETURNING id, name INTO o_contact_id, o_contact_name;
    INSERT INTO contact_identities (tenant_id, contact_id, channel_id, external_id)
    VALUES (p_tenant, o_contact_id, p_channel, p_from)
    ON CONFLICT (channel_id, external_id) DO NOTHING;
    IF NOT FOUND THEN
      DELETE FROM contacts WHERE id = o_contact_id;
      SELECT k.id, k.name INTO o_contact_id, o_contact_name
        FROM contact_identities i JOIN contacts k ON k.id = i.contact_id
       WHERE i.channel_id = p_channel AND i.external_id = p_from;
    END IF;
  ELSIF (p_name IS NOT NULL OR p_phone IS NOT NULL OR p_email IS NOT NULL) THEN
    -- A channel may tell a name or phone later than the first message; what is already known is kept.
    UPDATE contacts SET name = coalesce(name, p_name), phone = coalesce(phone, p_phone), email = coalesce(email, p_email),
                        updated_at = now()
     WHERE id = o_contact_id AND (name IS NULL AND p_name IS NOT NULL OR phone IS NULL AND p_phone IS NOT NULL
                                  OR email IS NULL AND p_email IS NOT NULL)
    RETURNING name INTO o_contact_name;
  END IF;

  -- At most one open conversation per contact and channel (index conversations_one_open).
  -- The open conversation we collide with may be closing (a close holds its row): once the lock is ours it is
  -- closed and the insert can go ahead, so try again rather than write into nothing.
  LOOP
    INSERT INTO conversations (tenant_id, channel_id, contact_id, team_id, kind)
    VALUES (p_tenant, p_channel, o_contact_id, v_team, p_kind)
    ON CONFLICT (channel_id, contact_id) WHERE status <> 'closed' DO NOTHING
    RETURNING * INTO v_conversation;
    o_created := FOUND;
    EXIT WHEN o_created;
    SELECT * INTO v_conversation FROM conversations
     WHERE channel_id = p_channel AND contact_id = o_contact_id AND status <> 'closed' FOR UPDATE;
    EXIT WHEN FOUND;
  END LOOP;

  INSERT INTO messages (tenant_id, conversation_id, channel_id, direction, author_type, text, attachments, status, external_id, sent_at)
  VALUES (p_tenant, v_conversation.id, p_channel, 'in', 'contact', p_text, p_attachments, 'received', p_external, p_sent_at)
  ON CONFLICT (channel_id, external_id) DO NOTHING
  RETURNING id, created_at INTO o_message_id, o_message_created_at;
  IF NOT FOUND THEN
    -- Delivered before: undo everything this call did (the statement's transaction rolls back).
    RAISE EXCEPTION 'message % of channel % is stored already', p_external, p_channel USING ERRCODE = 'SP001';
  END IF;
  UPDATE conversations c SET last_message_at = o_message_created_at WHERE c.id = v_conversation.id
  RETURNING to_jsonb(c) INTO o_conversation;
  RETURN NEXT;
END
$fn$`.execute(db);

  // The drain of migration 0002, now with what a conversation needs and how the team hands out work. Same locks,
  // same order (team → conversation → agent), same guard against overbooking; the choice is `pickAgent` of
  // @sapa/routing (services/router/test/pick-agent-in-sql.test.ts checks the two agree). Tenant settings are read
  // here, with the defaults of DEFAULT_HANDLING_SETTINGS, so a change applies at the next drain.
  // The drain reads few rows per decision with 10,000 agents and 100,000 waiting (bench/RESULTS.md §Routing): the
  // sticky lookup by contact, and the agent pick walking an index in the strategy's order instead of sorting the team.
  await sql`CREATE INDEX conversations_contact_idx ON conversations (tenant_id, contact_id)`.execute(db);
  for (const kind of ['chat', 'email', 'voice']) {
    await sql.raw(`CREATE INDEX agents_pick_${kind}_idx ON agents (tenant_id, active_${kind}, last_assigned_at NULLS FIRST, user_id) WHERE presence = 'online'`).execute(db);
  }
  await sql`CREATE INDEX agents_pick_rr_idx ON agents (tenant_id, last_assigned_at NULLS FIRST, user_id) WHERE presence = 'online'`.execute(db);

  // `p_prefer_*`: an external allocator's answer for the head conversation, taken when that agent is suitable.
  await sql`DROP FUNCTION sapa_drain_team(uuid, uuid, integer)`.execute(db);
  await sql`
CREATE FUNCTION sapa_drain_team(p_tenant uuid, p_team uuid, p_max integer, p_prefer_conv uuid DEFAULT NULL, p_prefer_agent uuid DEFAULT NULL)
RETURNS SETOF conversations
LANGUAGE plpgsql AS $fn$
DECLARE
  conv conversations;
  chosen uuid;
  sticky uuid;
  v_strategy text;
  v_voice_blocks boolean;
  v_sticky_hours integer;
  v_room boolean;
  full_kinds text[] := '{}';
  -- Needs (kind, skills, language) no free agent meets: every conversation with the same needs is passed by too.
  unmet_needs text[] := '{}';
  -- Conversations no free agent may take because each was passed over for them.
  unmet_ids uuid[] := '{}';
  assigned integer := 0;
  rounds integer := 0;
BEGIN
  -- One drain of a tenant at a time (the lock of migration 0002 was per team): a drain keeps the row lock of every
  -- agent it gave a conversation until it commits, so two drains of teams sharing agents could each hold one agent
  -- and want the other's. transferToAgent takes the same lock (takeDrainLock) for the same reason.
  PERFORM pg_advisory_xact_lock(hashtextextended('sapa.drain/' || p_tenant::text, 0));
  SELECT t.strategy INTO v_strategy FROM teams t WHERE t.id = p_team AND t.tenant_id = p_tenant;
  SELECT coalesce((s.settings #>> '{routing,voiceBlocksChat}')::boolean, false),
         coalesce((s.settings #>> '{routing,stickyHours}')::integer, 24)
    INTO v_voice_blocks, v_sticky_hours
    FROM tenants s WHERE s.id = p_tenant;

  -- Every round assigns one conversation or sets at least one aside, so the bound only guards against a bug.
  WHILE assigned < p_max AND rounds < p_max * 4 + 1000 LOOP
    rounds := rounds + 1;
    -- Highest priority, then oldest first, among what someone free might take.
    SELECT * INTO conv FROM conversations c
     WHERE c.tenant_id = p_tenant AND c.team_id = p_team AND c.status = 'queued'
       AND NOT (c.kind = ANY (full_kinds)) AND NOT (c.id = ANY (unmet_ids))
       AND NOT ((c.kind || '|' || c.required_skills::text || '|' || coalesce(c.language, '')) = ANY (unmet_needs))
     ORDER BY c.priority DESC, c.queued_at, c.id
     LIMIT 1
     FOR UPDATE;
    IF NOT FOUND THEN
      EXIT WHEN NOT EXISTS (
        SELECT 1 FROM conversations c
         WHERE c.tenant_id = p_tenant AND c.team_id = p_team AND c.status = 'queued'
           AND NOT (c.kind = ANY (full_kinds)) AND NOT (c.id = ANY (unmet_ids))
           AND NOT ((c.kind || '|' || c.required_skills::text || '|' || coalesce(c.language, '')) = ANY (unmet_needs)));
      CONTINUE;
    END IF;

    -- Sticky: the agent who last served this contact within the tenant's hours, preferred when suitable.
    sticky := NULL;
    IF v_sticky_hours > 0 THEN
      SELECT p.assignee_id INTO sticky FROM conversations p
       WHERE p.tenant_id = p_tenant AND p.contact_id = conv.contact_id AND p.id <> conv.id AND p.assignee_id IS NOT NULL
         AND coalesce(p.closed_at, p.last_message_at, p.created_at) > now() - make_interval(hours => v_sticky_hours)
       ORDER BY coalesce(p.closed_at, p.last_message_at, p.created_at) DESC
       LIMIT 1;
    END IF;

    LOOP
      -- The allocator's agent, else the sticky one, when suitable: a lookup by key.
      SELECT a.user_id INTO chosen FROM agents a
       WHERE a.user_id = ANY (ARRAY[CASE WHEN conv.id = p_prefer_conv THEN p_prefer_agent END, sticky])
         AND a.tenant_id = p_tenant AND a.presence = 'online'
           AND CASE conv.kind WHEN 'chat' THEN a.active_chat < a.capacity_chat
                              WHEN 'email' THEN a.active_email < a.capacity_email
                              ELSE a.active_voice < a.capacity_voice END
           AND NOT (v_voice_blocks AND conv.kind = 'chat' AND a.active_voice > 0)
           AND NOT (a.user_id = ANY (conv.passed_over))
           AND (conv.language IS NULL OR cardinality(a.languages) = 0 OR conv.language = ANY (a.languages))
           AND NOT EXISTS (SELECT 1 FROM jsonb_each_text(conv.required_skills) r
                            WHERE coalesce((a.skills ->> r.key)::integer, 0) < r.value::integer)
           AND EXISTS (SELECT 1 FROM team_members m WHERE m.team_id = p_team AND m.user_id = a.user_id)
       ORDER BY (conv.id IS NOT DISTINCT FROM p_prefer_conv AND a.user_id IS NOT DISTINCT FROM p_prefer_agent) DESC
       LIMIT 1;
      -- Else the team's order: one statement per order, each walking its index (agents_pick_*_idx) from the front,
      -- so it reads the few agents it passes over instead of sorting every member of the team. The conditions are
      -- written out in each: the planner must see them to choose the index walk (an SQL function holding them was
      -- not inlined, and the planner then sorted the whole team: bench/RESULTS.md §Routing).
      IF chosen IS NOT NULL THEN
        NULL;
      ELSIF v_strategy = 'skills_weighted' AND conv.required_skills <> '{}'::jsonb THEN
        SELECT a.user_id INTO chosen FROM agents a
         WHERE a.tenant_id = p_tenant AND a.presence = 'online'
           AND CASE conv.kind WHEN 'chat' THEN a.active_chat < a.capacity_chat
                              WHEN 'email' THEN a.active_email < a.capacity_email
                              ELSE a.active_voice < a.capacity_voice END
           AND NOT (v_voice_blocks AND conv.kind = 'chat' AND a.active_voice > 0)
           AND NOT (a.user_id = ANY (conv.passed_over))
           AND (conv.language IS NULL OR cardinality(a.languages) = 0 OR conv.language = ANY (a.languages))
           AND NOT EXISTS (SELECT 1 FROM jsonb_each_text(conv.required_skills) r
                            WHERE coalesce((a.skills ->> r.key)::integer, 0) < r.value::integer)
           AND EXISTS (SELECT 1 FROM team_members m WHERE m.team_id = p_team AND m.user_id = a.user_id)
         ORDER BY (SELECT coalesce(sum(coalesce((a.skills ->> r.key)::integer, 0)), 0) FROM jsonb_object_keys(conv.required_skills) AS r(key)) DESC,
                  CASE conv.kind WHEN 'chat' THEN a.active_chat WHEN 'email' THEN a.active_email ELSE a.active_voice END,
                  a.last_assigned_at NULLS FIRST, a.user_id
         LIMIT 1;
      ELSIF v_strategy = 'round_robin' THEN
        SELECT a.user_id INTO chosen FROM agents a
         WHERE a.tenant_id = p_tenant AND a.presence = 'online'
           AND CASE conv.kind WHEN 'chat' THEN a.active_chat < a.capacity_chat
                              WHEN 'email' THEN a.active_email < a.capacity_email
                              ELSE a.active_voice < a.capacity_voice END
           AND NOT (v_voice_blocks AND conv.kind = 'chat' AND a.active_voice > 0)
           AND NOT (a.user_id = ANY (conv.passed_over))
           AND (conv.language IS NULL OR cardinality(a.languages) = 0 OR conv.language = ANY (a.languages))
           AND NOT EXISTS (SELECT 1 FROM jsonb_each_text(conv.required_skills) r
                            WHERE coalesce((a.skills ->> r.key)::integer, 0) < r.value::integer)
           AND EXISTS (SELECT 1 FROM team_members m WHERE m.team_id = p_team AND m.user_id = a.user_id)
         ORDER BY a.last_assigned_at NULLS FIRST, a.user_id
         LIMIT 1;
      ELSIF conv.kind = 'chat' THEN
        SELECT a.user_id INTO chosen FROM agents a
         WHERE a.tenant_id = p_tenant AND a.presence = 'online'
           AND CASE conv.kind WHEN 'chat' THEN a.active_chat < a.capacity_chat
                              WHEN 'email' THEN a.active_email < a.capacity_email
                              ELSE a.active_voice < a.capacity_voice END
           AND NOT (v_voice_blocks AND conv.kind = 'chat' AND a.active_voice > 0)
           AND NOT (a.user_id = ANY (conv.passed_over))
           AND (conv.language IS NULL OR cardinality(a.languages) = 0 OR conv.language = ANY (a.languages))
           AND NOT EXISTS (SELECT 1 FROM jsonb_each_text(conv.required_skills) r
                            WHERE coalesce((a.skills ->> r.key)::integer, 0) < r.value::integer)
           AND EXISTS (SELECT 1 FROM team_members m WHERE m.team_id = p_team AND m.user_id = a.user_id)
         ORDER BY a.active_chat, a.last_assigned_at NULLS FIRST, a.user_id
         LIMIT 1;
      ELSIF conv.kind = 'email' THEN
        SELECT a.user_id INTO chosen FROM agents a
         WHERE a.tenant_id = p_tenant AND a.presence = 'online'
           AND CASE conv.kind WHEN 'chat' THEN a.active_chat < a.capacity_chat
                              WHEN 'email' THEN a.active_email < a.capacity_email
                              ELSE a.active_voice < a.capacity_voice END
           AND NOT (v_voice_blocks AND conv.kind = 'chat' AND a.active_voice > 0)
           AND NOT (a.user_id = ANY (conv.passed_over))
           AND (conv.language IS NULL OR cardinality(a.languages) = 0 OR conv.language = ANY (a.languages))
           AND NOT EXISTS (SELECT 1 FROM jsonb_each_text(conv.required_skills) r
                            WHERE coalesce((a.skills ->> r.key)::integer, 0) < r.value::integer)
           AND EXISTS (SELECT 1 FROM team_members m WHERE m.team_id = p_team AND m.user_id = a.user_id)
         ORDER BY a.active_email, a.last_assigned_at NULLS FIRST, a.user_id
         LIMIT 1;
      ELSE
        SELECT a.user_id INTO chosen FROM agents a
         WHERE a.tenant_id = p_tenant AND a.presence = 'online'
           AND CASE conv.kind WHEN 'chat' THEN a.active_chat < a.capacity_chat
                              WHEN 'email' THEN a.active_email < a.capacity_email
                              ELSE a.active_voice < a.capacity_voice END
           AND NOT (v_voice_blocks AND conv.kind = 'chat' AND a.active_voice > 0)
           AND NOT (a.user_id = ANY (conv.passed_over))
           AND (conv.language IS NULL OR cardinality(a.languages) = 0 OR conv.language = ANY (a.languages))
           AND NOT EXISTS (SELECT 1 FROM jsonb_each_text(conv.required_skills) r
                            WHERE coalesce((a.skills ->> r.key)::integer, 0) < r.value::integer)
           AND EXISTS (SELECT 1 FROM team_members m WHERE m.team_id = p_team AND m.user_id = a.user_id)
         ORDER BY a.active_voice, a.last_assigned_at NULLS FIRST, a.user_id
         LIMIT 1;
      END IF;
      EXIT WHEN chosen IS NULL;
      UPDATE agents SET
          active_chat = active_chat + (conv.kind = 'chat')::int,
          active_email = active_email + (conv.kind = 'email')::int,
          active_voice = active_voice + (conv.kind = 'voice')::int,
          last_assigned_at = clock_timestamp()
       WHERE user_id = chosen AND presence = 'online'
         AND CASE conv.kind WHEN 'chat' THEN active_chat < capacity_chat
                            WHEN 'email' THEN active_email < capacity_email
                            ELSE active_voice < capacity_voice END
         AND NOT (v_voice_blocks AND conv.kind = 'chat' AND active_voice > 0);
      EXIT WHEN FOUND;
    END LOOP;

    IF chosen IS NULL THEN
      -- Nobody of the team has room for this kind at all: nothing of the kind can go now. Otherwise only what
      -- this conversation needs is unmet (or only its own passed-over agents have room).
      SELECT EXISTS (
        SELECT 1 FROM agents a JOIN team_members m ON m.user_id = a.user_id AND m.team_id = p_team
         WHERE a.tenant_id = p_tenant AND a.presence = 'online'
           AND CASE conv.kind WHEN 'chat' THEN a.active_chat < a.capacity_chat
                              WHEN 'email' THEN a.active_email < a.capacity_email
                              ELSE a.active_voice < a.capacity_voice END
           AND NOT (v_voice_blocks AND conv.kind = 'chat' AND a.active_voice > 0)) INTO v_room;
      IF NOT v_room THEN
        full_kinds := full_kinds || conv.kind;
      ELSIF cardinality(conv.passed_over) > 0 THEN
        unmet_ids := unmet_ids || conv.id;
      ELSE
        unmet_needs := unmet_needs || (conv.kind || '|' || conv.required_skills::text || '|' || coalesce(conv.language, ''));
      END IF;
      CONTINUE;
    END IF;
    UPDATE conversations SET status = 'assigned', assignee_id = chosen, assigned_at = clock_timestamp()
     WHERE id = conv.id
     RETURNING * INTO conv;
    INSERT INTO assignments (tenant_id, conversation_id, action, agent_id, team_id, reason)
    VALUES (p_tenant, conv.id, 'assigned', chosen, p_team,
            CASE WHEN conv.id = p_prefer_conv AND chosen = p_prefer_agent THEN 'allocator' WHEN chosen = sticky THEN 'sticky' END);
    assigned := assigned + 1;
    RETURN NEXT conv;
  END LOOP;
END
$fn$`.execute(db);
}
