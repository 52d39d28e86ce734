import { sessionOptions } from './session-settings';

describe('session settings of every service connection', () => {
  it('sets the search path, the statement, lock and idle-in-transaction timeouts and an SSD page cost by default', () => {
    expect(sessionOptions({ schema: 'ledger' }, {})).toBe(
      '-c search_path=ledger -c statement_timeout=30000 -c lock_timeout=10000 -c idle_in_transaction_session_timeout=60000 -c random_page_cost=1.1',
    );
  });

  it('takes the timeouts from the environment', () => {
    expect(sessionOptions({ schema: 'ledger' }, { DATABASE_STATEMENT_TIMEOUT_MS: '5000', DATABASE_LOCK_TIMEOUT_MS: '750', DATABASE_RANDOM_PAGE_COST: '2' })).toMatch(
      /statement_timeout=5000 -c lock_timeout=750 .* -c random_page_cost=2$/,
    );
  });

  it('adds extra settings, escaping spaces', () => {
    expect(sessionOptions({ schema: 's', extra: { 'postrade.runtime_role': 's_svc', application_name: 'a b' } }, {})).toMatch(
      /-c postrade\.runtime_role=s_svc -c application_name=a\\ b$/,
    );
  });
});
