#!/usr/bin/env node
// The ghl-bridge command: runs the TypeScript sources directly through tsx, so a fresh `npm install` is all it needs.
import { register } from 'tsx/esm/api';

register();
await import('../main/cli.ts');
