import * as core from '@actions/core';
import { run } from './main.js';

// The runner waits for the process to end; nothing (keep-alive sockets, timers) should hold it once run() is done.
await run().catch((error: unknown) =>
  core.setFailed(`Unexpected error: ${error instanceof Error ? error.message : String(error)}`),
);
process.exit();
