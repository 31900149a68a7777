import { adminRoles, type Role, roles } from '@jiayuan/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../shared/context.ts';
import { type Action, can, permissions } from './identity.policy.ts';
import { passwordProblems } from './password.ts';

const actor = (r: Role[], scopePath: string): Actor => ({
  userId: 'u',
  username: 'u',
  displayName: 'u',
  roles: r,
  jurisdictionId: 'j',
  scopePath,
  sessionId: null,
});

describe('can()', () => {
  it('never lets an admin role read personal data (三权分立)', () => {
    for (const r of adminRoles) expect(can(actor([r], '430600'), 'person.read')).toBe(false);
  });

  it('gives each admin role its own duty only', () => {
    // Every permission an admin role holds is listed here; a new one must be added on purpose.
    const duties: Record<string, Action[]> = {
      system_admin: [
        'jurisdiction.read',
        'jurisdiction.manage',
        'user.lifecycle',
        'user.read',
        'case.category.read',
        'case.category.manage_global',
        'case.department.manage',
        'case.calendar.manage',
        'open311.key.manage',
      ],
      security_admin: ['jurisdiction.read', 'user.manage', 'user.lifecycle', 'user.read', 'case.category.read'],
      audit_admin: ['jurisdiction.read', 'audit.read', 'case.category.read'],
    };
    for (const r of adminRoles) {
      for (const action of Object.keys(permissions) as Action[]) {
        expect(can(actor([r], '430600'), action), `${r} ${action}`).toBe(duties[r]?.includes(action) ?? false);
      }
    }
  });

  it('keeps the admin roles away from every personal-data permission', () => {
    const personal: Action[] = [
      'person.read',
      'resident.read',
      'person.write',
      'person.reveal',
      'person.care',
      'case.read',
      'org.read',
    ];
    for (const r of adminRoles) for (const a of personal) expect(can(actor([r], '430600'), a), `${r} ${a}`).toBe(false);
  });

  // A random jurisdiction tree as paths of digit labels; access holds exactly when resource.path <@ scope.
  const label = fc.stringMatching(/^[0-9]{2}$/);
  const pathArb = fc.array(label, { minLength: 1, maxLength: 5 }).map((a) => a.join('.'));
  it('allows exactly when the resource lies in the actor subtree', () => {
    fc.assert(
      fc.property(pathArb, pathArb, fc.constantFrom(...roles), (scope, res, role) => {
        const a = actor([role], scope);
        const allowedRole = (permissions['jurisdiction.read'] as readonly Role[]).includes(role);
        const inside = res === scope || res.startsWith(`${scope}.`);
        expect(can(a, 'jurisdiction.read', { path: res })).toBe(allowedRole && inside);
      }),
      { numRuns: 2000 },
    );
  });

  it('is not fooled by a sibling whose code shares a prefix', () => {
    expect(can(actor(['grid_manager'], '430600.430602'), 'jurisdiction.read', { path: '430600.4306021' })).toBe(false);
    expect(can(null, 'jurisdiction.read')).toBe(false);
  });
});

describe(passwordProblems.name, () => {
  const table: [string, boolean, string[]][] = [
    ['Harbour#Lights2026', true, []],
    ['short#A1', true, ['too_short']],
    ['onlylowercaseletters', true, ['classes']],
    ['ALLUPPER12345678', true, ['classes']],
    ['ALLUPPER#12345678', true, []],
    ['Password123!', true, ['common']],
    ['Qwertyuiop!!', true, ['common']],
    ['zhangwei#Home2026', true, []],
    ['resident1', false, []],
    ['12345678', false, ['common']],
    ['abc', false, ['too_short']],
  ];
  it.each(table)('%s (staff: %s)', (pw, staff, expected) => {
    expect(passwordProblems(pw, { staff })).toEqual(expected);
  });
  it('refuses a password that contains the user name', () => {
    expect(passwordProblems('Zhangwei#2026x', { staff: true, username: 'zhangwei' })).toContain('contains_username');
  });
});
