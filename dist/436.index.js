export const id = 436;
export const ids = [436];
export const modules = {

/***/ 1436:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CacheStore: () => (/* binding */ CacheStore),
/* harmony export */   isCheckpointKey: () => (/* binding */ isCheckpointKey)
/* harmony export */ });
/* harmony import */ var _actions_cache__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7131);
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3838);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(3916);
/* harmony import */ var _store_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(1683);






/**
 * The cache version hashes the path strings: save and restore must pass this identical list.
 * Relative to the working directory (the workspace on a runner).
 */
const CHECKPOINT_DIR = '.auth0-log-webhooks-checkpoint';
const CHECKPOINT_PATHS = [`${CHECKPOINT_DIR}/checkpoint.json`];
/** Longest pruning may take after a save. */
const PRUNE_TIMEOUT_MS = 10_000;
/**
 * The checkpoint as a small JSON file in the GitHub Actions cache. Keys are immutable, so every save
 * gets a new key `{prefix}{run_id}-{run_attempt}` (`-{n}` for further saves in one run) and a restore
 * with the restore key `{prefix}` picks the newest entry.
 */
class CacheStore {
    name;
    run;
    pruner;
    kind = 'cache';
    saves = 0;
    constructor(name, run, pruner) {
        this.name = name;
        this.run = run;
        this.pruner = pruner;
    }
    async load(signal) {
        if (!_actions_cache__WEBPACK_IMPORTED_MODULE_0__/* .isFeatureAvailable */ .w3()) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ActionError */ .l('The GitHub Actions cache service is not available to this step (ACTIONS_RESULTS_URL / ACTIONS_RUNTIME_TOKEN are not set).', 'Run the action in a GitHub Actions job, or use checkpoint-store: variable.');
        }
        if (!cacheModeAllows('read')) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ActionError */ .l(`ACTIONS_CACHE_MODE '${cacheMode()}' does not permit cache reads: the checkpoint could not be restored, and every run would begin at start-from again.`, 'Allow cache reads and writes for this workflow, or use checkpoint-store: variable.');
        }
        try {
            const { result: matched, failure, hit, } = await watchRestoreFailures(() => untilAborted(_actions_cache__WEBPACK_IMPORTED_MODULE_0__/* .restoreCache */ .P3([...CHECKPOINT_PATHS], this.key(1), [this.name]), signal, 'restore'));
            if (failure !== undefined) {
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ActionError */ .l(hit
                    ? `The checkpoint in the Actions cache (${hit}) could not be restored: ${failure}`
                    : `Could not look up the checkpoint in the Actions cache: ${failure}`, 'This is usually a passing fault of the cache service: re-run the failed job. If it persists, use checkpoint-store: variable.');
            }
            if (matched === undefined) {
                _actions_core__WEBPACK_IMPORTED_MODULE_1__/* .warning */ .$e(`No checkpoint in the Actions cache under '${this.name}': beginning at start-from. Expected on a first run; otherwise the entry was evicted (unused for 7 days) and events since start-from may be sent again.`);
                return undefined;
            }
            if (!isCheckpointKey(this.name, matched)) {
                // A restore key is a prefix: another stream whose name starts with ours could match.
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ActionError */ .l(`The cache entry '${matched}' matched the checkpoint prefix '${this.name}' but belongs to another stream.`, 'Give each stream a checkpoint-name that is not the beginning of another one.');
            }
            const file = JSON.parse(await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.readFile)(CHECKPOINT_PATHS[0], 'utf8'));
            return (0,_store_js__WEBPACK_IMPORTED_MODULE_5__/* .validateStoredCheckpoint */ .M)(String(file.checkpoint ?? ''), `the cache entry ${matched}`);
        }
        catch (error) {
            if (error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ActionError */ .l)
                throw error;
            if (error instanceof SyntaxError) {
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ActionError */ .l(`The checkpoint in the cache under '${this.name}' is not valid JSON.`);
            }
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ActionError */ .l(`Could not restore the checkpoint from the cache: ${error.message}`);
        }
        finally {
            await removeCheckpointFile();
        }
    }
    /** Saves can only be proven by saving; what can be known beforehand is the cache mode. */
    prepare() {
        if (!cacheModeAllows('write')) {
            return Promise.reject(new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ActionError */ .l(`ACTIONS_CACHE_MODE '${cacheMode()}' does not permit cache writes: the checkpoint could not be saved, and the next run would send these events again.`, 'Allow cache reads and writes for this workflow, or use checkpoint-store: variable.'));
        }
        return Promise.resolve();
    }
    async save(checkpoint, signal) {
        this.saves++;
        const key = this.key(this.saves);
        const file = {
            checkpoint,
            savedAt: new Date().toISOString(),
            runId: this.run.runId,
            runAttempt: this.run.runAttempt,
            domain: this.run.domain,
        };
        let id;
        try {
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.mkdir)(CHECKPOINT_DIR, { recursive: true });
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.writeFile)(CHECKPOINT_PATHS[0], JSON.stringify(file) + '\n');
            id = await untilAborted(_actions_cache__WEBPACK_IMPORTED_MODULE_0__/* .saveCache */ .Io([...CHECKPOINT_PATHS], key), signal, 'save');
        }
        catch (error) {
            if (error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ActionError */ .l)
                throw error;
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ActionError */ .l(`Could not save the checkpoint to the Actions cache (key ${key}): ${error.message}`, 'Re-run the failed job; if it keeps failing, use checkpoint-store: variable.');
        }
        finally {
            await removeCheckpointFile();
        }
        if (id === -1) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ActionError */ .l(`The Actions cache did not save the checkpoint (key ${key}); the next run would send these events again.`, 'Re-run the failed job; if it keeps failing (cache quota, service outage), use checkpoint-store: variable.');
        }
        _actions_core__WEBPACK_IMPORTED_MODULE_1__/* .debug */ .Yz(`Checkpoint ${checkpoint} saved to the cache under ${key}.`);
        // Housekeeping after the save: it never holds the run for long.
        await this.pruner?.pruneOlder(this.name, key, AbortSignal.any([signal, AbortSignal.timeout(PRUNE_TIMEOUT_MS)]));
    }
    /** `{prefix}{run_id}-{run_attempt}`, and `-{n}` for the n-th save of one run. */
    key(n) {
        const base = `${this.name}${this.run.runId}-${this.run.runAttempt}`;
        return n <= 1 ? base : `${base}-${n}`;
    }
}
/** A key this stream saved: `{prefix}{run_id}-{run_attempt}[-{n}]` (a longer name sharing the prefix is not). */
function isCheckpointKey(prefix, key) {
    return key.startsWith(prefix) && /^\d+-\d+(-\d+)?$/.test(key.slice(prefix.length));
}
function cacheMode() {
    return (process.env.ACTIONS_CACHE_MODE ?? '').trim().toLowerCase();
}
/** The runner's cache mode (`read`, `write-only`, `none`, ...); unknown or unset values permit both, as in @actions/cache. */
function cacheModeAllows(access) {
    const mode = cacheMode();
    if (mode === 'none')
        return false;
    if (access === 'read')
        return mode !== 'write-only';
    return mode !== 'read';
}
/**
 * restoreCache reports every failure (service refused, unreachable, download or extraction failed)
 * only as a `Failed to restore: …` warning or error and then returns a miss. A miss here would mean
 * beginning at start-from and re-sending everything since, so that line is watched for and turned
 * into an error.
 */
async function watchRestoreFailures(restore) {
    const stdout = process.stdout;
    const write = stdout.write.bind(stdout);
    let failure;
    let hit;
    stdout.write = (chunk, ...rest) => {
        const match = /::(?:warning|error)[^:]*::Failed to restore: ([^\r\n]*)/.exec(String(chunk));
        if (match)
            failure ??= match[1];
        hit ??= /Cache hit for(?: restore-key)?: (\S+)/.exec(String(chunk))?.[1];
        return write(chunk, ...rest);
    };
    try {
        const result = await restore();
        return { result, failure, hit };
    }
    finally {
        stdout.write = write;
    }
}
/**
 * @actions/cache takes no abort signal: when `signal` aborts (the store's timeout, max-runtime's hard
 * stop, a cancel), the run stops waiting for it; the request is left behind and ends with the process.
 */
function untilAborted(work, signal, action) {
    if (signal.aborted)
        return Promise.reject(notAnswered(action));
    return new Promise((resolve, reject) => {
        const onAbort = () => reject(notAnswered(action));
        signal.addEventListener('abort', onAbort, { once: true });
        work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
}
function notAnswered(action) {
    return new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ActionError */ .l(`The GitHub Actions cache did not answer in time to ${action} the checkpoint (or the run was stopping).`, 'This is usually a passing fault of the cache service: re-run the failed job; the checkpoint is unchanged, so nothing is skipped. If it persists, use checkpoint-store: variable.');
}
async function removeCheckpointFile() {
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.rm)(node_path__WEBPACK_IMPORTED_MODULE_3___default().resolve(CHECKPOINT_DIR), { recursive: true, force: true });
}


/***/ }),

/***/ 1683:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   M: () => (/* binding */ validateStoredCheckpoint)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3838);
/* harmony import */ var _cursor_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8369);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3916);



/** A stored value must be a 56-digit log_id: anything else is reported, never silently replaced. */
function validateStoredCheckpoint(value, where, now = new Date()) {
    const trimmed = value.trim();
    if (!(0,_cursor_js__WEBPACK_IMPORTED_MODULE_1__/* .isLogId */ .QZ)(trimmed)) {
        const shown = trimmed.length > 80 ? `${trimmed.slice(0, 80)}…` : trimmed;
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ActionError */ .l(`The checkpoint stored in ${where} is not a 56-digit log_id: "${shown.replace(/[\u0000-\u001f\u007f]/g, '?')}".`, `Set it to a valid log_id (e.g. the last log_id you received), or delete it to begin at start-from.`);
    }
    // A well-formed id that embeds no real time, or a time in the future, would make every run
    // "caught up" and skip every event from then on: report it, never use it.
    const time = (0,_cursor_js__WEBPACK_IMPORTED_MODULE_1__/* .dateFromLogId */ .WS)(trimmed);
    if (trimmed !== _cursor_js__WEBPACK_IMPORTED_MODULE_1__/* .OLDEST_CURSOR */ .vv && (time === undefined || time.getTime() > now.getTime() + CLOCK_SKEW_MS)) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ActionError */ .l(`The checkpoint stored in ${where} (${trimmed}) ${time ? `embeds a time in the future (${time.toISOString()})` : 'embeds no valid time'}: reading from it would skip every event.`, `Set it to a log_id you received (they begin with 900 and the UTC time), or delete it to begin at start-from.`);
    }
    if (time && time.getTime() < AUTH0_EPOCH) {
        // Harmless (Auth0 answers with the oldest events it keeps) but probably not what was meant.
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`The checkpoint stored in ${where} embeds ${time.toISOString()}, before any Auth0 log: reading from the oldest log the tenant keeps.`);
    }
    return trimmed;
}
/** No Auth0 log is older than this (2013-01-01). */
const AUTH0_EPOCH = Date.UTC(2013, 0, 1);
/** Auth0's clock may run a little ahead of the runner's. */
const CLOCK_SKEW_MS = 5 * 60_000;


/***/ })

};
