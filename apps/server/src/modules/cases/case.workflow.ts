import type { CaseAction, CaseState, Role } from '@jiayuan/contracts';
import { type Actor, isWithin } from '../../shared/context.ts';

/**
 * The case state machine as data (DOMAIN.md "Cases"). Each transition says from which states it may be taken, where
 * it leads, who may take it and what it needs. Services enforce it; tests generate every illegal pair from it.
 *
 * Who: an actor qualifies through one `by` entry: one of its roles (or any role) AND its relation to the case:
 * - `scope`: the case lies in the actor's jurisdiction subtree (pre-ownership steps: verify, accept, discard);
 * - `owner`: the actor accepted (立案) the case and owns it;
 * - `assignee`: the case is dispatched to the actor;
 * - `reporter`: the actor reported it.
 * After acceptance only the owner, the assignee, the reporter (for reopen/rate) or an approving leader in scope moves a
 * case (SECURITY.md AC-8).
 */
export type Relation = 'scope' | 'owner' | 'assignee' | 'reporter';
export type Need = 'reason' | 'assignee' | 'photos' | 'note' | 'checkResult' | 'rating' | 'reopenWindow' | 'target';
export type Transition = {
  action: CaseAction;
  from: readonly CaseState[];
  /** 'same' = the state does not change (rating). */
  to: CaseState | 'same';
  by: readonly { roles: readonly Role[] | 'any'; rel: Relation }[];
  needs: readonly Need[];
  label: { zh: string; en: string };
};

const communityStaff: Role[] = ['community_worker', 'community_leader'];
const approvers: Role[] = ['community_leader', 'street_staff'];
const owners: Role[] = ['community_worker', 'community_leader', 'street_staff', 'grid_manager'];

export const transitions: readonly Transition[] = [
  {
    action: 'verify',
    from: ['reported'],
    to: 'verified',
    by: [{ roles: ['grid_manager', ...communityStaff], rel: 'scope' }],
    needs: [],
    label: { zh: '核实', en: 'Verify' },
  },
  {
    action: 'discard',
    from: ['reported', 'verified'],
    to: 'discarded',
    by: [{ roles: communityStaff, rel: 'scope' }],
    needs: ['reason'],
    label: { zh: '作废', en: 'Discard' },
  },
  {
    action: 'merge',
    from: ['reported', 'verified'],
    to: 'discarded',
    by: [{ roles: communityStaff, rel: 'scope' }],
    needs: ['target'],
    label: { zh: '合并', en: 'Merge' },
  },
  {
    action: 'accept',
    from: ['verified'],
    to: 'accepted',
    by: [{ roles: communityStaff, rel: 'scope' }],
    needs: [],
    label: { zh: '立案', en: 'Accept' },
  },
  {
    action: 'dispatch',
    from: ['accepted', 'rework', 'reopened'],
    to: 'dispatched',
    by: [
      { roles: owners, rel: 'owner' },
      { roles: ['community_leader'], rel: 'scope' },
    ],
    needs: ['assignee'],
    label: { zh: '派遣', en: 'Dispatch' },
  },
  {
    action: 'start',
    from: ['dispatched'],
    to: 'in_progress',
    by: [{ roles: 'any', rel: 'assignee' }],
    needs: [],
    label: { zh: '签收处置', en: 'Start' },
  },
  {
    action: 'handle',
    from: ['in_progress'],
    to: 'handled',
    by: [{ roles: 'any', rel: 'assignee' }],
    needs: ['note', 'photos'],
    label: { zh: '处置反馈', en: 'Report handled' },
  },
  {
    action: 'close',
    from: ['handled'],
    to: 'closed',
    by: [
      { roles: owners, rel: 'owner' },
      { roles: ['community_leader'], rel: 'scope' },
    ],
    needs: ['checkResult'],
    label: { zh: '核查结案', en: 'Check and close' },
  },
  {
    action: 'rework',
    from: ['handled'],
    to: 'rework',
    by: [
      { roles: owners, rel: 'owner' },
      { roles: ['community_leader'], rel: 'scope' },
    ],
    needs: ['reason'],
    label: { zh: '返工', en: 'Send back' },
  },
  {
    action: 'suspend',
    from: ['in_progress'],
    to: 'suspended',
    by: [{ roles: approvers, rel: 'scope' }],
    needs: ['reason'],
    label: { zh: '缓办（审批）', en: 'Suspend (approve)' },
  },
  {
    action: 'resume',
    from: ['suspended'],
    to: 'in_progress',
    by: [
      { roles: approvers, rel: 'scope' },
      { roles: owners, rel: 'owner' },
    ],
    needs: [],
    label: { zh: '恢复办理', en: 'Resume' },
  },
  {
    action: 'reopen',
    from: ['closed'],
    to: 'reopened',
    by: [{ roles: 'any', rel: 'reporter' }],
    needs: ['reason', 'reopenWindow'],
    label: { zh: '重启', en: 'Reopen' },
  },
  {
    action: 'rate',
    from: ['closed'],
    to: 'same',
    by: [{ roles: 'any', rel: 'reporter' }],
    needs: ['rating', 'reopenWindow'],
    label: { zh: '评价', en: 'Rate' },
  },
];

export const transitionFor = (action: CaseAction): Transition => {
  const t = transitions.find((x) => x.action === action);
  if (!t) throw new Error(`no transition ${action}`);
  return t;
};

/** States from which a case is still open (counts for deadlines and duplicates). */
export const openStates: readonly CaseState[] = [
  'reported',
  'verified',
  'accepted',
  'dispatched',
  'in_progress',
  'handled',
  'rework',
  'suspended',
  'reopened',
];
/** States in which the deadline clock runs. */
export const clockStates: readonly CaseState[] = ['dispatched', 'in_progress', 'rework'];
export const REOPEN_WINDOW_DAYS = 7;

export type CaseParties = {
  path: string;
  ownerId: string | null;
  assigneeId: string | null;
  reporterId: string | null;
};

export function relationHolds(actor: Actor, c: CaseParties, rel: Relation): boolean {
  switch (rel) {
    case 'scope':
      return isWithin(c.path, actor.scopePath);
    case 'owner':
      return c.ownerId === actor.userId;
    case 'assignee':
      return c.assigneeId === actor.userId;
    case 'reporter':
      return c.reporterId === actor.userId;
  }
}

/** Whether this actor may take this transition on this case, ignoring the state. */
export function actorMay(actor: Actor, c: CaseParties, t: Transition): boolean {
  return t.by.some(
    (b) =>
      (b.roles === 'any' || actor.roles.some((r) => (b.roles as readonly Role[]).includes(r))) &&
      relationHolds(actor, c, b.rel),
  );
}

export type Check = { ok: true; to: CaseState } | { ok: false; why: 'illegal' | 'forbidden'; to: CaseState };

/** State first: an illegal step is refused as illegal whoever asks; then who. */
export function check(actor: Actor, c: CaseParties & { state: CaseState }, action: CaseAction): Check {
  const t = transitionFor(action);
  const to = t.to === 'same' ? c.state : t.to;
  if (!t.from.includes(c.state))
    return { ok: false, why: 'illegal', to: t.to === 'same' ? (t.from[0] as CaseState) : t.to };
  if (!actorMay(actor, c, t)) return { ok: false, why: 'forbidden', to };
  return { ok: true, to };
}

/** What the actor may do next, for the UI (outline's `policies`). */
export function allowedActions(actor: Actor, c: CaseParties & { state: CaseState }): CaseAction[] {
  return transitions.filter((t) => t.from.includes(c.state) && actorMay(actor, c, t)).map((t) => t.action);
}
