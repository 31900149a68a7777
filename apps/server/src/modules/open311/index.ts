import { registerScopedTable } from '../jurisdiction/index.ts';
import './open311.messages.ts';

export * as apiKeys from './api-keys.service.ts';
export { OPEN311_PREFIX, type Open311RouteOptions, open311Routes } from './open311.routes.ts';

// API keys carry a copy of their jurisdiction's path: moving the node rewrites it in the same transaction.
registerScopedTable('api_keys');
