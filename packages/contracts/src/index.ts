export * from './audit.ts';
export * from './cases.ts';
export * from './common.ts';
export * from './identity.ts';
export * from './jurisdiction.ts';
export * from './registry.ts';
export * from './roles.ts';
