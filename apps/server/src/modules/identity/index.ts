export { type Action, authorize, can, permissions, requiresMfa } from './identity.policy.ts';
export { identityRoutes } from './identity.routes.ts';
export * as identity from './identity.service.ts';
export { createUserUnchecked, resolveSession, type SessionInfo } from './identity.service.ts';
export { passwordProblems } from './password.ts';
