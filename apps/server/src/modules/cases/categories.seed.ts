import type { CaseUrgency, TExtraField } from '@jiayuan/contracts';
import { type Kysely, sql } from 'kysely';

type Sub = {
  code: string;
  name: string;
  urgency?: CaseUrgency;
  clock?: 'natural' | 'working';
  limitMinutes?: number;
  extra?: TExtraField[];
};
type Major = {
  code: string;
  name: string;
  urgency: CaseUrgency;
  accept: string;
  close: string;
  clock?: 'natural' | 'working';
  limitMinutes?: number;
  subs: Sub[];
};

/**
 * DOMAIN.md's categories (大类 › 小类, default urgency). The default limits come from the urgency (red 2 h, yellow
 * 24 h, blue 72 h, natural time); 民生诉求 is office work, so it counts working time: 21 working hours = 3 working days
 * of 7 h. Used by migration 0003: treat as frozen, change categories through the API.
 */
export const defaultCategories: Major[] = [
  {
    code: 'dispute',
    name: '矛盾纠纷',
    urgency: 'yellow',
    accept: '当事人明确、纠纷事实清楚、属本辖区调处范围',
    close: '纠纷已调处，当事人签字确认或达成调解协议',
    subs: [
      {
        code: 'dispute.neighbour',
        name: '邻里纠纷',
        extra: [{ key: 'parties', label: '当事人数', type: 'number', required: false }],
      },
      { code: 'dispute.family', name: '家庭纠纷' },
      { code: 'dispute.property', name: '物业纠纷' },
      { code: 'dispute.labour', name: '劳资纠纷' },
      { code: 'dispute.land', name: '土地纠纷' },
    ],
  },
  {
    code: 'safety',
    name: '安全隐患',
    urgency: 'red',
    accept: '现场核实存在隐患，位置明确',
    close: '隐患已消除或已采取有效管控措施，附处置后照片',
    subs: [
      { code: 'safety.fire', name: '消防' },
      {
        code: 'safety.gas',
        name: '燃气',
        extra: [{ key: 'smell', label: '是否有燃气异味', type: 'single', required: true, options: ['有', '无'] }],
      },
      { code: 'safety.falling', name: '高空坠物' },
      { code: 'safety.building', name: '危房' },
      { code: 'safety.ebike', name: '电动车违规充电' },
    ],
  },
  {
    code: 'environment',
    name: '环境卫生',
    urgency: 'blue',
    accept: '现场可见，位置明确',
    close: '现场已清理恢复，附处置后照片',
    subs: [
      { code: 'environment.garbage', name: '垃圾堆放' },
      { code: 'environment.sewage', name: '污水外溢' },
      { code: 'environment.graffiti', name: '乱贴乱画' },
      { code: 'environment.greenery', name: '绿化损坏' },
    ],
  },
  {
    code: 'municipal',
    name: '市政设施',
    urgency: 'yellow',
    accept: '设施损坏属实，位置明确',
    close: '设施已修复或已移交权属单位并回复，附处置后照片',
    subs: [
      {
        code: 'municipal.streetlight',
        name: '路灯',
        extra: [{ key: 'lampNo', label: '灯杆编号', type: 'string', required: false }],
      },
      { code: 'municipal.road', name: '道路' },
      { code: 'municipal.manhole', name: '井盖', urgency: 'red' },
      { code: 'municipal.drain', name: '下水道' },
      { code: 'municipal.utility', name: '供水供电' },
    ],
  },
  {
    code: 'security',
    name: '治安防控',
    urgency: 'yellow',
    accept: '情况具体，有时间地点',
    close: '已核查处置或已移交公安机关并回复',
    subs: [
      { code: 'security.suspicious', name: '可疑情况' },
      { code: 'security.patrol', name: '治安巡查发现' },
    ],
  },
  {
    code: 'livelihood',
    name: '民生诉求',
    urgency: 'blue',
    clock: 'working',
    limitMinutes: 1260,
    accept: '诉求人身份及诉求内容明确',
    close: '已答复诉求人，符合条件的已办理',
    subs: [
      { code: 'livelihood.relief', name: '困难救助' },
      { code: 'livelihood.employment', name: '就业' },
      {
        code: 'livelihood.elderly',
        name: '养老',
        extra: [
          {
            key: 'needs',
            label: '需求类型',
            type: 'multi',
            required: false,
            options: ['助餐', '助洁', '助医', '助浴', '日间照料'],
          },
        ],
      },
      { code: 'livelihood.medical', name: '医疗' },
    ],
  },
  {
    code: 'construction',
    name: '违法建设',
    urgency: 'yellow',
    accept: '现场核实存在违建或占道',
    close: '已拆除、恢复或已移交执法部门立案，附照片',
    subs: [
      {
        code: 'construction.illegal',
        name: '违建',
        extra: [{ key: 'foundOn', label: '发现日期', type: 'date', required: false }],
      },
      { code: 'construction.occupation', name: '占道' },
    ],
  },
  {
    code: 'special',
    name: '特殊人群',
    urgency: 'red',
    accept: '对象身份明确，情况紧急程度已核实',
    close: '对象已得到帮扶或管控，情况稳定',
    subs: [
      { code: 'special.elderly_alone', name: '独居老人异常' },
      { code: 'special.mental', name: '精神障碍患者' },
      { code: 'special.correction', name: '社区矫正' },
    ],
  },
];

export async function seedCategories(db: Kysely<unknown>, now: Date): Promise<void> {
  for (const [i, m] of defaultCategories.entries()) {
    const major = await sql<{ id: string }>`
      insert into case_categories (code, name, accept_condition, close_condition, clock, sort, updated_at)
      values (${m.code}, ${m.name}, ${m.accept}, ${m.close}, ${m.clock ?? 'natural'}, ${i}, ${now})
      returning id`.execute(db);
    const parentId = major.rows[0]?.id;
    for (const [j, s] of m.subs.entries()) {
      await sql`
        insert into case_categories (parent_id, code, name, default_urgency, time_limit_minutes, clock,
          accept_condition, close_condition, extra_fields, sort, updated_at)
        values (${parentId}, ${s.code}, ${s.name}, ${s.urgency ?? m.urgency}, ${s.limitMinutes ?? m.limitMinutes ?? null},
          ${s.clock ?? m.clock ?? 'natural'}, ${m.accept}, ${m.close}, ${JSON.stringify(s.extra ?? [])}::jsonb, ${j},
          ${now})`.execute(db);
    }
  }
}
