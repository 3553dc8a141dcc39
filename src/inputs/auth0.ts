// auth0-domain, auth0-client-id, auth0-client-secret: the tenant and the M2M application's credentials.

import type { Settings } from '../settings.js';
import { checkNoControlCharacters, fail, isLoopbackHostname, quote, tryUrl, type Inputs } from './read.js';

export type Auth0Settings = Pick<Settings, 'auth0Origin' | 'auth0Domain' | 'clientId' | 'clientSecret'>;

const URL_SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

export function getAuth0Settings(inputs: Inputs): Auth0Settings {
  const { origin: auth0Origin, host: auth0Domain } = parseAuth0Domain(inputs.required('auth0-domain'));
  const clientId = inputs.required('auth0-client-id');
  checkNoControlCharacters('auth0-client-id', clientId);
  const clientSecret = inputs.required('auth0-client-secret');
  checkNoControlCharacters('auth0-client-secret', clientSecret);
  return { auth0Origin, auth0Domain, clientId, clientSecret };
}

/** `acme.us.auth0.com`, `acme.us.auth0.com:8443`, `https://acme.us.auth0.com/`, `http://127.0.0.1:4000`. */
function parseAuth0Domain(value: string): { origin: string; host: string } {
  const name = 'auth0-domain';
  checkNoControlCharacters(name, value);
  let url: URL | undefined;
  const scheme = URL_SCHEME.exec(value);
  if (scheme) {
    const protocol = (scheme[1] ?? '').toLowerCase();
    if (protocol !== 'https' && protocol !== 'http') {
      fail(name, `${quote(`${protocol}:`)} is not allowed; give the bare domain or an https:// origin`);
    }
    const rest = value.slice(scheme[0].length);
    const end = rest.search(/[/?#\\]/);
    const authority = end === -1 ? rest : rest.slice(0, end);
    const tail = end === -1 ? '' : rest.slice(end);
    if (authority.includes('@')) fail(name, 'contains credentials (user@host); give only the domain');
    if (authority === '') fail(name, `${quote(value)} has no host`);
    if (tail !== '' && tail !== '/') {
      fail(
        name,
        `${quote(value)} has a path, query or fragment; give only the domain or origin, without /api/v2 or the like`,
      );
    }
    url = tryUrl(`${protocol}://${authority}/`);
  } else {
    const host = value.endsWith('/') ? value.slice(0, -1) : value;
    if (host.includes('@')) fail(name, 'contains credentials (user@host); give only the domain');
    if (/[/?#\\\s]/.test(host)) {
      fail(
        name,
        `${quote(value)} is not a domain: give the host name with an optional :port, or an https:// origin`,
      );
    }
    url = tryUrl(`https://${host}/`);
  }
  if (!url || url.hostname === '') fail(name, `${quote(value)} is not a valid host name or origin`);
  if (url.hostname.length > 253)
    fail(name, `has a host name of ${url.hostname.length} characters, more than the 253 DNS allows`);
  if (url.protocol === 'http:' && !isLoopbackHostname(url.hostname)) {
    fail(
      name,
      `${quote(value)} uses http://, which is allowed only for loopback hosts (127.0.0.0/8, ::1, localhost) in tests; use https://`,
    );
  }
  // url.host is lower-cased and drops a default port (`:443` for https).
  return { origin: url.origin, host: url.host };
}
