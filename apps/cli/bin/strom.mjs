#!/usr/bin/env node
// The `strom` command. Job modules and Strom itself (its packages export their TypeScript sources)
// are .ts files: register the tsx loader first (as worker threads do in
// libs/runtime/src/internal/exec/worker-boot.mjs), then start the CLI from its TypeScript entry.
import { register } from 'tsx/esm/api'

register()
await import('../src/main.ts')
