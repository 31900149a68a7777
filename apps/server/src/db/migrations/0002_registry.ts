import { type Kysely, sql } from 'kysely';

/**
 * The registry of places, organisations and people (issue 3). Every scoped table carries the jurisdiction node it
 * belongs to and a copy of that node's ltree path (rewritten by jurisdiction moves, see registerScopedTable).
 * Personal data classification (SECURITY.md PI-1):
 *   sensitive, encrypted (SM4-CTR + HMAC-SM3, key id inside the value) with an HMAC-SM3 blind index for exact lookup:
 *     residents.id_number_enc, residents.phone_enc, residents.care_tags_enc, organisations.contact_phone_enc;
 *   general personal data, stored plain and masked in every response:
 *     residents.name (trigram-searchable), residents.registered_place, residents.note, organisations.contact_name;
 *   resident_history keeps sensitive values masked (ID, phone) or encrypted (care tags), never plain.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table grid_boundaries (
      jurisdiction_id uuid primary key references jurisdictions(id),
      path ltree not null,
      geometry jsonb not null,
      min_lng double precision not null,
      min_lat double precision not null,
      max_lng double precision not null,
      max_lat double precision not null,
      vertex_count integer not null,
      updated_at timestamptz not null,
      updated_by uuid
    );
    create index grid_boundaries_path on grid_boundaries using gist (path);

    -- Bumped in every transaction that changes boundaries: app processes rebuild their in-memory index when it moves.
    create table grid_boundary_version (
      id boolean primary key default true check (id),
      version bigint not null default 0
    );
    insert into grid_boundary_version default values;

    create table complexes (
      id uuid primary key default gen_random_uuid(),
      seq bigint generated always as identity unique,
      jurisdiction_id uuid not null references jurisdictions(id),
      path ltree not null,
      name text not null check (length(name) between 1 and 60),
      address text check (length(address) <= 120),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null,
      unique (jurisdiction_id, name)
    );
    create index complexes_path on complexes using gist (path);

    create table buildings (
      id uuid primary key default gen_random_uuid(),
      seq bigint generated always as identity unique,
      jurisdiction_id uuid not null references jurisdictions(id),
      path ltree not null,
      complex_id uuid references complexes(id),
      name text not null check (length(name) between 1 and 40),
      address text check (length(address) <= 120),
      lng double precision check (lng between -180 and 180),
      lat double precision check (lat between -90 and 90),
      floors integer check (floors between 1 and 200),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null,
      check ((lng is null) = (lat is null)),
      unique nulls not distinct (jurisdiction_id, complex_id, name)
    );
    create index buildings_path on buildings using gist (path);
    create index buildings_complex on buildings (complex_id);

    create table units (
      id uuid primary key default gen_random_uuid(),
      seq bigint generated always as identity unique,
      building_id uuid not null references buildings(id),
      jurisdiction_id uuid not null references jurisdictions(id),
      path ltree not null,
      name text not null check (length(name) between 1 and 20),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null,
      unique (building_id, name)
    );
    create index units_path on units using gist (path);

    create table dwellings (
      id uuid primary key default gen_random_uuid(),
      seq bigint generated always as identity unique,
      building_id uuid not null references buildings(id),
      unit_id uuid references units(id),
      jurisdiction_id uuid not null references jurisdictions(id),
      path ltree not null,
      number text not null check (length(number) between 1 and 20),
      floor integer check (floor between -10 and 200),
      area numeric(10, 2) check (area > 0),
      use text not null check (use in ('self_occupied','rented','vacant','commercial')),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null,
      unique nulls not distinct (building_id, unit_id, number)
    );
    create index dwellings_path on dwellings using gist (path);
    create index dwellings_unit on dwellings (unit_id);

    create table organisations (
      id uuid primary key default gen_random_uuid(),
      seq bigint generated always as identity unique,
      jurisdiction_id uuid not null references jurisdictions(id),
      path ltree not null,
      name text not null check (length(name) between 1 and 100),
      uscc text unique check (uscc ~ '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$'),
      category text not null check (category in
        ('shop','enterprise','social_org','property_company','rental_operator','public_institution','other')),
      building_id uuid references buildings(id),
      dwelling_id uuid references dwellings(id),
      address text check (length(address) <= 120),
      contact_name text check (length(contact_name) <= 50),
      contact_phone_enc text,
      contact_phone_bix text,
      employees integer check (employees >= 0),
      is_rental boolean not null default false,
      is_catering boolean not null default false,
      has_hazardous boolean not null default false,
      is_crowded boolean not null default false,
      status text not null default 'active' check (status in ('active','closed')),
      closed_on date,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null,
      check ((contact_phone_enc is null) = (contact_phone_bix is null))
    );
    create index organisations_path on organisations using gist (path);
    create index organisations_building on organisations (building_id);
    create index organisations_phone_bix on organisations (contact_phone_bix);
    create index organisations_name_trgm on organisations using gin (name gin_trgm_ops);

    create table households (
      id uuid primary key default gen_random_uuid(),
      seq bigint generated always as identity unique,
      jurisdiction_id uuid not null references jurisdictions(id),
      path ltree not null,
      number text not null check (length(number) between 1 and 30),
      dwelling_id uuid references dwellings(id),
      building_id uuid references buildings(id),
      head_resident_id uuid,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null,
      unique (jurisdiction_id, number)
    );
    create index households_path on households using gist (path);
    create index households_dwelling on households (dwelling_id);

    create table residents (
      id uuid primary key default gen_random_uuid(),
      seq bigint generated always as identity unique,
      jurisdiction_id uuid not null references jurisdictions(id),
      path ltree not null,
      name text not null check (length(name) between 1 and 50),
      id_type text not null check (id_type in ('id_card','passport','hk_mo_permit','tw_permit')),
      id_number_enc text not null,
      id_number_bix text not null,
      sex text check (sex in ('M','F')),
      birth_date date,
      phone_enc text,
      phone_bix text,
      household_id uuid references households(id),
      relation_to_head text check (relation_to_head in ('self','spouse','child','parent','grandparent','grandchild',
        'sibling','child_in_law','other_relative','non_relative')),
      dwelling_id uuid references dwellings(id),
      building_id uuid references buildings(id),
      registered_place text check (length(registered_place) <= 120),
      residence_type text not null check (residence_type in ('registered','permanent','floating','overseas')),
      arrived_on date,
      expected_leave_on date,
      residence_registered_on date,
      separated boolean not null default false,
      care_tags_enc text,
      care_tag_bix text[] not null default '{}',
      note text check (length(note) <= 500),
      status text not null default 'active' check (status in ('active','ended')),
      end_reason text check (end_reason in ('moved_out','deceased','departed')),
      ended_on date,
      created_by uuid,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null,
      check ((status = 'ended') = (end_reason is not null and ended_on is not null)),
      check ((phone_enc is null) = (phone_bix is null)),
      check ((household_id is null) = (relation_to_head is null))
    );
    -- One active registration per person (document number), across the deployment.
    create unique index residents_active_id on residents (id_number_bix) where status = 'active';
    create index residents_id_bix on residents (id_number_bix);
    create index residents_phone_bix on residents (phone_bix);
    create index residents_path on residents using gist (path);
    create index residents_name_trgm on residents using gin (name gin_trgm_ops);
    create index residents_household on residents (household_id);
    create index residents_dwelling on residents (dwelling_id);
    create index residents_building on residents (building_id);
    create index residents_care on residents using gin (care_tag_bix);
    create index residents_floating on residents (arrived_on) where residence_type = 'floating';
    alter table households add constraint households_head_fk foreign key (head_resident_id) references residents(id);

    -- Who changed what, when: sensitive values masked or encrypted (protection says which), never plain.
    create table resident_history (
      id bigserial primary key,
      resident_id uuid not null references residents(id),
      at timestamptz not null,
      actor_id uuid,
      actor_name text,
      field text not null,
      before_value text,
      after_value text,
      protection text not null default 'plain' check (protection in ('plain','masked','encrypted'))
    );
    create index resident_history_resident on resident_history (resident_id, id);

    create table grid_managers (
      user_id uuid not null references users(id) on delete cascade,
      jurisdiction_id uuid not null references jurisdictions(id),
      path ltree not null,
      assigned_at timestamptz not null,
      assigned_by uuid,
      primary key (user_id, jurisdiction_id)
    );
    create index grid_managers_path on grid_managers using gist (path);

    create table building_heads (
      user_id uuid not null references users(id) on delete cascade,
      building_id uuid not null references buildings(id),
      jurisdiction_id uuid not null references jurisdictions(id),
      path ltree not null,
      assigned_at timestamptz not null,
      assigned_by uuid,
      primary key (user_id, building_id)
    );
    create index building_heads_path on building_heads using gist (path);
    create index building_heads_building on building_heads (building_id);

    -- One row per reveal of a full personal value: the daily cap counts these (SECURITY.md PI-3).
    create table reveal_log (
      id bigserial primary key,
      user_id uuid not null,
      day date not null,
      at timestamptz not null,
      object_type text not null,
      object_id uuid not null,
      field text not null
    );
    create index reveal_log_user_day on reveal_log (user_id, day);
  `.execute(db);
}
