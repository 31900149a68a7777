import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create extension if not exists ltree;
    create extension if not exists pg_trgm;
    create extension if not exists citext;

    create table jurisdictions (
      id uuid primary key default gen_random_uuid(),
      code text not null unique check (code ~ '^[0-9]{6}([0-9]{3}([0-9]{3}([0-9]{2})?)?)?$'),
      name text not null check (length(name) between 1 and 60),
      level text not null check (level in ('city','district','street','community','grid')),
      parent_id uuid references jurisdictions(id),
      path ltree not null unique,
      status text not null default 'active' check (status in ('active','retired')),
      retired_at timestamptz,
      retire_reason text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((level = 'city') = (parent_id is null))
    );
    create index jurisdictions_path_gist on jurisdictions using gist (path);
    create index jurisdictions_parent on jurisdictions (parent_id);

    create table users (
      id uuid primary key default gen_random_uuid(),
      username citext not null unique,
      display_name text not null,
      password_hash text not null,
      jurisdiction_id uuid not null references jurisdictions(id),
      status text not null default 'active' check (status in ('active','disabled')),
      mfa_required boolean not null default false,
      totp_secret_enc text,
      totp_enabled boolean not null default false,
      totp_last_step bigint,
      password_changed_at timestamptz not null,
      must_change_password boolean not null default false,
      last_login_at timestamptz,
      is_demo boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index users_jurisdiction on users (jurisdiction_id);

    create table user_roles (
      user_id uuid not null references users(id) on delete cascade,
      role text not null check (role in ('resident','building_head','grid_manager','front_desk','community_worker',
        'community_leader','street_staff','department_staff','leader','supervisor','volunteer','party_member','deputy',
        'system_admin','security_admin','audit_admin')),
      primary key (user_id, role)
    );
    -- 三权分立 in the database: at most one of the three admin roles per account.
    create unique index user_roles_one_admin_role on user_roles (user_id)
      where role in ('system_admin','security_admin','audit_admin');

    -- Failed sign-ins are counted per user name, whether or not the account exists, so a lockout
    -- says nothing about which accounts exist (SECURITY.md AU-4).
    create table login_attempts (
      username citext primary key,
      failed_count integer not null default 0,
      last_failed_at timestamptz,
      locked_until timestamptz
    );

    create table password_history (
      id bigserial primary key,
      user_id uuid not null references users(id) on delete cascade,
      password_hash text not null,
      created_at timestamptz not null
    );
    create index password_history_user on password_history (user_id, id desc);

    create table sessions (
      id text primary key,
      user_id uuid not null references users(id) on delete cascade,
      stage text not null check (stage in ('totp','totp_enroll','password_change','active')),
      created_at timestamptz not null,
      last_seen_at timestamptz not null,
      expires_at timestamptz not null,
      idle_minutes integer not null,
      ip text,
      user_agent text,
      revoked_at timestamptz
    );
    create index sessions_user on sessions (user_id);

    create table audit_log (
      id bigserial primary key,
      at timestamptz not null,
      actor_id uuid,
      actor_name text,
      actor_roles text[] not null default '{}',
      actor_path text,
      ip text,
      request_id text,
      action text not null,
      object_type text,
      object_id text,
      success boolean not null,
      reason text,
      details jsonb not null default '{}',
      prev_hash text not null,
      hash text not null unique
    );
    create index audit_log_action on audit_log (action, id desc);
    create index audit_log_actor on audit_log (actor_id, id desc);
    create index audit_log_object on audit_log (object_id, id desc);
    create index audit_log_at on audit_log (at);

    create function audit_log_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only' using errcode = 'insufficient_privilege';
    end $$;
    create trigger audit_log_no_update_delete before update or delete on audit_log
      for each row execute function audit_log_append_only();
    create trigger audit_log_no_truncate before truncate on audit_log
      for each statement execute function audit_log_append_only();
  `.execute(db);
}
