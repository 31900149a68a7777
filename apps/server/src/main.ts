import { ConfigError, loadConfig } from './config.ts';
import { DataDirLockedError } from './db/data-lock.ts';
import { startServer } from './runtime.ts';

try {
  await startServer(loadConfig());
} catch (e) {
  if (e instanceof ConfigError || e instanceof DataDirLockedError) {
    console.error(e.message);
    process.exit(2);
  }
  throw e;
}
