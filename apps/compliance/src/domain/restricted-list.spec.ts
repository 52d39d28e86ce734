import { currentOrNextEntry, entriesInForceOn, type RestrictionPeriod } from './restricted-list';

const period = (kind: 'RESTRICTED' | 'WATCH', from: string, to: string | null, reason: string, lifted = false): RestrictionPeriod => ({ isin: 'US0378331005', kind, from, to, reason, lifted });
const strip = ({ lifted: _lifted, ...entry }: RestrictionPeriod) => entry;

describe('restricted and watch list periods', () => {
  const october = period('RESTRICTED', '2026-10-01', '2026-10-31', 'October');
  const open = period('RESTRICTED', '2026-11-10', null, 'open');
  const watch = period('WATCH', '2026-11-01', null, 'watch');
  const lifted = period('RESTRICTED', '2026-12-01', null, 'lifted', true);

  it('keeps every period: on a date, the latest-recorded period of each kind covering it, RESTRICTED and WATCH side by side', () => {
    const periods = [october, open, watch];
    expect(entriesInForceOn(periods, '2026-10-15')).toEqual([strip(october)]);
    expect(entriesInForceOn(periods, '2026-11-05')).toEqual([strip(watch)]);
    expect(entriesInForceOn(periods, '2026-11-20')).toEqual([strip(open), strip(watch)]);
    expect(entriesInForceOn(periods, '2026-09-30')).toEqual([]);
  });

  it('a later-recorded period wins on the dates it covers, and a removal takes the kind off from its date only', () => {
    const backdated = period('RESTRICTED', '2026-10-20', '2026-10-25', 'amended');
    expect(entriesInForceOn([october, backdated], '2026-10-22')).toEqual([strip(backdated)]);
    expect(entriesInForceOn([october, backdated], '2026-10-05')).toEqual([strip(october)]);
    expect(entriesInForceOn([october, open, lifted], '2026-12-02')).toEqual([]);
    expect(entriesInForceOn([october, open, lifted], '2026-11-20')).toEqual([strip(open)]);
  });

  it("a change's before: in force today, else the next, else the latest ended period", () => {
    expect(currentOrNextEntry([october, open], '2026-11-20')).toEqual(strip(open));
    expect(currentOrNextEntry([october, open], '2026-11-05')).toEqual(strip(open));
    expect(currentOrNextEntry([october], '2026-11-05')).toEqual(strip(october));
    expect(currentOrNextEntry([], '2026-11-05')).toBeNull();
  });
});
