import { ConfigError } from '@postrade/platform';
import { messagingRetentionRules, retentionChunkStatement, retentionSweepInterval, type RetentionRule } from './retention';

const HOUR = 3_600_000;

describe('retention rules and their one unit convention', () => {
  it('reads the messaging horizons as durations with their unit, under unit-free names', () => {
    const horizons = (env: Record<string, string>) => Object.fromEntries(messagingRetentionRules(env).map((r) => [r.table, r.horizonMs / HOUR]));
    expect(horizons({})).toEqual({ outbox: 24, inbox: 192, dead_letters: 720 });
    expect(horizons({ OUTBOX_RETENTION: '90m', INBOX_RETENTION: '10d', DEAD_LETTER_RETENTION: '48h' })).toEqual({ outbox: 1.5, inbox: 240, dead_letters: 48 });
  });

  it('refuses a horizon without its unit, naming the variable', () => {
    expect(() => messagingRetentionRules({ INBOX_RETENTION: '192' })).toThrow(ConfigError);
    expect(() => messagingRetentionRules({ INBOX_RETENTION: '192' })).toThrow(/INBOX_RETENTION="192"/);
  });

  it('sweeps every 10 minutes unless RETENTION_SWEEP_INTERVAL says otherwise, never more often than each second', () => {
    expect(retentionSweepInterval({})).toBe(600_000);
    expect(retentionSweepInterval({ RETENTION_SWEEP_INTERVAL: '30s' })).toBe(30_000);
    expect(() => retentionSweepInterval({ RETENTION_SWEEP_INTERVAL: '10ms' })).toThrow(/RETENTION_SWEEP_INTERVAL/);
    expect(() => retentionSweepInterval({ RETENTION_SWEEP_INTERVAL: '600000' })).toThrow(/RETENTION_SWEEP_INTERVAL/);
  });
});

describe('a retention chunk statement', () => {
  const rule: RetentionRule = { name: 'closed things', table: 'things', timestampColumn: 'closed_at', where: `status = 'CLOSED'`, horizonMs: HOUR };

  it('deletes at most one chunk of rows past the horizon that match the rule, by ctid', () => {
    const sql = retentionChunkStatement(rule, 100);
    expect(sql).toContain(`delete from things where ctid = any(array(select ctid from things where closed_at < $1 and (status = 'CLOSED') limit 100))`);
    expect(sql).toContain('(select count(*) from gone)::int as removed');
  });

  it('removes the dependents of the removed rows in the same statement', () => {
    const sql = retentionChunkStatement({ ...rule, dependents: [{ table: 'thing_parts', on: { owner: 'owner', thing_ref: 'ref' } }] }, 100);
    expect(sql).toContain('returning owner, ref)');
    expect(sql).toContain('dependent_0 as (delete from thing_parts d using gone where d.owner = gone.owner and d.thing_ref = gone.ref returning 1)');
    expect(sql).toContain('((select count(*) from dependent_0))::int as dependents');
  });

  it('refuses a rule whose table or column is not a plain identifier', () => {
    expect(() => retentionChunkStatement({ ...rule, table: 'things; drop table x' })).toThrow(/unsafe retention rule closed things/);
    expect(() => retentionChunkStatement({ ...rule, timestampColumn: 'Closed At' })).toThrow(/unsafe/);
    expect(() => retentionChunkStatement({ ...rule, dependents: [{ table: 'parts', on: { thing_id: 'id)--' } }] })).toThrow(/unsafe/);
    expect(() => retentionChunkStatement({ ...rule, dependents: [{ table: 'parts', on: {} }] })).toThrow(/names no column/);
  });
});
