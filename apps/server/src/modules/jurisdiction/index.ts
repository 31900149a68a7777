export { jurisdictionRoutes } from './jurisdiction.routes.ts';
export * as jurisdiction from './jurisdiction.service.ts';
export { codeFitsParent, registerScopedTable } from './jurisdiction.service.ts';
