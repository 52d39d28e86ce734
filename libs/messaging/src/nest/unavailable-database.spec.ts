import { resolveProblem } from '@postrade/platform';
import './messaging.module';

describe('a request that meets the database away', () => {
  it.each([
    ['the pool timing out', Object.assign(new Error('timeout exceeded when trying to connect'), {})],
    ['the server refusing connections', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['the session released between two statements', new Error('Database connection provided by a query runner was already released, cannot continue to use its querying methods anymore.')],
    ['the server shutting down', Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })],
  ])('is answered 503 (retry later), not 500, on %s', (_, error) => {
    const { problem, unexpected } = resolveProblem(error);
    expect(problem).toMatchObject({ status: 503, type: expect.stringContaining('service-unavailable') });
    expect(unexpected).toBe(false);
  });

  it('still answers a bug 500', () => {
    expect(resolveProblem(new TypeError('x is undefined')).problem.status).toBe(500);
  });
});
