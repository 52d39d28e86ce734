import { isTransientDatabaseError } from './transient-errors';

const pgError = (code: string, message = 'pg error') => Object.assign(new Error(message), { code });

describe('transient database errors (waited out, never dead-lettered)', () => {
  it.each([
    ['serialization failure', '40001'],
    ['deadlock', '40P01'],
    ['lock not available (lock_timeout)', '55P03'],
    ['statement timeout or cancel', '57014'],
    ['administrator shutdown (server restarting)', '57P01'],
    ['cannot connect now (server starting)', '57P03'],
    ['connection failure', '08006'],
    ['too many connections', '53300'],
  ])('treats %s (%s) as transient', (_, code) => {
    expect(isTransientDatabaseError(pgError(code))).toBe(true);
  });

  it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT'])('treats a %s socket error as transient', (code) => {
    expect(isTransientDatabaseError(pgError(code, 'connect failed'))).toBe(true);
  });

  it('sees a transient cause through the ORM wrapper', () => {
    expect(isTransientDatabaseError({ message: 'QueryFailedError', driverError: pgError('40001') })).toBe(true);
    expect(isTransientDatabaseError(new Error('Connection terminated unexpectedly'))).toBe(true);
  });

  it.each([
    ['unique violation', '23505'],
    ['check violation', '23514'],
    ['undefined table (a bug)', '42P01'],
    ['permission denied (a grant is missing)', '42501'],
    ['invalid numeric input', '22P02'],
  ])('does not treat %s (%s) as transient', (_, code) => {
    expect(isTransientDatabaseError(pgError(code))).toBe(false);
  });

  it('does not treat an ordinary error as transient', () => {
    expect(isTransientDatabaseError(new TypeError('undefined is not a function'))).toBe(false);
    expect(isTransientDatabaseError(undefined)).toBe(false);
  });
});
