import {
  AppError,
  apiKeys,
  ConfigError,
  createUserUnchecked,
  DataDirLockedError,
  demoBanner,
  jurisdiction,
  loadConfig,
  messageFor,
  migrateToLatest,
  openRuntime,
  seedDemo,
  startServer,
  systemCtx,
  verifyChain,
} from '@jiayuan/server';
import { Command, Option } from 'commander';
import { backup, restore } from './backup.ts';

const roleList = [
  'resident',
  'building_head',
  'grid_manager',
  'front_desk',
  'community_worker',
  'community_leader',
  'street_staff',
  'department_staff',
  'leader',
  'supervisor',
  'volunteer',
  'party_member',
  'deputy',
  'system_admin',
  'security_admin',
  'audit_admin',
] as const;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

const program = new Command()
  .name('jiayuan')
  .description('家园 Jiayuan — 社区治理与服务平台 · community governance and services')
  .showHelpAfterError();

program
  .command('start')
  .description('启动服务 start the server (embedded database unless DATABASE_URL is set)')
  .option('--port <port>', 'port (default PORT or 8080)')
  .action(async (o: { port?: string }) => {
    if (o.port) process.env.PORT = o.port;
    await startServer(loadConfig());
  });

program
  .command('migrate')
  .description('执行数据库迁移 run the database migrations')
  .action(async () => {
    const rt = await openRuntime(loadConfig(), { migrate: false });
    try {
      const done = await migrateToLatest(rt.database.db);
      console.log(done.length ? `已执行 applied: ${done.join(', ')}` : '已是最新 up to date');
    } finally {
      await rt.database.close();
    }
  });

program
  .command('seed')
  .description('生成数据 seed data')
  .option('--demo', '演示城市（岳阳市）与各角色演示账号 the demo city with one account per role')
  .action(async (o: { demo?: boolean }) => {
    if (!o.demo) throw new Error('请指定 --demo  (specify --demo)');
    const rt = await openRuntime(loadConfig());
    try {
      const r = await seedDemo(systemCtx({ db: rt.database.db, clock: rt.clock, keyring: rt.keyring }));
      console.log(
        r.created ? demoBanner(r.accounts) : '演示城市已存在，未做改动 the demo city exists already; nothing changed',
      );
      if (r.created)
        console.log(
          `districts ${r.counts.district}, streets ${r.counts.street}, communities ${r.counts.community}, grids ${r.counts.grid}`,
        );
    } finally {
      await rt.database.close();
    }
  });

const users = program.command('users').description('用户 users');
users
  .command('create')
  .description('新建用户（密码从标准输入读取）create a user; the password comes on standard input')
  .requiredOption('--username <name>')
  .addOption(new Option('--role <role...>', 'role(s)').choices(roleList as unknown as string[]).makeOptionMandatory())
  .requiredOption('--jurisdiction <code>', 'jurisdiction code, e.g. 430602001001')
  .option('--display-name <name>')
  .option('--password-stdin', 'read the password from standard input')
  .option('--mfa', 'require a TOTP second factor')
  .action(
    async (o: {
      username: string;
      role: string[];
      jurisdiction: string;
      displayName?: string;
      passwordStdin?: boolean;
      mfa?: boolean;
    }) => {
      if (!o.passwordStdin) throw new Error('请用 --password-stdin 从标准输入提供密码 (use --password-stdin)');
      const password = await readStdin();
      const rt = await openRuntime(loadConfig());
      try {
        const ctx = systemCtx({ db: rt.database.db, clock: rt.clock, keyring: rt.keyring });
        const node = await jurisdiction.nodeByCode(ctx, o.jurisdiction);
        if (!node) throw new AppError('not_found', 'JURISDICTION_NOT_FOUND');
        const { id } = await createUserUnchecked(ctx, {
          username: o.username,
          displayName: o.displayName ?? o.username,
          roles: o.role as (typeof roleList)[number][],
          jurisdictionId: node.id,
          password,
          mfaRequired: o.mfa ?? false,
          mustChangePassword: true,
        });
        console.log(
          `已创建 created ${o.username} (${id}) @ ${node.name}; 首次登录须修改密码 must change the password at first sign-in`,
        );
      } finally {
        await rt.database.close();
      }
    },
  );

const keys = program.command('keys').description('Open311 API 密钥 API keys of Open311 integrators');
keys
  .command('create')
  .description('签发 API 密钥，仅显示一次 issue an API key, printed once')
  .requiredOption('--name <name>', '对接方名称 name of the integrating party')
  .requiredOption('--jurisdiction <code>', '密钥可访问的辖区代码 jurisdiction code the key is limited to, e.g. 430602')
  .action(async (o: { name: string; jurisdiction: string }) => {
    const rt = await openRuntime(loadConfig());
    try {
      const ctx = systemCtx({ db: rt.database.db, clock: rt.clock, keyring: rt.keyring });
      const { key, apiKey } = await apiKeys.createApiKeyUnchecked(ctx, {
        name: o.name,
        jurisdictionCode: o.jurisdiction,
      });
      console.error(
        `已签发 issued "${apiKey.name}" (${apiKey.id}) @ ${apiKey.jurisdictionName} ${apiKey.jurisdictionCode}; ` +
          '密钥只显示这一次，请立即妥善保存 the key is shown only once: store it now',
      );
      console.log(key);
    } finally {
      await rt.database.close();
    }
  });
keys
  .command('list')
  .description('列出 API 密钥 list API keys')
  .action(async () => {
    const rt = await openRuntime(loadConfig());
    try {
      const ctx = systemCtx({ db: rt.database.db, clock: rt.clock, keyring: rt.keyring });
      for (const k of await apiKeys.listApiKeysUnchecked(ctx))
        console.log(
          [
            k.id,
            k.prefix,
            k.name,
            k.jurisdictionCode,
            k.createdAt,
            k.revokedAt ? `revoked ${k.revokedAt}` : 'active',
          ].join('\t'),
        );
    } finally {
      await rt.database.close();
    }
  });
keys
  .command('revoke <id>')
  .description('吊销 API 密钥 revoke an API key')
  .action(async (id: string) => {
    const rt = await openRuntime(loadConfig());
    try {
      const ctx = systemCtx({ db: rt.database.db, clock: rt.clock, keyring: rt.keyring });
      const k = await apiKeys.revokeApiKeyUnchecked(ctx, id);
      console.log(`已吊销 revoked "${k.name}" (${k.id})`);
    } finally {
      await rt.database.close();
    }
  });

program
  .command('backup <file>')
  .description('备份 back up the database to FILE')
  .action(async (file: string) => console.log(await backup(loadConfig(), file)));
program
  .command('restore <file>')
  .description('恢复 restore the database from FILE (stop the server first)')
  .action(async (file: string) => console.log(await restore(loadConfig(), file)));

program
  .command('audit')
  .description('审计 audit')
  .command('verify')
  .description('校验审计链 verify the audit chain; exits 1 and names the first bad row')
  .action(async () => {
    const rt = await openRuntime(loadConfig());
    try {
      const r = await verifyChain(rt.database.db);
      if (r.ok) console.log(`审计链完整 audit chain OK: ${r.rows} rows`);
      else {
        console.error(`审计链被篡改 AUDIT CHAIN BROKEN at row id ${r.firstBadId}: ${r.problem} (${r.rows} rows read)`);
        process.exitCode = 1;
      }
    } finally {
      await rt.database.close();
    }
  });

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof AppError) {
    console.error(
      `${messageFor(e.code, 'zh-CN', e.params)} / ${messageFor(e.code, 'en', e.params)}${e.details ? ` ${JSON.stringify(e.details)}` : ''}`,
    );
    process.exit(2);
  }
  if (e instanceof ConfigError || e instanceof DataDirLockedError) {
    console.error(e.message);
    process.exit(2);
  }
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
}
