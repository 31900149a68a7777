export { canonicalJson, chainHash, GENESIS_HASH } from './audit.chain.ts';
export { auditRoutes } from './audit.routes.ts';
export { type AuditRecord, recordAudit, searchAudit, type VerifyResult, verifyChain } from './audit.service.ts';
