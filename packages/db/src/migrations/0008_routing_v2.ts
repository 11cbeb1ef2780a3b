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

  // The drain of migration 0002, now with what a conversation needs and how the team hands out work. Same locks,
  // same order (team → conversation → agent), same guard against overbooking; the choice is `pickAgent` of
  // @sapa/routing (services/router/test/pick-agent-in-sql.test.ts checks the two agree). Tenant settings are read
  // here, with the defaults of DEFAULT_HANDLING_SETTINGS, so a change applies at the next drain.
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
  PERFORM pg_advisory_xact_lock(hashtextextended(p_tenant::text || '/' || p_team::text, 0));
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
      SELECT a.user_id INTO chosen
        FROM agents a
        JOIN team_members m ON m.user_id = a.user_id AND m.team_id = p_team
       WHERE a.tenant_id = p_tenant AND a.presence = 'online'
         AND CASE conv.kind WHEN 'chat' THEN a.active_chat < a.capacity_chat
                            WHEN 'email' THEN a.active_email < a.capacity_email
                            ELSE a.active_voice < a.capacity_voice END
         AND NOT (v_voice_blocks AND conv.kind = 'chat' AND a.active_voice > 0)
         AND NOT (a.user_id = ANY (conv.passed_over))
         AND (conv.language IS NULL OR cardinality(a.languages) = 0 OR conv.language = ANY (a.languages))
         AND NOT EXISTS (SELECT 1 FROM jsonb_each_text(conv.required_skills) r
                          WHERE coalesce((a.skills ->> r.key)::integer, 0) < r.value::integer)
       ORDER BY (conv.id IS NOT DISTINCT FROM p_prefer_conv AND a.user_id IS NOT DISTINCT FROM p_prefer_agent) DESC,
                (a.user_id IS NOT DISTINCT FROM sticky) DESC,
                CASE WHEN v_strategy = 'skills_weighted' THEN
                  (SELECT coalesce(sum(coalesce((a.skills ->> r.key)::integer, 0)), 0) FROM jsonb_object_keys(conv.required_skills) AS r(key))
                END DESC,
                CASE WHEN v_strategy <> 'round_robin' THEN
                  CASE conv.kind WHEN 'chat' THEN a.active_chat WHEN 'email' THEN a.active_email ELSE a.active_voice END
                END,
                a.last_assigned_at NULLS FIRST, a.user_id
       LIMIT 1;
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
