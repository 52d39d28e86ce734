import { assertNoDevelopmentPassword, developmentPasswordProblems } from './password-policy';
import { serviceDatabaseUrl } from './service-database';

const ledger = { service: 'ledger', role: 'ledger_svc' };
const SERVER = 'postgres://db.internal:5432/postrade';

describe('development database passwords', () => {
  describe('outside development (POSTRADE_DEV_KEYS unset or 0)', () => {
    it.each([{}, { POSTRADE_DEV_KEYS: '0' }])('refuse a service whose password is not set: it would use the development one (%j)', (mode) => {
      const env = { ...mode, DATABASE_URL: SERVER };
      expect(new URL(serviceDatabaseUrl(ledger, env)).password).toBe('ledger_svc-dev');
      expect(developmentPasswordProblems(ledger, env)).toEqual(['LEDGER_DB_PASSWORD is not set: ledger_svc would log in with its development password']);
    });

    it('refuse a blank password as not set', () => {
      expect(developmentPasswordProblems(ledger, { DATABASE_URL: SERVER, LEDGER_DB_PASSWORD: '  ' })).toHaveLength(1);
    });

    it('refuse the development password written out', () => {
      expect(developmentPasswordProblems(ledger, { DATABASE_URL: SERVER, LEDGER_DB_PASSWORD: 'ledger_svc-dev' })).toEqual([
        'LEDGER_DB_PASSWORD is the development password of ledger_svc; give the role its own password',
      ]);
    });

    it("refuse the development password in the service's own URL", () => {
      expect(developmentPasswordProblems(ledger, { LEDGER_DATABASE_URL: 'postgres://ledger_svc:ledger_svc-dev@db:5432/postrade' })).toEqual([
        'LEDGER_DATABASE_URL logs ledger_svc in with its development password; give the role its own password',
      ]);
    });

    it('accept a password of its own, given either way', () => {
      expect(developmentPasswordProblems(ledger, { DATABASE_URL: SERVER, LEDGER_DB_PASSWORD: 'x7!kQ-long-and-random' })).toEqual([]);
      expect(developmentPasswordProblems(ledger, { LEDGER_DATABASE_URL: 'postgres://ledger_svc:x7%21kQ@db:5432/postrade' })).toEqual([]);
    });

    it('refuse to start, naming the variable and never the password', () => {
      const refusal = () => assertNoDevelopmentPassword(ledger, { DATABASE_URL: SERVER, LEDGER_DB_PASSWORD: 'ledger_svc-dev' });
      expect(refusal).toThrow(/POSTRADE_DEV_KEYS=1[^]*LEDGER_DB_PASSWORD is the development password of ledger_svc/);
      expect(refusal).not.toThrow(/ledger_svc-dev/);
      expect(() => assertNoDevelopmentPassword(ledger, { DATABASE_URL: SERVER, LEDGER_DB_PASSWORD: 'x7!kQ-long-and-random' })).not.toThrow();
    });
  });

  it('are accepted in development (POSTRADE_DEV_KEYS=1)', () => {
    expect(developmentPasswordProblems(ledger, { POSTRADE_DEV_KEYS: '1', DATABASE_URL: SERVER })).toEqual([]);
    expect(() => assertNoDevelopmentPassword(ledger, { POSTRADE_DEV_KEYS: '1', DATABASE_URL: SERVER })).not.toThrow();
  });
});
