import { sql, type Kysely } from 'kysely';

/**
 * The router's two hot steps as PL/pgSQL functions: one round trip each instead of eight, and plans that
 * Postgres caches per connection (planning the same CTE on every message cost more than running it;
 * bench/RESULTS.md).
 *
 * `sapa_append_inbound`: a known contact writes into their open conversation on this channel.
 * `sapa_open_inbound`: everything else: a new contact, or a new conversation (the last one was closed).
 * `sapa_drain_team`: assign a team's waiting conversations. The rule it applies is `pickLeastBusy` of
 * `@sapa/routing`; the router's tests check the two agree.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
CREATE FUNCTION sapa_append_inbound(
  p_tenant uuid, p_channel uuid, p_from text, p_external text, p_text text, p_attachments jsonb, p_sent_at timestamptz)
RETURNS TABLE (o_conversation jsonb, o_contact_name text, o_message_id uuid, o_message_created_at timestamptz)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_conversation_id uuid;
BEGIN
  -- The row lock makes a concurrent close wait, or makes us see it: a message never lands in a closed conversation.
  SELECT c.id, k.name INTO v_conversation_id, o_contact_name
    FROM contact_identities i
    JOIN contacts k ON k.id = i.contact_id
    JOIN conversations c ON c.contact_id = i.contact_id AND c.channel_id = i.channel_id AND c.status <> 'closed'
   WHERE i.tenant_id = p_tenant AND i.channel_id = p_channel AND i.external_id = p_from
     FOR UPDATE OF c;
  IF NOT FOUND THEN
    RETURN; -- a new contact, or no open conversation: the caller opens one in a transaction
  END IF;
  INSERT INTO messages (tenant_id, conversation_id, channel_id, direction, author_type, text, attachments, status, external_id, sent_at)
  VALUES (p_tenant, v_conversation_id, p_channel, 'in', 'contact', p_text, p_attachments, 'received', p_external, p_sent_at)
  ON CONFLICT (channel_id, external_id) DO NOTHING
  RETURNING id, created_at INTO o_message_id, o_message_created_at;
  IF o_message_id IS NOT NULL THEN
    UPDATE conversations c SET last_message_at = o_message_created_at WHERE c.id = v_conversation_id RETURNING to_jsonb(c) INTO o_conversation;
  ELSE
    SELECT to_jsonb(c) INTO o_conversation FROM conversations c WHERE c.id = v_conversation_id;
  END IF;
  -- The conversation travels as JSON: as it is now, after the lock, not as the caller's snapshot saw it.
  RETURN NEXT; -- o_message_id is null when the channel delivered this message before
END
$fn$`.execute(db);

  await sql`
CREATE FUNCTION sapa_open_inbound(
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
  INSERT INTO conversations (tenant_id, channel_id, contact_id, team_id, kind)
  VALUES (p_tenant, p_channel, o_contact_id, v_team, p_kind)
  ON CONFLICT (channel_id, contact_id) WHERE status <> 'closed' DO NOTHING
  RETURNING * INTO v_conversation;
  o_created := FOUND;
  IF NOT o_created THEN
    SELECT * INTO v_conversation FROM conversations
     WHERE channel_id = p_channel AND contact_id = o_contact_id AND status <> 'closed' FOR UPDATE;
  END IF;

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

  await sql`
CREATE FUNCTION sapa_drain_team(p_tenant uuid, p_team uuid, p_max integer)
RETURNS SETOF conversations
LANGUAGE plpgsql AS $fn$
DECLARE
  conv conversations;
  chosen uuid;
  full_kinds text[] := '{}';
  assigned integer := 0;
  rounds integer := 0;
BEGIN
  -- One team's assignment decisions run one at a time, so a conversation queued while an agent comes
  -- online cannot be missed by both the arrival and the drain (services/router/README.md).
  PERFORM pg_advisory_xact_lock(hashtextextended(p_tenant::text || '/' || p_team::text, 0));
  WHILE assigned < p_max AND rounds < p_max * 2 + 10 LOOP
    rounds := rounds + 1;
    -- Highest priority, then oldest first; a kind nobody has room for is passed over, not blocking the rest.
    SELECT * INTO conv FROM conversations
     WHERE tenant_id = p_tenant AND team_id = p_team AND status = 'queued' AND NOT (kind = ANY (full_kinds))
     ORDER BY priority DESC, queued_at, id
     LIMIT 1
     FOR UPDATE;
    IF NOT FOUND THEN
      -- The head can change while we wait for its lock (closed, moved); look again before calling it empty.
      EXIT WHEN NOT EXISTS (
        SELECT 1 FROM conversations
         WHERE tenant_id = p_tenant AND team_id = p_team AND status = 'queued' AND NOT (kind = ANY (full_kinds)));
      CONTINUE;
    END IF;

    -- pickLeastBusy: fewest active conversations of this kind, then longest since last assignment, then id.
    LOOP
      SELECT a.user_id INTO chosen
        FROM agents a
        JOIN team_members m ON m.user_id = a.user_id AND m.team_id = p_team
       WHERE a.tenant_id = p_tenant AND a.presence = 'online'
         AND CASE conv.kind WHEN 'chat' THEN a.active_chat < a.capacity_chat
                            WHEN 'email' THEN a.active_email < a.capacity_email
                            ELSE a.active_voice < a.capacity_voice END
       ORDER BY CASE conv.kind WHEN 'chat' THEN a.active_chat WHEN 'email' THEN a.active_email ELSE a.active_voice END,
                a.last_assigned_at NULLS FIRST, a.user_id
       LIMIT 1;
      EXIT WHEN chosen IS NULL;
      -- The guard against overbooking: only if the agent is still online with room at this instant
      -- (an agent in two teams may have filled up through the other team's queue meanwhile).
      UPDATE agents SET
          active_chat = active_chat + (conv.kind = 'chat')::int,
          active_email = active_email + (conv.kind = 'email')::int,
          active_voice = active_voice + (conv.kind = 'voice')::int,
          last_assigned_at = clock_timestamp()
       WHERE user_id = chosen AND presence = 'online'
         AND CASE conv.kind WHEN 'chat' THEN active_chat < capacity_chat
                            WHEN 'email' THEN active_email < capacity_email
                            ELSE active_voice < capacity_voice END;
      EXIT WHEN FOUND;
    END LOOP;

    IF chosen IS NULL THEN
      full_kinds := full_kinds || conv.kind;
      CONTINUE;
    END IF;
    UPDATE conversations SET status = 'assigned', assignee_id = chosen, assigned_at = clock_timestamp()
     WHERE id = conv.id
     RETURNING * INTO conv;
    INSERT INTO assignments (tenant_id, conversation_id, action, agent_id, team_id)
    VALUES (p_tenant, conv.id, 'assigned', chosen, p_team);
    assigned := assigned + 1;
    RETURN NEXT conv;
  END LOOP;
END
$fn$`.execute(db);
}
