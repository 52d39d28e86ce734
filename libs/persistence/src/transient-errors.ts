/**
 * Whether a database error is transient: the same work may succeed if tried again later, so it
 * must be waited out, never dead-lettered. SQLSTATE classes and codes per the Postgres manual
 * (Appendix A): connection exceptions (08), serialization failure and deadlock (40001, 40P01),
 * lock not available (55P03), statement timeout or cancel (57014), server shutting down or
 * restarting (57P01–57P03), insufficient resources (53), system errors (58). Also the node-level
 * failures of a connection that went away.
 */
const TRANSIENT_CODES = new Set(['40001', '40P01', '55P03', '57014', '57P01', '57P02', '57P03', '57P04', '25006']);
const TRANSIENT_CLASSES = ['08', '53', '58'];
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
const TRANSIENT_MESSAGES = [
  /connection terminated/i,
  /connection (?:is )?(?:closed|lost|ended)/i,
  /timeout exceeded when trying to connect/i,
  /client has encountered a connection error/i,
  /cannot use a pool after calling end/i,
  /server closed the connection/i,
  /terminating connection/i,
  /the database system is (?:starting up|shutting down|in recovery mode)/i,
  /query read timeout/i,
  /Query runner already released/i,
  // typeorm's QueryRunnerProviderAlreadyReleasedError: the server went away between two statements.
  /connection provided by a query runner was already released/i,
];

export function isTransientDatabaseError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 4; depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string') {
      if (TRANSIENT_CODES.has(code) || NETWORK_CODES.has(code)) return true;
      if (/^[0-9A-Z]{5}$/.test(code) && TRANSIENT_CLASSES.includes(code.slice(0, 2))) return true;
    }
    if (typeof message === 'string' && TRANSIENT_MESSAGES.some((re) => re.test(message))) return true;
    e = (e as { driverError?: unknown; cause?: unknown }).driverError ?? (e as { cause?: unknown }).cause;
  }
  return false;
}
