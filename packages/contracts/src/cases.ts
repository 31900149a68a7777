import { z } from 'zod';

/** Grid events (cases): states, sources, urgencies, and the request and answer shapes of /api/cases. */

export const caseStates = [
  'reported',
  'verified',
  'discarded',
  'accepted',
  'dispatched',
  'in_progress',
  'handled',
  'closed',
  'rework',
  'suspended',
  'reopened',
] as const;
export type CaseState = (typeof caseStates)[number];
export const ZCaseState = z.enum(caseStates);
export const caseStateLabels: Record<CaseState, { zh: string; en: string }> = {
  reported: { zh: '已上报', en: 'Reported' },
  verified: { zh: '已核实', en: 'Verified' },
  discarded: { zh: '已作废', en: 'Discarded' },
  accepted: { zh: '已立案', en: 'Accepted' },
  dispatched: { zh: '已派遣', en: 'Dispatched' },
  in_progress: { zh: '处置中', en: 'In progress' },
  handled: { zh: '已反馈', en: 'Handled' },
  closed: { zh: '已结案', en: 'Closed' },
  rework: { zh: '返工', en: 'Rework' },
  suspended: { zh: '缓办', en: 'Suspended' },
  reopened: { zh: '已重启', en: 'Reopened' },
};

export const caseActions = [
  'verify',
  'discard',
  'accept',
  'dispatch',
  'start',
  'handle',
  'close',
  'rework',
  'suspend',
  'resume',
  'reopen',
  'rate',
  'merge',
] as const;
export type CaseAction = (typeof caseActions)[number];
export const ZCaseAction = z.enum(caseActions);

export const caseUrgencies = ['red', 'yellow', 'blue'] as const;
export type CaseUrgency = (typeof caseUrgencies)[number];
export const ZCaseUrgency = z.enum(caseUrgencies);

export const caseSources = ['grid_manager', 'building_head', 'resident', 'hotline', 'referral', 'open311'] as const;
export type CaseSource = (typeof caseSources)[number];
export const ZCaseSource = z.enum(caseSources);

/** Deadline colour of a case as lists show it: green (on track), yellow (past 80 %), red (overdue). */
export const deadlineColours = ['green', 'yellow', 'red', 'paused', 'none'] as const;
export type DeadlineColour = (typeof deadlineColours)[number];

export const caseRatings = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;
export type CaseRating = (typeof caseRatings)[number];
export const ZCaseRating = z.enum(caseRatings);

export const clockKinds = ['natural', 'working'] as const;
export const ZClockKind = z.enum(clockKinds);

const ZText = (max: number) => z.string().trim().min(1).max(max);
const ZIso = z.iso.datetime({ offset: true });

// ——— categories ———

export const extraFieldTypes = ['string', 'number', 'date', 'single', 'multi'] as const;
export const ZExtraField = z
  .strictObject({
    key: z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,31}$/),
    label: ZText(40),
    type: z.enum(extraFieldTypes),
    required: z.boolean().default(false),
    options: z.array(ZText(40)).min(1).max(50).optional(),
  })
  .refine((f) => (f.type === 'single' || f.type === 'multi') === (f.options !== undefined), {
    message: 'options are required for single/multi choice and only for them',
  });
export type TExtraField = z.input<typeof ZExtraField>;

export const ZCategory = z
  .object({
    id: z.uuid(),
    parentId: z.uuid().nullable(),
    code: z.string(),
    name: z.string(),
    jurisdictionId: z.uuid().nullable().describe('null = global (system-wide) category'),
    defaultUrgency: ZCaseUrgency.nullable(),
    timeLimitMinutes: z
      .number()
      .int()
      .nullable()
      .describe('null = the urgency default (red 2 h, yellow 24 h, blue 72 h)'),
    effectiveLimitMinutes: z.number().int().nullable(),
    clock: ZClockKind,
    acceptCondition: z.string(),
    closeCondition: z.string(),
    extraFields: z.array(z.unknown()),
    active: z.boolean(),
    sort: z.number().int(),
  })
  .meta({ id: 'CaseCategory' });
export type TCategory = z.infer<typeof ZCategory>;

export const ZCreateCategory = z.strictObject({
  parentId: z.uuid().optional().describe('omit to create a 大类'),
  code: z.string().regex(/^[a-z0-9_.-]{2,64}$/),
  name: ZText(40),
  jurisdictionId: z.uuid().optional().describe('omit for a global category (system administrator only)'),
  defaultUrgency: ZCaseUrgency.optional(),
  timeLimitMinutes: z.number().int().min(1).max(525600).nullable().optional(),
  clock: ZClockKind.optional(),
  acceptCondition: z.string().max(500).optional(),
  closeCondition: z.string().max(500).optional(),
  extraFields: z.array(ZExtraField).max(20).optional(),
  sort: z.number().int().min(0).max(10000).optional(),
});
export const ZUpdateCategory = z.strictObject({
  name: ZText(40).optional(),
  defaultUrgency: ZCaseUrgency.optional(),
  timeLimitMinutes: z.number().int().min(1).max(525600).nullable().optional(),
  clock: ZClockKind.optional(),
  acceptCondition: z.string().max(500).optional(),
  closeCondition: z.string().max(500).optional(),
  extraFields: z.array(ZExtraField).max(20).optional(),
  active: z.boolean().optional(),
  sort: z.number().int().min(0).max(10000).optional(),
});

export const ZDepartment = z
  .object({ id: z.uuid(), name: z.string(), jurisdictionId: z.uuid(), active: z.boolean() })
  .meta({ id: 'Department' });
export const ZCreateDepartment = z.strictObject({ name: ZText(60), jurisdictionId: z.uuid() });

export const ZRoutingRule = z
  .object({
    id: z.uuid(),
    categoryId: z.uuid(),
    jurisdictionId: z.uuid(),
    departmentId: z.uuid().nullable().describe('null = the community handles it itself'),
  })
  .meta({ id: 'CaseRoutingRule' });
export const ZPutRoutingRule = z.strictObject({
  categoryId: z.uuid(),
  jurisdictionId: z.uuid(),
  departmentId: z.uuid().nullable(),
});

// ——— calendar ———

export const ZCalendarDay = z.strictObject({
  day: z.iso.date(),
  kind: z.enum(['holiday', 'workday']).describe('holiday = day off; workday = make-up working day (调休)'),
  name: ZText(40),
});
export const ZCalendarYear = z.object({ year: z.number().int(), days: z.array(ZCalendarDay) });
export const ZPutCalendarYear = z.strictObject({ days: z.array(ZCalendarDay).max(120) });

// ——— intake ———

const ZLng = z.number().min(-180).max(180);
const ZLat = z.number().min(-90).max(90);
export const ZPhone = z.string().regex(/^1[3-9]\d{9}$/, 'phone');

export const ZCreateCase = z.strictObject({
  categoryId: z.uuid(),
  source: ZCaseSource.exclude(['open311']),
  title: ZText(100).optional(),
  description: ZText(2000),
  address: z.string().trim().max(200).optional(),
  lng: ZLng.optional(),
  lat: ZLat.optional(),
  jurisdictionId: z.uuid().optional().describe('grid or community; when no point resolves to a grid'),
  urgency: ZCaseUrgency.optional().describe("override of the category's default"),
  extra: z.record(z.string(), z.unknown()).optional(),
  caller: z
    .strictObject({ name: ZText(40), phone: ZPhone })
    .optional()
    .describe('hotline: the caller'),
});
export type TCreateCase = z.infer<typeof ZCreateCase>;

export const ZCaseSummary = z
  .object({
    id: z.uuid(),
    number: z.string(),
    state: ZCaseState,
    urgency: ZCaseUrgency,
    source: ZCaseSource,
    title: z.string(),
    categoryId: z.uuid(),
    categoryName: z.string(),
    jurisdictionId: z.uuid(),
    jurisdictionName: z.string(),
    gridId: z.uuid().nullable(),
    assigneeId: z.uuid().nullable(),
    assigneeName: z.string().nullable(),
    departmentId: z.uuid().nullable(),
    lng: z.number().nullable(),
    lat: z.number().nullable(),
    expectedAt: z.string().nullable(),
    deadline: z.enum(deadlineColours),
    createdAt: z.string(),
  })
  .meta({ id: 'CaseSummary' });
export type TCaseSummary = z.infer<typeof ZCaseSummary>;

export const ZCaseEvent = z
  .object({
    id: z.string(),
    at: z.string(),
    actorId: z.uuid().nullable(),
    actorName: z.string().nullable(),
    action: z.string(),
    from: z.string().nullable(),
    to: z.string().nullable(),
    note: z.string().nullable(),
    details: z.unknown(),
  })
  .meta({ id: 'CaseEvent' });

export const ZAttachment = z
  .object({
    id: z.uuid(),
    kind: z.enum(['report', 'handling', 'other']),
    mime: z.string(),
    sizeBytes: z.number().int(),
    createdAt: z.string(),
  })
  .meta({ id: 'CaseAttachment' });

export const ZCaseDetail = ZCaseSummary.extend({
  description: z.string(),
  address: z.string().nullable(),
  extra: z.record(z.string(), z.unknown()),
  reporter: z
    .object({ name: z.string().nullable(), phone: z.string().nullable() })
    .nullable()
    .describe('masked; absent for roles that do not read personal data'),
  ownerId: z.uuid().nullable(),
  timeLimitMinutes: z.number().int(),
  clock: ZClockKind,
  warnAt: z.string().nullable(),
  dispatchedAt: z.string().nullable(),
  handledAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  rating: ZCaseRating.nullable(),
  mergedInto: z.uuid().nullable(),
  allowedActions: z.array(ZCaseAction),
  attachments: z.array(ZAttachment),
  timeline: z.array(ZCaseEvent),
}).meta({ id: 'CaseDetail' });
export type TCaseDetail = z.infer<typeof ZCaseDetail>;

export const ZPossibleDuplicate = z.object({
  id: z.uuid(),
  number: z.string(),
  title: z.string(),
  state: ZCaseState,
  distanceM: z.number(),
  createdAt: z.string(),
});
export const ZCreateCaseResponse = z.object({ case: ZCaseDetail, possibleDuplicates: z.array(ZPossibleDuplicate) });

export const ZCaseListQuery = z.strictObject({
  state: z
    .string()
    .regex(/^[a-z_]+(,[a-z_]+)*$/)
    .optional()
    .describe('one or more states, comma-separated'),
  categoryId: z.uuid().optional().describe('a 小类, or a 大类 (all its 小类)'),
  urgency: ZCaseUrgency.optional(),
  deadline: z.enum(deadlineColours).optional(),
  gridId: z.uuid().optional(),
  jurisdictionId: z.uuid().optional().describe('any node: the cases in its subtree'),
  assigneeId: z.uuid().optional(),
  mine: z.enum(['reported', 'assigned']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
export const ZCaseList = z.object({ items: z.array(ZCaseSummary), nextCursor: z.string().nullable() });

// ——— transitions ———

const ZNote = z.string().trim().max(1000).optional();
const ZReason = ZText(500);
export const ZTransition = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('verify'), note: ZNote }),
  z.strictObject({ action: z.literal('discard'), reason: ZReason, note: ZNote }),
  z.strictObject({ action: z.literal('accept'), note: ZNote }),
  z.strictObject({
    action: z.literal('dispatch'),
    assigneeId: z.uuid(),
    departmentId: z.uuid().nullable().optional(),
    note: ZNote,
  }),
  z.strictObject({ action: z.literal('start'), note: ZNote }),
  z.strictObject({
    action: z.literal('handle'),
    note: ZText(1000),
    attachmentIds: z.array(z.uuid()).min(1).max(20),
  }),
  z.strictObject({ action: z.literal('close'), checkResult: ZText(500), note: ZNote }),
  z.strictObject({ action: z.literal('rework'), reason: ZReason, note: ZNote }),
  z.strictObject({ action: z.literal('suspend'), reason: ZReason, note: ZNote }),
  z.strictObject({ action: z.literal('resume'), note: ZNote }),
  z.strictObject({ action: z.literal('reopen'), reason: ZReason, rating: ZCaseRating.optional(), note: ZNote }),
  z.strictObject({ action: z.literal('rate'), rating: ZCaseRating, note: ZNote }),
]);
export type TTransition = z.infer<typeof ZTransition>;

export const ZDispatch = z.strictObject({
  assigneeId: z.uuid(),
  departmentId: z.uuid().nullable().optional(),
  note: ZNote,
});
export const ZMerge = z.strictObject({ intoId: z.uuid(), note: ZNote });

// ——— indicators ———

export const indicatorGroups = ['grid', 'community', 'department', 'person'] as const;
export const ZIndicatorQuery = z.strictObject({
  groupBy: z.enum(indicatorGroups),
  from: ZIso,
  to: ZIso,
  jurisdictionId: z.uuid().optional(),
});
const ZRate = z.number().nullable().describe('null when the denominator is 0');
export const ZIndicatorRow = z.object({
  key: z.string().nullable(),
  label: z.string().nullable(),
  counts: z.object({
    dispatched: z.number().int(),
    due: z.number().int(),
    suspended: z.number().int(),
    closed: z.number().int(),
    closedOnTime: z.number().int(),
    handled: z.number().int(),
    reworked: z.number().int(),
    respondedInTime: z.number().int(),
    resolved: z.number().int(),
    rated: z.number().int(),
    satisfied: z.number().int(),
  }),
  rates: z.object({
    closeRate: ZRate,
    onTimeCloseRate: ZRate,
    reworkRate: ZRate,
    responseRate: ZRate,
    resolveRate: ZRate,
    satisfactionRate: ZRate,
  }),
});
export const ZIndicators = z.object({
  groupBy: z.enum(indicatorGroups),
  from: z.string(),
  to: z.string(),
  rows: z.array(ZIndicatorRow),
  total: ZIndicatorRow,
  definitions: z.record(z.string(), z.string()),
});
export type TIndicators = z.infer<typeof ZIndicators>;

// ——— notifications ———

export const ZNotification = z
  .object({
    id: z.uuid(),
    kind: z.string(),
    title: z.string(),
    body: z.string(),
    caseId: z.uuid().nullable(),
    createdAt: z.string(),
    readAt: z.string().nullable(),
  })
  .meta({ id: 'Notification' });

// ——— patrols and building-head records ———

export const ZRoutePoint = z.strictObject({ lng: ZLng, lat: ZLat, at: ZIso });
export const ZStartPatrol = z.strictObject({
  jurisdictionId: z.uuid().optional(),
  lng: ZLng.optional(),
  lat: ZLat.optional(),
});
export const ZPatrolPoints = z.strictObject({ points: z.array(ZRoutePoint).min(1).max(500) });
export const ZEndPatrol = z.strictObject({
  findings: z.string().trim().max(2000).optional(),
  findingCount: z.number().int().min(0).max(1000).optional(),
});
export const ZPatrol = z
  .object({
    id: z.uuid(),
    userId: z.uuid(),
    jurisdictionId: z.uuid(),
    startedAt: z.string(),
    endedAt: z.string().nullable(),
    pointCount: z.number().int(),
    distanceM: z.number(),
    findings: z.string().nullable(),
    findingCount: z.number().int(),
    route: z.array(z.object({ lng: z.number(), lat: z.number(), at: z.string() })).optional(),
  })
  .meta({ id: 'Patrol' });

export const buildingRecordKinds = [
  'population_report',
  'neighbour_dispute',
  'hazard_check',
  'help_given',
  'security_patrol',
] as const;
export const buildingRecordKindLabels: Record<(typeof buildingRecordKinds)[number], { zh: string; en: string }> = {
  population_report: { zh: '人口信息报送', en: 'Population report' },
  neighbour_dispute: { zh: '邻里纠纷', en: 'Neighbour dispute' },
  hazard_check: { zh: '隐患排查', en: 'Hazard check' },
  help_given: { zh: '帮办代办', en: 'Help given' },
  security_patrol: { zh: '治安巡查', en: 'Security patrol' },
};
export const ZBuildingRecordKind = z.enum(buildingRecordKinds);
export const ZCreateBuildingRecord = z.strictObject({
  kind: ZBuildingRecordKind,
  jurisdictionId: z.uuid().optional().describe("the grid; default: the recorder's own"),
  buildingId: z.uuid().optional(),
  buildingLabel: ZText(80),
  occurredOn: z.iso.date(),
  summary: ZText(1000),
  details: z.record(z.string(), z.union([z.string().max(500), z.number(), z.boolean()])).optional(),
  caseId: z.uuid().optional(),
});
export const ZBuildingRecord = z
  .object({
    id: z.uuid(),
    kind: ZBuildingRecordKind,
    jurisdictionId: z.uuid(),
    buildingId: z.uuid().nullable(),
    buildingLabel: z.string(),
    recordedBy: z.uuid(),
    occurredOn: z.string(),
    summary: z.string(),
    caseId: z.uuid().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'BuildingRecord' });
export const ZFieldworkStatsQuery = z.strictObject({
  groupBy: z.enum(['building', 'grid', 'community']),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  jurisdictionId: z.uuid().optional(),
});
export const ZFieldworkStats = z.object({
  groupBy: z.enum(['building', 'grid', 'community']),
  rows: z.array(
    z.object({
      key: z.string().nullable(),
      label: z.string().nullable(),
      patrols: z.number().int(),
      population_report: z.number().int(),
      neighbour_dispute: z.number().int(),
      hazard_check: z.number().int(),
      help_given: z.number().int(),
      security_patrol: z.number().int(),
    }),
  ),
});
