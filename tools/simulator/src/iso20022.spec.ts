/* eslint-disable @nx/enforce-module-boundaries -- tools may use apps (type:tools → type:app); apps have no @scope path */
import { parseStatusMessage } from '../../../apps/settlement/src/api/iso20022/status-message.parser';
/* eslint-enable @nx/enforce-module-boundaries */
import { sese024, sese025, sese027, sese031 } from './iso20022';

// The trading-day simulator's custodian sends these: settlement must read them as meant.
describe("the simulator custodian's ISO 20022 messages", () => {
  const at = '2026-11-25T16:00:00Z';

  it('a sese.025 partial (AddtlParams/PrtlSttlm PAIN) is a partial settlement, a full one settles the remainder', () => {
    const base = { reference: 'PTR-1', isin: 'DE0007164600', quantity: '400', faceAmount: false, amount: { value: '40000.00', currency: 'EUR' }, effectiveDate: '2026-11-25', createdAt: at };
    expect(parseStatusMessage(sese025({ ...base, messageId: 'M1', partial: true }))).toMatchObject({
      kind: 'SETTLEMENT_CONFIRMATION',
      instructionReference: 'PTR-1',
      updates: [{ updateId: 'M1', status: 'PARTIALLY_SETTLED', settledQuantity: '400', settledAmount: '40000.00', effectiveDate: '2026-11-25' }],
    });
    expect(parseStatusMessage(sese025({ ...base, messageId: 'M2', partial: false })).updates[0].status).toBe('SETTLED');
  });

  it.each([
    [{ kind: 'MATCHED' } as const, { status: 'MATCHED' }],
    [{ kind: 'REJECTED' } as const, { status: 'REJECTED', statusReason: 'NORE' }],
    [{ kind: 'REJECTED', reasonCode: 'SAFE' } as const, { status: 'REJECTED', statusReason: 'SAFE' }],
    [{ kind: 'FAILING', reasonCode: 'LACK' } as const, { status: 'FAILED', failingParty: 'US', reasonCode: 'LACK' }],
  ])('a sese.024 %o', (status, update) => {
    expect(parseStatusMessage(sese024('M3', 'PTR-1', 'DE0007164600', status, at))).toMatchObject({ kind: 'SETTLEMENT_STATUS', updates: [update] });
  });

  it('a sese.027 is the cancellation confirmed, a sese.031 the hold or its release confirmed, each naming the request', () => {
    expect(parseStatusMessage(sese027('M4', 'C-REQ', 'PTR-1', at))).toMatchObject({
      kind: 'CANCELLATION_STATUS',
      requestReference: 'C-REQ',
      instructionReference: 'PTR-1',
      updates: [{ updateId: 'M4:CANCELLED', status: 'CANCELLED' }],
    });
    expect(parseStatusMessage(sese031('M5', 'H-REQ', 'PTR-1', true, at))).toMatchObject({ kind: 'HOLD_STATUS', requestReference: 'H-REQ', hold: true, updates: [{ status: 'HOLD_CONFIRMED' }] });
    expect(parseStatusMessage(sese031('M6', 'R-REQ', 'PTR-1', false, at))).toMatchObject({ kind: 'HOLD_STATUS', hold: false, updates: [{ status: 'RELEASE_CONFIRMED' }] });
    expect(parseStatusMessage(sese031('M7', 'H-REQ', 'PTR-1', true, at, 'LATE'))).toMatchObject({ kind: 'HOLD_STATUS', hold: true, updates: [{ status: 'HOLD_REJECTED', statusReason: 'LATE' }] });
  });
});
