// Auth0 Log Streams filter categories: each category's API name, its dashboard name and the type
// codes it covers. Source: Auth0's "Log Stream Filters" page (Log Streams → filter by category),
// newest copy; `management.fail` keeps `fapi` from an older copy of the page. A copy of the table is
// test/fixtures/auth0-log-stream-categories.tsv; test/categories.test.ts keeps the two in step.
//
// `other` lists no codes on that page: it means every type that no category lists. Here it is
// derived from the type table (src/auth0/log-types.ts), and a code newer than that table counts as
// `other` too (no category lists it).

import { LOG_TYPES } from '../auth0/log-types.js';

export interface LogCategory {
  /** The API name, as a Log Stream's filter uses it (`auth.login.fail`). */
  readonly name: string;
  /** The name the Auth0 dashboard shows (`Login - Failure`). */
  readonly dashboardName: string;
  /** The type codes in the category (for `other`: the known ones). */
  readonly codes: readonly string[];
}

type Row = readonly [name: string, dashboardName: string, codes: readonly string[]];

// prettier-ignore
const ROWS: readonly Row[] = [
  ['actions', 'Action Execution - Failure', ['actions_execution_failed']],
  ['auth.login.fail', 'Login - Failure', ['f', 'fc', 'fco', 'fcoa', 'fens', 'fp', 'fu']],
  ['auth.login.notification', 'Login - Notification', ['w']],
  ['auth.login.success', 'Login - Success', ['s', 'scoa', 'sens']],
  ['auth.logout.fail', 'Logout - Failure', ['flo', 'oidc_backchannel_logout_failed']],
  ['auth.logout.success', 'Logout - Success', ['oidc_backchannel_logout_succeeded', 'slo']],
  ['auth.signup.fail', 'Signup - Failure', ['fs']],
  ['auth.signup.success', 'Signup - Success', ['ss']],
  ['auth.silent_auth.fail', 'Silent Authentication - Failure', ['fsa']],
  ['auth.silent_auth.success', 'Silent Authentication - Success', ['ssa']],
  ['auth.token_exchange.fail', 'Token Exchange - Failure', ['feacft', 'feccft', 'fede', 'feoobft', 'feotpft', 'fepft', 'fepotpft', 'fercft', 'ferrt', 'fertft']],
  ['auth.token_exchange.success', 'Token Exchange - Success', ['seacft', 'seccft', 'sede', 'seoobft', 'seotpft', 'sepft', 'sercft', 'sertft']],
  ['management.fail', 'Management API - Failure', ['fapi']],
  ['management.success', 'Management API - Success', ['mgmt_api_read', 'sapi']],
  ['scim.event', 'SCIM Events', ['fscim', 'sscim']],
  ['system.notification', 'System - Notification', ['admin_update_launch', 'api_limit', 'coff', 'con', 'depnote', 'fcpro', 'fui', 'limit_delegation', 'limit_mu', 'limit_wc', 'sys_os_update_end', 'sys_os_update_start', 'sys_update_end', 'sys_update_start']],
  ['user.fail', 'User/Behavioral - Failure', ['fce', 'fcp', 'fcpn', 'fcpr', 'fcu', 'fd', 'fdeaz', 'fdecc', 'fdu', 'fn', 'fv', 'fvr', 'ss_sso_failure']],
  ['user.notification', 'User/Behavioral - Notification', ['cs', 'gd_enrollment_complete', 'gd_start_enroll', 'gd_unenroll', 'gd_update_device_account', 'ss_sso_info', 'ublkdu']],
  ['user.success', 'User/Behavioral - Success', ['sce', 'scp', 'scpn', 'scpr', 'scu', 'sdu', 'srrt', 'ss_sso_success', 'sui', 'sv', 'svr']],
];

export const OTHER_CATEGORY = 'other';

/** Every type code some category (other than `other`) lists. */
export const CATEGORIZED_TYPES: ReadonlySet<string> = new Set(ROWS.flatMap(([, , codes]) => codes));

/** The categories from the page, in its order, then `other` (the known types no category lists). */
export const LOG_CATEGORIES: ReadonlyMap<string, LogCategory> = new Map(
  [
    ...ROWS,
    [OTHER_CATEGORY, 'Other', [...LOG_TYPES.keys()].filter((code) => !CATEGORIZED_TYPES.has(code))] as const,
  ].map(([name, dashboardName, codes]): [string, LogCategory] => [
    name,
    Object.freeze({ name, dashboardName, codes: Object.freeze([...codes]) }),
  ]),
);
