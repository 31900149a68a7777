import { type Kysely, sql } from 'kysely';

/**
 * Open311 GeoReport v2 (modules/open311): API keys of integrating parties, the link from an Open311 submission to
 * its case (token, device/account ids, the reporter's contact details encrypted) and the updates posted by the
 * outside system, unique per key and outside update id (idempotent replays).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table api_keys (
      id uuid primary key default gen_random_uuid(),
      name text not null check (length(name) between 1 and 60),
      jurisdiction_id uuid not null references jurisdictions(id),
      path ltree not null,
      -- SHA-256 (hex) of the key; the key itself is shown once and never stored.
      key_hash text not null unique check (key_hash ~ '^[0-9a-f]{64}$'),
      key_prefix text not null,
      created_by uuid references users(id),
      created_at timestamptz not null,
      revoked_at timestamptz,
      revoked_by uuid references users(id)
    );
    create index api_keys_path on api_keys using gist (path);

    create table open311_requests (
      case_id uuid primary key references cases(id),
      api_key_id uuid not null references api_keys(id),
      token text not null unique,
      device_id text,
      account_id text,
      email_enc text,
      phone_enc text,
      media_url text,
      request_hash text not null,
      created_at timestamptz not null
    );
    create index open311_requests_dedupe on open311_requests (api_key_id, request_hash, created_at);

    create table open311_updates (
      api_key_id uuid not null references api_keys(id),
      external_id text not null check (length(external_id) between 1 and 255),
      case_id uuid not null references cases(id),
      event_id bigint not null references case_events(id),
      created_at timestamptz not null,
      primary key (api_key_id, external_id)
    );

    -- servicerequestupdates reads case events by time window.
    create index case_events_at on case_events (at);
  `.execute(db);
}
