import type { Role } from '@jiayuan/contracts';
import type { Ctx } from '../../shared/context.ts';
import { createUserUnchecked } from '../identity/index.ts';
import { jurisdiction } from '../jurisdiction/index.ts';
import { communityNames, DEMO_PASSWORD, demoCity, demoDistricts, gridNames } from './demo.data.ts';

export type DemoAccount = { username: string; role: Role; displayName: string; where: string; mfa: boolean };

const insert = async (
  ctx: Ctx,
  parentPath: string | null,
  parentId: string | null,
  level: string,
  code: string,
  name: string,
) => {
  const now = ctx.clock.now();
  const row = await ctx.db
    .insertInto('jurisdictions')
    .values({
      code,
      name,
      level: level as never,
      parent_id: parentId,
      path: parentPath ? `${parentPath}.${code}` : code,
      updated_at: now,
    })
    .returning(['id', 'path'])
    .executeTakeFirstOrThrow();
  return { id: row.id, path: row.path };
};

/**
 * Seeds 岳阳市: 11 districts/counties, 2–3 streets each, 2 communities per street, 3 grids per community, and one
 * demo account per role. Idempotent: does nothing when the city exists.
 */
export async function seedDemo(
  ctx: Ctx,
): Promise<{ created: boolean; accounts: DemoAccount[]; counts: Record<string, number> }> {
  const existing = await jurisdiction.nodeByCode(ctx, demoCity.code);
  if (existing) return { created: false, accounts: [], counts: {} };
  const counts = { district: 0, street: 0, community: 0, grid: 0 };
  const anchors: Record<string, { id: string; name: string }> = {};
  await ctx.db.transaction().execute(async (trx) => {
    const tx = { ...ctx, db: trx };
    const city = await jurisdiction.createCityUnchecked(tx, demoCity);
    anchors.city = { id: city.id, name: city.name };
    let c = 0;
    for (const d of demoDistricts) {
      const dn = await insert(tx, city.path, city.id, 'district', d.code, d.name);
      counts.district++;
      if (!anchors.district) anchors.district = { id: dn.id, name: d.name };
      for (const [si, sname] of d.streets.entries()) {
        const scode = `${d.code}${String(si + 1).padStart(3, '0')}`;
        const sn = await insert(tx, dn.path, dn.id, 'street', scode, sname);
        counts.street++;
        if (!anchors.street) anchors.street = { id: sn.id, name: `${d.name}${sname}` };
        for (let k = 0; k < 2; k++) {
          const cname = `${communityNames[c % communityNames.length]}社区`;
          c++;
          const ccode = `${scode}${String(k + 1).padStart(3, '0')}`;
          const cn = await insert(tx, sn.path, sn.id, 'community', ccode, cname);
          counts.community++;
          if (!anchors.community) anchors.community = { id: cn.id, name: `${sname}${cname}` };
          for (const [gi, gname] of gridNames.entries()) {
            const gn = await insert(tx, cn.path, cn.id, 'grid', `${ccode}${String(gi + 1).padStart(2, '0')}`, gname);
            counts.grid++;
            if (!anchors.grid) anchors.grid = { id: gn.id, name: `${cname}${gname}` };
          }
        }
      }
    }
  });

  const plan: [Role, string, keyof typeof anchors][] = [
    ['resident', '李居民', 'grid'],
    ['building_head', '王楼长', 'grid'],
    ['grid_manager', '张网格', 'grid'],
    ['front_desk', '赵窗口', 'community'],
    ['community_worker', '刘社工', 'community'],
    ['community_leader', '陈书记', 'community'],
    ['street_staff', '杨街道', 'street'],
    ['department_staff', '黄科员', 'district'],
    ['leader', '周领导', 'city'],
    ['supervisor', '吴监督', 'community'],
    ['volunteer', '郑志愿', 'community'],
    ['party_member', '孙党员', 'community'],
    ['deputy', '马代表', 'community'],
    ['system_admin', '系统管理员', 'city'],
    ['security_admin', '安全管理员', 'city'],
    ['audit_admin', '审计管理员', 'city'],
  ];
  const accounts: DemoAccount[] = [];
  for (const [role, displayName, at] of plan) {
    const anchor = anchors[at];
    if (!anchor) continue;
    const username = `demo.${role}`;
    await createUserUnchecked(ctx, {
      username,
      displayName,
      roles: [role],
      jurisdictionId: anchor.id,
      password: DEMO_PASSWORD,
      mustChangePassword: false,
      isDemo: true,
    });
    accounts.push({ username, role, displayName, where: anchor.name, mfa: role.endsWith('_admin') });
  }
  return { created: true, accounts, counts };
}

export function demoBanner(accounts: DemoAccount[]): string {
  const lines = [
    '',
    '════════════════ 演示账号 DEMO ACCOUNTS — for trying Jiayuan only, never for real data ════════════════',
    `  密码 Password (all): ${DEMO_PASSWORD}`,
    '  管理员首次登录需绑定动态验证码 Admins enrol a TOTP authenticator at first sign-in.',
    ...accounts.map((a) => `  ${a.username.padEnd(24)} ${a.displayName}  @ ${a.where}`),
    '═══════════════════════════════════════════════════════════════════════════════════════════════════════',
    '',
  ];
  return lines.join('\n');
}
