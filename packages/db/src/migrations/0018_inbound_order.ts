import { sql, type Kysely } from 'kysely';

/**
 * A customer's messages keep the order the channel handed them to Sapa (services/router/README.md §Order of a
 * customer's messages). The router stores up to 16 jobs at once, so two messages of one contact taken side by side
 * used to get `created_at` (the database's time at insert) in either order, and the transcript showed them swapped.
 * Now an inbound message is stored at its adapter's accept time (`InboundMessage.receivedAt`, passed as
 * `p_received_at`), which the adapter writes in the order it takes messages; `sapa_inbound_created_at` keeps it no
 * later than the database's now() (a fast adapter clock cannot put a message in the future, ahead of replies
 * written after it) and no earlier than a day before (a garbage time cannot bury it in the past). And since such a
 * message may now be stored after a later one, `last_message_at` only ever moves forward (GREATEST).
 *
 * The three inbound functions are otherwise their latest versions (sapa_append_inbound of 0002, sapa_open_inbound of
 * 0008, sapa_append_inbound_to of 0011), with the step all three wrote alike, storing the message once they hold its
 * conversation, in one function of its own (sapa_store_inbound). `p_received_at` defaults to NULL (stored at now(), as
 * before): a router of the previous release, still running during a rolling upgrade, keeps calling them unchanged.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
CREATE FUNCTION sapa_inbound_created_at(p_received_at timestamptz)
RETURNS timestamptz
LANGUAGE sql STABLE AS $fn$
  SELECT least(now(), greatest(now() - interval '1 day', coalesce(p_received_at, now())))
$fn$`.execute(db);

  // What all three inbound functions do once they hold the conversation: store the message at its place, and move the
  // conversation's last_message_at forward only. A redelivered message changes nothing (o_message_id null).
  await sql`
CREATE FUNCTION sapa_store_inbound(
  p_tenant uuid, p_conversation uuid, p_channel uuid, p_external text, p_text text, p_attachments jsonb, p_sent_at timestamptz,
  p_received_at timestamptz)
RETURNS TABLE (o_conversation jsonb, o_message_id uuid, o_message_created_at timestamptz)
LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO messages (tenant_id, conversation_id, channel_id, direction, author_type, text, attachments, status, external_id, sent_at, created_at)
  VALUES (p_tenant, p_conversation, p_channel, 'in', 'contact', p_text, p_attachments, 'received', p_external, p_sent_at,
          sapa_inbound_created_at(p_received_at))
  ON CONFLICT (channel_id, external_id) DO NOTHING
  RETURNING id, created_at INTO o_message_id, o_message_created_at;
  IF o_message_id IS NOT NULL THEN
    UPDATE conversations c SET last_message_at = greatest(c.last_message_at, o_message_created_at) WHERE c.id = p_conversation
    RETURNING to_jsonb(c) INTO o_conversation;
  ELSE
    SELECT to_jsonb(c) INTO o_conversation FROM conversations c WHERE c.id = p_conversation;
  END IF;
  RETURN NEXT;
END
$fn$`.execute(db);

  await sql`DROP FUNCTION sapa_append_inbound(uuid, uuid, text, text, text, jsonb, timestamptz)`.execute(db);
  await sql`
CREATE FUNCTION sapa_append_inbound(
  p_tenant uuid, p_channel uuid, p_from text, p_external text, p_text text, p_attachments jsonb, p_sent_at timestamptz,
  p_received_at timestamptz DEFAULT NULL)
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
  SELECT s.o_conversation, s.o_message_id, s.o_message_created_at INTO o_conversation, o_message_id, o_message_created_at
    FROM sapa_store_inbound(p_tenant, v_conversation_id, p_channel, p_external, p_text, p_attachments, p_sent_at, p_received_at) s;
  -- The conversation travels as JSON: as it is now, after the lock, not as the caller's snapshot saw it.
  RETURN NEXT; -- o_message_id is null when the channel delivered this message before
END
$fn$`.execute(db);

  await sql`DROP FUNCTION sapa_open_inbound(uuid, uuid, text, text, text, text, text, text, text, jsonb, timestamptz)`.execute(db);
  await sql`
CREATE FUNCTION sapa_open_inbound(
  p_tenant uuid, p_channel uuid, p_kind text, p_from text, p_name text, p_phone text, p_email text,
  p_external text, p_text text, p_attachments jsonb, p_sent_at timestamptz, p_received_at timestamptz DEFAULT NULL)
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

  SELECT s.o_conversation, s.o_message_id, s.o_message_created_at INTO o_conversation, o_message_id, o_message_created_at
    FROM sapa_store_inbound(p_tenant, v_conversation.id, p_channel, p_external, p_text, p_attachments, p_sent_at, p_received_at) s;
  IF o_message_id IS NULL THEN
    -- Delivered before: undo everything this call did (the statement's transaction rolls back).
    RAISE EXCEPTION 'message % of channel % is stored already', p_external, p_channel USING ERRCODE = 'SP001';
  END IF;
  RETURN NEXT;
END
$fn$`.execute(db);

  await sql`DROP FUNCTION sapa_append_inbound_to(uuid, uuid, uuid, text, text, jsonb, timestamptz)`.execute(db);
  await sql`
CREATE FUNCTION sapa_append_inbound_to(
  p_tenant uuid, p_channel uuid, p_conversation uuid, p_external text, p_text text, p_attachments jsonb, p_sent_at timestamptz,
  p_received_at timestamptz DEFAULT NULL)
RETURNS TABLE (o_conversation jsonb, o_contact_name text, o_message_id uuid, o_message_created_at timestamptz)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_conversation_id uuid;
BEGIN
  SELECT c.id, k.name INTO v_conversation_id, o_contact_name
    FROM conversations c JOIN contacts k ON k.id = c.contact_id
   WHERE c.tenant_id = p_tenant AND c.id = p_conversation AND c.channel_id = p_channel AND c.status <> 'closed'
     FOR UPDATE OF c;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  SELECT s.o_conversation, s.o_message_id, s.o_message_created_at INTO o_conversation, o_message_id, o_message_created_at
    FROM sapa_store_inbound(p_tenant, v_conversation_id, p_channel, p_external, p_text, p_attachments, p_sent_at, p_received_at) s;
  RETURN NEXT;
END
$fn$`.execute(db);
}
