// Kept equal to package.json's version (a test checks); sent in the User-Agent.
export const VERSION = '1.0.0';
export const USER_AGENT = `auth0-log-webhooks/${VERSION}`;
