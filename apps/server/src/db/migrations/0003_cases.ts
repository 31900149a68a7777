import { type Kysely, sql } from 'kysely';
import { seedCategories } from '../../modules/cases/categories.seed.ts';
import { calendar2026 } from '../../modules/cases/deadlines.calendar.ts';

/**
 * Grid events (cases) and the generic machinery they need: the jobs table (claimed with FOR UPDATE SKIP LOCKED),
 * idempotency keys (SECURITY.md RL-3), the transactional outbox (RL-4) and in-app notifications.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table jobs (
      id bigserial primary key,
      name text not null,
      key text unique,
      payload jsonb not null default '{}',
      run_at timestamptz not null,
      status text not null default 'queued' check (status in ('queued','done','failed')),
      attempts integer not null default 0,
      max_attempts integer not null default 5,
      last_error text,
      locked_by text,
      created_at timestamptz not null default now(),
      finished_at timestamptz
    );
    create index jobs_due on jobs (run_at, id) where status = 'queued';
    create index jobs_finished on jobs (finished_at) where status <> 'queued';

    create table idempotency_keys (
      principal text not null,
      key text not null check (length(key) between 1 and 255),
      request_hash text not null,
      status text not null check (status in ('in_flight','done')),
      response_status integer,
      response_body jsonb,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      primary key (principal, key)
    );
    create index idempotency_keys_expiry on idempotency_keys (expires_at);

    create table departments (
      id uuid primary key default gen_random_uuid(),
      name text not null check (length(name) between 1 and 60),
      jurisdiction_id uuid not null references jurisdictions(id),
      path ltree not null,
      active boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null,
      unique (jurisdiction_id, name)
    );
    create index departments_path on departments using gist (path);

    create table case_categories (
      id uuid primary key default gen_random_uuid(),
      parent_id uuid references case_categories(id),
      code text not null unique check (code ~ '^[a-z0-9_.-]{2,64}$'),
      name text not null check (length(name) between 1 and 40),
      jurisdiction_id uuid references jurisdictions(id),
      path ltree,
      default_urgency text check (default_urgency in ('red','yellow','blue')),
      time_limit_minutes integer check (time_limit_minutes between 1 and 525600),
      clock text not null default 'natural' check (clock in ('natural','working')),
      accept_condition text not null default '',
      close_condition text not null default '',
      extra_fields jsonb not null default '[]',
      active boolean not null default true,
      sort integer not null default 0,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null,
      check ((parent_id is null) = (default_urgency is null)),
      check ((jurisdiction_id is null) = (path is null))
    );
    create index case_categories_parent on case_categories (parent_id, sort);
    create index case_categories_path on case_categories using gist (path);

    create table case_routing_rules (
      id uuid primary key default gen_random_uuid(),
      category_id uuid not null references case_categories(id),
      jurisdiction_id uuid not null references jurisdictions(id),
      path ltree not null,
      department_id uuid references departments(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null,
      unique (category_id, jurisdiction_id)
    );
    create index case_routing_rules_path on case_routing_rules using gist (path);

    -- Case numbers are drawn from this counter in the creating transaction, never from the cases themselves.
    create table case_counters (
      scope_code text not null,
      year integer not null,
      n integer not null,
      primary key (scope_code, year)
    );

    create table cases (
      id uuid primary key default gen_random_uuid(),
      number text not null unique,
      category_id uuid not null references case_categories(id),
      jurisdiction_id uuid not null references jurisdictions(id),
      path ltree not null,
      community_id uuid not null references jurisdictions(id),
      grid_id uuid references jurisdictions(id),
      state text not null check (state in ('reported','verified','discarded','accepted','dispatched','in_progress',
        'handled','closed','rework','suspended','reopened')),
      urgency text not null check (urgency in ('red','yellow','blue')),
      source text not null check (source in ('grid_manager','building_head','resident','hotline','referral','open311')),
      title text not null,
      description text not null,
      address text,
      lng double precision check (lng between -180 and 180),
      lat double precision check (lat between -90 and 90),
      extra jsonb not null default '{}',
      reporter_id uuid references users(id),
      caller_name_enc text,
      caller_phone_enc text,
      owner_id uuid references users(id),
      assignee_id uuid references users(id),
      department_id uuid references departments(id),
      time_limit_minutes integer not null,
      clock text not null check (clock in ('natural','working')),
      expected_at timestamptz,
      warn_at timestamptz,
      accepted_at timestamptz,
      dispatched_at timestamptz,
      first_dispatched_at timestamptz,
      started_at timestamptz,
      handled_at timestamptz,
      first_handled_at timestamptz,
      closed_at timestamptz,
      suspended_at timestamptz,
      warned_at timestamptz,
      overdue_at timestamptz,
      escalated_at timestamptz,
      closed_on_time boolean,
      rating text check (rating in ('satisfied','basically_satisfied','dissatisfied')),
      rated_at timestamptz,
      reopen_count integer not null default 0,
      rework_count integer not null default 0,
      handled_count integer not null default 0,
      ever_suspended boolean not null default false,
      merged_into uuid references cases(id),
      created_at timestamptz not null,
      updated_at timestamptz not null,
      check ((lng is null) = (lat is null))
    );
    create index cases_path on cases using gist (path);
    create index cases_listing on cases (created_at desc, id desc);
    create index cases_state on cases (state);
    create index cases_nearby on cases (category_id, created_at);
    create index cases_assignee on cases (assignee_id) where assignee_id is not null;
    create index cases_reporter on cases (reporter_id) where reporter_id is not null;
    create index cases_cohort on cases (first_dispatched_at) where first_dispatched_at is not null;
    create index cases_clock on cases (warn_at) where state in ('dispatched','in_progress','rework');

    create table case_events (
      id bigserial primary key,
      case_id uuid not null references cases(id),
      at timestamptz not null,
      actor_id uuid references users(id),
      actor_name text,
      action text not null,
      from_state text,
      to_state text,
      note text,
      details jsonb not null default '{}'
    );
    create index case_events_case on case_events (case_id, id);

    create table case_attachments (
      id uuid primary key default gen_random_uuid(),
      case_id uuid not null references cases(id),
      jurisdiction_id uuid not null references jurisdictions(id),
      path ltree not null,
      kind text not null check (kind in ('report','handling','other')),
      mime text not null check (mime in ('image/jpeg','image/png','application/pdf')),
      size_bytes integer not null,
      sha256 text not null,
      storage_name text not null unique,
      uploaded_by uuid references users(id),
      created_at timestamptz not null
    );
    create index case_attachments_case on case_attachments (case_id, created_at);
    create index case_attachments_path on case_attachments using gist (path);

    -- One row per case, kind and deadline: two job runners cannot raise the same flag twice.
    create table case_deadline_flags (
      case_id uuid not null references cases(id),
      kind text not null check (kind in ('warning','overdue','escalation')),
      due_at timestamptz not null,
      raised_at timestamptz not null,
      target_jurisdiction_id uuid references jurisdictions(id),
      primary key (case_id, kind, due_at)
    );

    create table work_calendar_days (
      day date primary key,
      year integer not null,
      kind text not null check (kind in ('holiday','workday')),
      name text not null,
      updated_at timestamptz not null,
      check (year = extract(year from day))
    );

    create table outbox (
      id uuid primary key default gen_random_uuid(),
      topic text not null,
      channel text not null check (channel in ('inapp','webhook','sms')),
      recipient_id uuid references users(id),
      payload jsonb not null,
      status text not null default 'pending' check (status in ('pending','delivered','failed')),
      attempts integer not null default 0,
      next_attempt_at timestamptz not null,
      delivered_at timestamptz,
      last_error text,
      created_at timestamptz not null
    );
    create index outbox_pending on outbox (next_attempt_at) where status = 'pending';

    create table notifications (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users(id),
      outbox_id uuid not null references outbox(id),
      case_id uuid references cases(id),
      kind text not null,
      title text not null,
      body text not null,
      created_at timestamptz not null,
      read_at timestamptz,
      unique (outbox_id, user_id)
    );
    create index notifications_user on notifications (user_id, created_at desc);

    create table patrols (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users(id),
      jurisdiction_id uuid not null references jurisdictions(id),
      path ltree not null,
      started_at timestamptz not null,
      ended_at timestamptz,
      route jsonb not null default '[]',
      point_count integer not null default 0,
      distance_m double precision not null default 0,
      findings text,
      finding_count integer not null default 0,
      created_at timestamptz not null,
      updated_at timestamptz not null
    );
    create index patrols_path on patrols using gist (path);
    create index patrols_user on patrols (user_id, started_at desc);

    create table building_records (
      id uuid primary key default gen_random_uuid(),
      kind text not null check (kind in ('population_report','neighbour_dispute','hazard_check','help_given',
        'security_patrol')),
      jurisdiction_id uuid not null references jurisdictions(id),
      path ltree not null,
      building_id uuid,
      building_label text not null,
      recorded_by uuid not null references users(id),
      occurred_on date not null,
      summary text not null,
      details jsonb not null default '{}',
      case_id uuid references cases(id),
      created_at timestamptz not null
    );
    create index building_records_path on building_records using gist (path);
    create index building_records_kind on building_records (kind, occurred_on);
  `.execute(db);

  const now = new Date();
  for (const d of calendar2026) {
    await sql`insert into work_calendar_days (day, year, kind, name, updated_at)
      values (${d.day}::date, ${Number(d.day.slice(0, 4))}, ${d.kind}, ${d.name}, ${now})`.execute(db);
  }
  await seedCategories(db, now);
}
