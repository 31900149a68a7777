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

export interface DB {
  jurisdictions: JurisdictionsTable;
  users: UsersTable;
  user_roles: UserRolesTable;
  password_history: PasswordHistoryTable;
  login_attempts: LoginAttemptsTable;
  sessions: SessionsTable;
  audit_log: AuditLogTable;
}
