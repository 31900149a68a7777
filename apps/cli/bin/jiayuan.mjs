#!/usr/bin/env node
// The `jiayuan` command. TypeScript sources run through tsx's loader: no build step between a clone and a start.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
