import { setFlagsFromString } from 'node:v8';

/** Two V8 flags that V8 reads each time it sizes a heap space, so they still work once it runs. */
export const HEAP_FLAGS = [
  // Keep the young generation at its initial size instead of doubling it up to 128 MB.
  '--semi-space-growth-factor=1',
  // Schedule the next full GC at 1.25 × what the last one kept (V8 otherwise allows up to 4×).
  '--heap-growing-percent=25',
] as const;

/**
 * Keeps the process's memory close to what it holds, which is little: the action allocates a page
 * body, its parsed events and a request body (~60 kB each) per page and keeps almost none of it.
 * With V8's defaults, a run through a large backlog grows the young generation to its maximum and
 * lets garbage (and the request Buffers it keeps alive) pile up in the old one: ~315 MB peak RSS over
 * a million events, against ~120 MB with these flags, for a little more CPU per event (`npm run bench`,
 * scenario 4). An action cannot pass flags to the runner's `node`, and the size flags
 * (`--max-semi-space-size`, `--max-old-space-size`) are read once at start-up; these two are not.
 *
 * Called when run() starts, once the bundle is loaded: set before, the one-megabyte young generation
 * made loading it ~40 ms slower; set here, it keeps the few megabytes loading gave it.
 *
 * Only on the V8 major this was measured on (Node 24's 13.x): a future V8 may drop or rename them.
 * Neither flag can make a run fail for lack of memory; they only make the collector run sooner.
 */
export function keepHeapSmall(
  v8Version: string = process.versions.v8,
  setFlags: (flags: string) => void = setFlagsFromString,
): boolean {
  if (!v8Version.startsWith('13.')) return false;
  for (const flag of HEAP_FLAGS) setFlags(flag);
  return true;
}
