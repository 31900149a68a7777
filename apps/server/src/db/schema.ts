import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export interface JurisdictionsTable {
  id: Generated<string>;
  code: string;
  name: string;
  level: 'city' | 'district' | 'street' | 'community' | 'grid';
  parent_id: string | null;
  path: string;
  status: Generated<'active' | 'retired'>;
  retired_at: Timestamp | null;
  retire_reason: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface UsersTable {
  id: Generated<string>;
  username: string;
  display_name: string;
  password_hash: string;
  jurisdiction_id: string;
  status: Generated<'active' | 'disabled'>;
  mfa_required: Generated<boolean>;
  totp_secret_enc: string | null;
  totp_enabled: Generated<boolean>;
  totp_last_step: ColumnType<string | null, number | string | null, number | string | null>;
  password_changed_at: Timestamp;
  must_change_password: Generated<boolean>;
  last_login_at: Timestamp | null;
  is_demo: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface LoginAttemptsTable {
  username: string;
  failed_count: number;
  last_failed_at: Timestamp | null;
  locked_until: Timestamp | null;
}

export interface UserRolesTable {
  user_id: string;
  role: string;
}

export interface PasswordHistoryTable {
  id: Generated<string>;
  user_id: string;
  password_hash: string;
  created_at: Timestamp;
}

export type SessionStage = 'totp' | 'totp_enroll' | 'password_change' | 'active';
export interface SessionsTable {
  id: string;
  user_id: string;
  stage: SessionStage;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  idle_minutes: number;
  ip: string | null;
  user_agent: string | null;
  revoked_at: Timestamp | null;
}

export interface AuditLogTable {
  id: Generated<string>;
  at: Timestamp;
  actor_id: string | null;
  actor_name: string | null;
  actor_roles: string[];
  actor_path: string | null;
  ip: string | null;
  request_id: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  success: boolean;
  reason: string | null;
  details: ColumnType<unknown, string, never>;
  prev_hash: string;
  hash: string;
}

// ——— cases (migration 0003) ———

type JsonColumn<T = unknown> = ColumnType<T, string | undefined, string>;

export interface JobsTable {
  id: Generated<string>;
  name: string;
  key: string | null;
  payload: JsonColumn;
  run_at: Timestamp;
  status: Generated<'queued' | 'done' | 'failed'>;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  last_error: string | null;
  locked_by: string | null;
  created_at: CreatedAt;
  finished_at: Timestamp | null;
}

export interface IdempotencyKeysTable {
  principal: string;
  key: string;
  request_hash: string;
  status: 'in_flight' | 'done';
  response_status: number | null;
  response_body: ColumnType<unknown, string | null, string | null>;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface DepartmentsTable {
  id: Generated<string>;
  name: string;
  jurisdiction_id: string;
  path: string;
  active: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface CaseCategoriesTable {
  id: Generated<string>;
  parent_id: string | null;
  code: string;
  name: string;
  jurisdiction_id: string | null;
  path: string | null;
  default_urgency: 'red' | 'yellow' | 'blue' | null;
  time_limit_minutes: number | null;
  clock: Generated<'natural' | 'working'>;
  accept_condition: Generated<string>;
  close_condition: Generated<string>;
  extra_fields: JsonColumn;
  active: Generated<boolean>;
  sort: Generated<number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface CaseRoutingRulesTable {
  id: Generated<string>;
  category_id: string;
  jurisdiction_id: string;
  path: string;
  department_id: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface CaseCountersTable {
  scope_code: string;
  year: number;
  n: number;
}

export interface CasesTable {
  id: Generated<string>;
  number: string;
  category_id: string;
  jurisdiction_id: string;
  path: string;
  community_id: string;
  grid_id: string | null;
  state: string;
  urgency: 'red' | 'yellow' | 'blue';
  source: string;
  title: string;
  description: string;
  address: string | null;
  lng: number | null;
  lat: number | null;
  extra: JsonColumn;
  reporter_id: string | null;
  caller_name_enc: string | null;
  caller_phone_enc: string | null;
  owner_id: string | null;
  assignee_id: string | null;
  department_id: string | null;
  time_limit_minutes: number;
  clock: 'natural' | 'working';
  expected_at: Timestamp | null;
  warn_at: Timestamp | null;
  accepted_at: Timestamp | null;
  dispatched_at: Timestamp | null;
  first_dispatched_at: Timestamp | null;
  started_at: Timestamp | null;
  handled_at: Timestamp | null;
  first_handled_at: Timestamp | null;
  closed_at: Timestamp | null;
  suspended_at: Timestamp | null;
  warned_at: Timestamp | null;
  overdue_at: Timestamp | null;
  escalated_at: Timestamp | null;
  closed_on_time: boolean | null;
  rating: 'satisfied' | 'basically_satisfied' | 'dissatisfied' | null;
  rated_at: Timestamp | null;
  reopen_count: Generated<number>;
  rework_count: Generated<number>;
  handled_count: Generated<number>;
  ever_suspended: Generated<boolean>;
  merged_into: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CaseEventsTable {
  id: Generated<string>;
  case_id: string;
  at: Timestamp;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  from_state: string | null;
  to_state: string | null;
  note: string | null;
  details: JsonColumn;
}

export interface CaseAttachmentsTable {
  id: Generated<string>;
  case_id: string;
  jurisdiction_id: string;
  path: string;
  kind: 'report' | 'handling' | 'other';
  mime: 'image/jpeg' | 'image/png' | 'application/pdf';
  size_bytes: number;
  sha256: string;
  storage_name: string;
  uploaded_by: string | null;
  created_at: Timestamp;
}

export interface CaseDeadlineFlagsTable {
  case_id: string;
  kind: 'warning' | 'overdue' | 'escalation';
  due_at: Timestamp;
  raised_at: Timestamp;
  target_jurisdiction_id: string | null;
}

export interface WorkCalendarDaysTable {
  day: ColumnType<string, string, string>;
  year: number;
  kind: 'holiday' | 'workday';
  name: string;
  updated_at: Timestamp;
}

export interface OutboxTable {
  id: Generated<string>;
  topic: string;
  channel: 'inapp' | 'webhook' | 'sms';
  recipient_id: string | null;
  payload: JsonColumn;
  status: Generated<'pending' | 'delivered' | 'failed'>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  delivered_at: Timestamp | null;
  last_error: string | null;
  created_at: Timestamp;
}

export interface NotificationsTable {
  id: Generated<string>;
  user_id: string;
  outbox_id: string;
  case_id: string | null;
  kind: string;
  title: string;
  body: string;
  created_at: Timestamp;
  read_at: Timestamp | null;
}

export interface PatrolsTable {
  id: Generated<string>;
  user_id: string;
  jurisdiction_id: string;
  path: string;
  started_at: Timestamp;
  ended_at: Timestamp | null;
  route: JsonColumn;
  point_count: Generated<number>;
  distance_m: Generated<number>;
  findings: string | null;
  finding_count: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface BuildingRecordsTable {
  id: Generated<string>;
  kind: 'population_report' | 'neighbour_dispute' | 'hazard_check' | 'help_given' | 'security_patrol';
  jurisdiction_id: string;
  path: string;
  building_id: string | null;
  building_label: string;
  recorded_by: string;
  occurred_on: ColumnType<string, string, string>;
  summary: string;
  details: JsonColumn;
  case_id: string | null;
  created_at: Timestamp;
}

// ——— registry (migration 0002) ———

type Seq = ColumnType<string, never, never>;
/** A date column (YYYY-MM-DD). Queries select it as `col::text`: pg would otherwise parse it into a local-time Date. */
type DateCol = ColumnType<string, string, string>;

export interface GridBoundariesTable {
  jurisdiction_id: string;
  path: string;
  geometry: ColumnType<unknown, string, string>;
  min_lng: number;
  min_lat: number;
  max_lng: number;
  max_lat: number;
  vertex_count: number;
  updated_at: Timestamp;
  updated_by: string | null;
}

export interface GridBoundaryVersionTable {
  id: Generated<boolean>;
  version: Generated<string>;
}

export interface ComplexesTable {
  id: Generated<string>;
  seq: Seq;
  jurisdiction_id: string;
  path: string;
  name: string;
  address: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface BuildingsTable {
  id: Generated<string>;
  seq: Seq;
  jurisdiction_id: string;
  path: string;
  complex_id: string | null;
  name: string;
  address: string | null;
  lng: number | null;
  lat: number | null;
  floors: number | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface UnitsTable {
  id: Generated<string>;
  seq: Seq;
  building_id: string;
  jurisdiction_id: string;
  path: string;
  name: string;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface DwellingsTable {
  id: Generated<string>;
  seq: Seq;
  building_id: string;
  unit_id: string | null;
  jurisdiction_id: string;
  path: string;
  number: string;
  floor: number | null;
  area: ColumnType<string | null, number | null, number | null>;
  use: 'self_occupied' | 'rented' | 'vacant' | 'commercial';
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface OrganisationsTable {
  id: Generated<string>;
  seq: Seq;
  jurisdiction_id: string;
  path: string;
  name: string;
  uscc: string | null;
  category: string;
  building_id: string | null;
  dwelling_id: string | null;
  address: string | null;
  contact_name: string | null;
  contact_phone_enc: string | null;
  contact_phone_bix: string | null;
  employees: number | null;
  is_rental: Generated<boolean>;
  is_catering: Generated<boolean>;
  has_hazardous: Generated<boolean>;
  is_crowded: Generated<boolean>;
  status: Generated<'active' | 'closed'>;
  closed_on: DateCol | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface HouseholdsTable {
  id: Generated<string>;
  seq: Seq;
  jurisdiction_id: string;
  path: string;
  number: string;
  dwelling_id: string | null;
  building_id: string | null;
  head_resident_id: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface ResidentsTable {
  id: Generated<string>;
  seq: Seq;
  jurisdiction_id: string;
  path: string;
  name: string;
  id_type: 'id_card' | 'passport' | 'hk_mo_permit' | 'tw_permit';
  id_number_enc: string;
  id_number_bix: string;
  sex: 'M' | 'F' | null;
  birth_date: DateCol | null;
  phone_enc: string | null;
  phone_bix: string | null;
  household_id: string | null;
  relation_to_head: string | null;
  dwelling_id: string | null;
  building_id: string | null;
  registered_place: string | null;
  residence_type: 'registered' | 'permanent' | 'floating' | 'overseas';
  arrived_on: DateCol | null;
  expected_leave_on: DateCol | null;
  residence_registered_on: DateCol | null;
  separated: Generated<boolean>;
  care_tags_enc: string | null;
  care_tag_bix: Generated<string[]>;
  note: string | null;
  status: Generated<'active' | 'ended'>;
  end_reason: 'moved_out' | 'deceased' | 'departed' | null;
  ended_on: DateCol | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface ResidentHistoryTable {
  id: Generated<string>;
  resident_id: string;
  at: Timestamp;
  actor_id: string | null;
  actor_name: string | null;
  field: string;
  before_value: string | null;
  after_value: string | null;
  protection: 'plain' | 'masked' | 'encrypted';
}

export interface GridManagersTable {
  user_id: string;
  jurisdiction_id: string;
  path: string;
  assigned_at: Timestamp;
  assigned_by: string | null;
}

export interface BuildingHeadsTable {
  user_id: string;
  building_id: string;
  jurisdiction_id: string;
  path: string;
  assigned_at: Timestamp;
  assigned_by: string | null;
}

export interface RevealLogTable {
  id: Generated<string>;
  user_id: string;
  day: DateCol;
  at: Timestamp;
  object_type: string;
  object_id: string;
  field: string;
}

// ——— open311 (migration 0004) ———

export interface ApiKeysTable {
  id: Generated<string>;
  name: string;
  jurisdiction_id: string;
  path: string;
  key_hash: string;
  key_prefix: string;
  created_by: string | null;
  created_at: Timestamp;
  revoked_at: Timestamp | null;
  revoked_by: string | null;
}

export interface Open311RequestsTable {
  case_id: string;
  api_key_id: string;
  token: string;
  device_id: string | null;
  account_id: string | null;
  email_enc: string | null;
  phone_enc: string | null;
  media_url: string | null;
  request_hash: string;
  created_at: Timestamp;
}

export interface Open311UpdatesTable {
  api_key_id: string;
  external_id: string;
  case_id: string;
  event_id: string;
  created_at: Timestamp;
}

export interface ResidentImportsTable {
  id: Generated<string>;
  jurisdiction_id: string;
  path: string;
  file_name: string;
  format: 'csv' | 'xlsx';
  source: 'http' | 'cli' | 'demo';
  status: 'queued' | 'running' | 'done' | 'failed';
  rows_read: Generated<number>;
  imported: Generated<number>;
  updated: Generated<number>;
  unchanged: Generated<number>;
  rejected: Generated<number>;
  bytes_total: string | number | null;
  bytes_read: Generated<string | number>;
  error_code: string | null;
  first_rejections: ColumnType<unknown, string | undefined, string>;
  error_file: string | null;
  error_file_expires_at: Timestamp | null;
  created_by: string | null;
  created_by_name: string | null;
  created_at: Timestamp;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  updated_at: Timestamp;
}

export interface ExportApprovalsTable {
  id: Generated<string>;
  jurisdiction_id: string;
  path: string;
  reason: string;
  status: 'pending' | 'approved' | 'rejected' | 'used';
  requested_by: string;
  requested_at: Timestamp;
  decided_by: string | null;
  decided_at: Timestamp | null;
  decision_note: string | null;
  expires_at: Timestamp | null;
  used_at: Timestamp | null;
}

export interface DB {
  api_keys: ApiKeysTable;
  open311_requests: Open311RequestsTable;
  open311_updates: Open311UpdatesTable;
  jurisdictions: JurisdictionsTable;
  users: UsersTable;
  user_roles: UserRolesTable;
  password_history: PasswordHistoryTable;
  login_attempts: LoginAttemptsTable;
  sessions: SessionsTable;
  audit_log: AuditLogTable;
  jobs: JobsTable;
  idempotency_keys: IdempotencyKeysTable;
  departments: DepartmentsTable;
  case_categories: CaseCategoriesTable;
  case_routing_rules: CaseRoutingRulesTable;
  case_counters: CaseCountersTable;
  cases: CasesTable;
  case_events: CaseEventsTable;
  case_attachments: CaseAttachmentsTable;
  case_deadline_flags: CaseDeadlineFlagsTable;
  work_calendar_days: WorkCalendarDaysTable;
  outbox: OutboxTable;
  notifications: NotificationsTable;
  patrols: PatrolsTable;
  building_records: BuildingRecordsTable;
  grid_boundaries: GridBoundariesTable;
  grid_boundary_version: GridBoundaryVersionTable;
  complexes: ComplexesTable;
  buildings: BuildingsTable;
  units: UnitsTable;
  dwellings: DwellingsTable;
  organisations: OrganisationsTable;
  households: HouseholdsTable;
  residents: ResidentsTable;
  resident_history: ResidentHistoryTable;
  grid_managers: GridManagersTable;
  building_heads: BuildingHeadsTable;
  reveal_log: RevealLogTable;
  resident_imports: ResidentImportsTable;
  export_approvals: ExportApprovalsTable;
}
