import { type CaseState, caseActions, caseStates } from '@jiayuan/contracts';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../shared/context.ts';
import { allowedActions, check, transitions } from './case.workflow.ts';

const actor = (roles: Actor['roles'], userId = 'u1', scopePath = '430600.430602.430602001.430602001001'): Actor => ({
  userId,
  username: userId,
  displayName: userId,
  roles,
  jurisdictionId: 'j',
  scopePath,
  sessionId: null,
});
const kase = (state: CaseState, over: Partial<{ ownerId: string; assigneeId: string; reporterId: string }> = {}) => ({
  path: '430600.430602.430602001.430602001001.43060200100101',
  ownerId: over.ownerId ?? 'owner',
  assigneeId: over.assigneeId ?? 'assignee',
  reporterId: over.reporterId ?? 'reporter',
  state,
});

describe('the case workflow table', () => {
  it('has one transition per action, and only known states', () => {
    expect(transitions.map((t) => t.action).sort()).toEqual([...caseActions].sort());
    for (const t of transitions) {
      for (const s of t.from) expect(caseStates).toContain(s);
      if (t.to !== 'same') expect(caseStates).toContain(t.to);
    }
  });

  it('refuses every (action, state) pair outside the table as illegal, whoever asks', () => {
    const everyone = actor(['community_leader', 'street_staff', 'grid_manager'], 'owner');
    for (const t of transitions)
      for (const s of caseStates) {
        const v = check(everyone, kase(s, { ownerId: 'owner', assigneeId: 'owner', reporterId: 'owner' }), t.action);
        if (t.from.includes(s)) expect(v.ok, `${t.action} from ${s}`).toBe(true);
        else expect(v, `${t.action} from ${s}`).toMatchObject({ ok: false, why: 'illegal' });
      }
  });

  it('lets only the assignee start and handle, the owner or community leader close, the reporter reopen (AC-8)', () => {
    expect(check(actor(['grid_manager'], 'assignee'), kase('dispatched'), 'start').ok).toBe(true);
    expect(check(actor(['grid_manager'], 'other'), kase('dispatched'), 'start')).toMatchObject({ why: 'forbidden' });
    expect(check(actor(['community_worker'], 'owner'), kase('handled'), 'close').ok).toBe(true);
    expect(check(actor(['community_worker'], 'other'), kase('handled'), 'close')).toMatchObject({ why: 'forbidden' });
    expect(check(actor(['community_leader'], 'other'), kase('handled'), 'close').ok).toBe(true);
    const outside = actor(['community_leader'], 'other', '430600.430602.430602001.430602001002');
    expect(check(outside, kase('handled'), 'close')).toMatchObject({ why: 'forbidden' });
    expect(check(actor(['resident'], 'reporter'), kase('closed'), 'reopen').ok).toBe(true);
    expect(check(actor(['community_leader'], 'other'), kase('closed'), 'reopen')).toMatchObject({ why: 'forbidden' });
    expect(check(actor(['grid_manager'], 'assignee'), kase('in_progress'), 'suspend')).toMatchObject({
      why: 'forbidden',
    });
    expect(check(actor(['street_staff'], 'x', '430600.430602.430602001'), kase('in_progress'), 'suspend').ok).toBe(
      true,
    );
  });

  it('lists the next steps an actor may take', () => {
    expect(allowedActions(actor(['grid_manager'], 'assignee'), kase('in_progress'))).toEqual(['handle']);
    expect(allowedActions(actor(['community_worker'], 'owner'), kase('handled'))).toEqual(['close', 'rework']);
    expect(allowedActions(actor(['resident'], 'reporter'), kase('closed'))).toEqual(['reopen', 'rate']);
    expect(allowedActions(actor(['community_worker'], 'w'), kase('reported'))).toEqual(['verify', 'discard', 'merge']);
  });
});
