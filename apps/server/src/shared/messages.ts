import type { Language } from '@jiayuan/contracts';

export type Msg = { zh: string; en: string };

/** Every error code's message, 简体中文 first. Placeholders: {name}. */
export const messages: Record<string, Msg> = {
  INTERNAL: { zh: '服务器内部错误，请稍后重试', en: 'Internal server error, please try again later' },
  UNAVAILABLE: { zh: '服务暂不可用，请稍后重试', en: 'Service temporarily unavailable, please retry shortly' },
  VALIDATION_FAILED: { zh: '提交的内容不符合要求', en: 'The request is not valid' },
  MALFORMED_BODY: { zh: '请求体格式错误', en: 'The request body is malformed' },
  PAYLOAD_TOO_LARGE: { zh: '请求内容过大', en: 'The request is too large' },
  UNSUPPORTED_MEDIA_TYPE: { zh: '不支持的内容类型', en: 'Unsupported content type' },
  ROUTE_NOT_FOUND: { zh: '请求的地址不存在', en: 'No such route' },
  NOT_FOUND: { zh: '未找到该记录', en: 'Not found' },
  ACCESS_FORBIDDEN: { zh: '无权执行此操作', en: 'You are not allowed to do this' },
  CSRF_REJECTED: { zh: '请求来源不被允许', en: 'Cross-site request rejected' },
  RATE_LIMITED: { zh: '操作过于频繁，请稍后再试', en: 'Too many requests, please slow down' },
  AUTH_REQUIRED: { zh: '请先登录', en: 'Please sign in' },
  SESSION_EXPIRED: { zh: '登录已超时，请重新登录', en: 'Your session has expired, please sign in again' },
  IDENTITY_INVALID_CREDENTIALS: { zh: '用户名或密码错误', en: 'Wrong username or password' },
  IDENTITY_LOCKED: {
    zh: '连续登录失败次数过多，账号已锁定，请 {minutes} 分钟后再试或联系安全管理员',
    en: 'Too many failed sign-ins: the account is locked; try again in {minutes} min or ask the security administrator',
  },
  IDENTITY_DISABLED: { zh: '用户名或密码错误', en: 'Wrong username or password' },
  IDENTITY_TOTP_INVALID: { zh: '动态验证码错误或已使用', en: 'The one-time code is wrong or was already used' },
  IDENTITY_TOTP_FORMAT: { zh: '动态验证码为6位数字', en: 'The one-time code has 6 digits' },
  IDENTITY_TOTP_NOT_PENDING: { zh: '当前无需输入动态验证码', en: 'No one-time code is expected now' },
  IDENTITY_TOTP_ALREADY_ENABLED: { zh: '已启用双因素认证', en: 'Two-factor sign-in is already enabled' },
  IDENTITY_STEP_REQUIRED: { zh: '请先完成登录的下一步', en: 'Finish the next sign-in step first' },
  IDENTITY_PASSWORD_POLICY: { zh: '新密码不符合密码规则', en: 'The new password breaks the password rules' },
  IDENTITY_PASSWORD_REUSED: { zh: '不能使用最近 5 次用过的密码', en: 'You cannot reuse one of your last 5 passwords' },
  IDENTITY_CURRENT_PASSWORD_WRONG: { zh: '当前密码错误', en: 'The current password is wrong' },
  IDENTITY_USERNAME_TAKEN: { zh: '用户名已存在', en: 'This username is taken' },
  IDENTITY_USERNAME_FORMAT: {
    zh: '用户名为 3–64 位字母、数字、下划线、点或连字符',
    en: 'Usernames have 3–64 letters, digits, _ . or -',
  },
  IDENTITY_ADMIN_ROLES_EXCLUSIVE: {
    zh: '三权分立：系统管理员、安全管理员、审计管理员不能由同一账号兼任',
    en: 'Separation of duties: one account cannot hold two of the system, security and audit administrator roles',
  },
  IDENTITY_USER_NOT_FOUND: { zh: '未找到该用户', en: 'User not found' },
  IDENTITY_CANNOT_CHANGE_SELF: {
    zh: '不能修改自己的角色或状态',
    en: 'You cannot change your own roles or status',
  },
  JURISDICTION_NOT_FOUND: { zh: '未找到该辖区节点', en: 'Jurisdiction node not found' },
  JURISDICTION_CODE_TAKEN: { zh: '辖区代码已存在', en: 'This jurisdiction code is already used' },
  JURISDICTION_CODE_FORMAT: { zh: '辖区代码格式不正确', en: 'The jurisdiction code has the wrong format' },
  JURISDICTION_CODE_MISMATCH: {
    zh: '辖区代码应为 {length} 位数字，且以上级代码开头',
    en: 'The code must have {length} digits and start with its parent code',
  },
  JURISDICTION_LEVEL_INVALID: { zh: '网格下不能再建下级节点', en: 'A grid cannot have children' },
  JURISDICTION_RETIRED: { zh: '该辖区节点已撤销', en: 'This jurisdiction node is retired' },
  JURISDICTION_HAS_ACTIVE_CHILDREN: {
    zh: '请先撤销或迁移其下级节点',
    en: 'Retire or move its children first',
  },
  JURISDICTION_MOVE_INVALID: {
    zh: '只能迁移到上一层级的有效节点下，且不能移到自身下级',
    en: 'A node can only move under an active node one level up, never under itself',
  },
  AUDIT_CHAIN_BROKEN: { zh: '审计日志校验失败', en: 'The audit chain does not verify' },
};

/** Modules add their own codes from their `<module>.messages.ts`. */
export function defineMessages(more: Record<string, Msg>): void {
  for (const [code, m] of Object.entries(more)) {
    if (messages[code] && messages[code] !== m) throw new Error(`message code defined twice: ${code}`);
    messages[code] = m;
  }
}

export function messageFor(code: string, lang: Language, params: Record<string, string | number> = {}): string {
  const m = messages[code] ?? messages.INTERNAL;
  let text = lang === 'en' ? (m?.en ?? code) : (m?.zh ?? code);
  for (const [k, v] of Object.entries(params)) text = text.replaceAll(`{${k}}`, String(v));
  return text;
}

export function languageFrom(acceptLanguage: string | undefined): Language {
  if (!acceptLanguage) return 'zh-CN';
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh-CN';
}
