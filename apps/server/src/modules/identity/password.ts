import { hash, verify } from '@node-rs/argon2';
import { commonPasswords } from './common-passwords.ts';

// argon2id, OWASP's second recommended profile (19 MiB, t=2, p=1).
const ARGON = { algorithm: 2 as const, memoryCost: 19456, timeCost: 2, parallelism: 1 };

export const hashPassword = (pw: string): Promise<string> => hash(pw, ARGON);
export const verifyPassword = async (hashed: string, pw: string): Promise<boolean> => {
  try {
    return await verify(hashed, pw);
  } catch {
    return false;
  }
};

/** A real hash of a random password: verified against when the account does not exist, so timing is the same. */
let dummy: Promise<string> | undefined;
export const dummyHash = (): Promise<string> => {
  dummy ??= hashPassword(`dummy-${Math.random()}`);
  return dummy;
};

export const PASSWORD_MAX_AGE_DAYS = 90;
export const PASSWORD_HISTORY = 5;

export type PasswordProblem = 'too_short' | 'too_long' | 'classes' | 'common' | 'contains_username';

/**
 * SECURITY.md AU-2. Staff and admins: ≥ 12 characters, 3 of 4 classes, not common, not containing the user name
 * (等保 practice, a documented deviation from ASVS 6.2.5). Residents: ≥ 8 characters, not common.
 */
export function passwordProblems(pw: string, opts: { staff: boolean; username?: string }): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  const min = opts.staff ? 12 : 8;
  if ([...pw].length < min) problems.push('too_short');
  if ([...pw].length > 128) problems.push('too_long');
  if (opts.staff) {
    const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((re) => re.test(pw)).length;
    if (classes < 3) problems.push('classes');
  }
  const lower = pw.toLowerCase();
  const stripped = lower.replace(/[^a-z]/g, '');
  if (commonPasswords.has(lower) || (stripped.length >= 4 && commonPasswords.has(stripped))) problems.push('common');
  if (opts.username && opts.username.length >= 3 && lower.includes(opts.username.toLowerCase()))
    problems.push('contains_username');
  return problems;
}
