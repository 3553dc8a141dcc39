export const id = 172;
export const ids = [172];
export const modules = {

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


/***/ }),

/***/ 3172:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   VariableStore: () => (/* binding */ VariableStore)
/* harmony export */ });
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2413);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3916);
/* harmony import */ var _store_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1683);



/** The checkpoint as the plain log_id in a repository variable, through the REST API. */
class VariableStore {
    name;
    repository;
    kind = 'variable';
    octokit;
    exists = false;
    constructor(name, token, repository) {
        this.name = name;
        this.repository = repository;
        this.octokit = (0,_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .getOctokit */ .Q)(token, { request: { retries: 0 } });
    }
    async load(signal) {
        try {
            const { data } = await this.octokit.rest.actions.getRepoVariable({
                ...this.repository,
                name: this.name,
                request: { signal },
            });
            this.exists = true;
            return (0,_store_js__WEBPACK_IMPORTED_MODULE_2__/* .validateStoredCheckpoint */ .M)(data.value, `the repository variable ${this.name}`);
        }
        catch (error) {
            if (error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l)
                throw error;
            if (statusOf(error) === 404)
                return undefined;
            throw this.explain(error, 'read', signal);
        }
    }
    async prepare(start, _stored, signal) {
        // Writing the current value back (or creating the variable) proves the token can write
        // before anything is delivered; otherwise every run would re-send the same events.
        await this.write(start, signal);
    }
    async save(checkpoint, signal) {
        await this.write(checkpoint, signal);
    }
    async write(value, signal) {
        const params = { ...this.repository, name: this.name, value, request: { signal } };
        try {
            if (this.exists) {
                await this.octokit.rest.actions.updateRepoVariable(params);
            }
            else {
                await this.octokit.rest.actions.createRepoVariable(params);
                this.exists = true;
            }
        }
        catch (error) {
            throw this.explain(error, 'write', signal);
        }
    }
    explain(error, action, signal) {
        if (signal.aborted) {
            return new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`GitHub did not answer in time to ${action} the repository variable ${this.name} (or the run was stopping).`, 'Re-run the failed job; the checkpoint is unchanged, so nothing is skipped.');
        }
        const status = statusOf(error);
        const message = error instanceof Error ? error.message : String(error);
        const where = `the repository variable ${this.name} in ${this.repository.owner}/${this.repository.repo}`;
        if (status === 403 && /not accessible by integration/i.test(message)) {
            return new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`Could not ${action} ${where}: GITHUB_TOKEN cannot write repository variables (403 Resource not accessible by integration).`, 'Pass github-token: a fine-grained personal access token or a GitHub App token with "Variables: read and write" on this repository (e.g. github-token: ${{ secrets.CHECKPOINT_TOKEN }}), or use checkpoint-store: cache.');
        }
        if (status === 401 || status === 403 || status === 404) {
            return new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`Could not ${action} ${where}: ${status} ${message}`, 'github-token needs "Variables: read and write" on this repository (fine-grained PAT or GitHub App token).');
        }
        return new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .l(`Could not ${action} ${where}: ${status ?? ''} ${message}`.replace(/\s+/g, ' '));
    }
}
function statusOf(error) {
    const status = error?.status;
    return typeof status === 'number' ? status : undefined;
}


/***/ })

};
