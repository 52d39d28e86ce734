import fc from 'fast-check';
import { DomainError } from '@postrade/kernel';
import { applyStatusUpdate, custodianStateOf, settlementStatusOf, type InstructionStatus, type StatusUpdate } from './instruction-status';
import { instructedStatus } from './settlement.fixtures';

const ON = { isin: 'DE0007164600', currency: 'EUR' };
const apply = (status: InstructionStatus, update: Omit<StatusUpdate, 'updateId'>, id = 'U-1') => applyStatusUpdate(status, { updateId: id, ...update }, ON);

function rejection(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected the update to be rejected');
}

describe('partial settlement arithmetic', () => {
  it('adds partial settlements up and leaves the instruction PARTIALLY_SETTLED until the quantity is complete', () => {
    const first = apply(instructedStatus(), { status: 'PARTIALLY_SETTLED', settledQuantity: '300', settledAmount: '30000.00', effectiveDate: '2026-11-25' });
    expect(first.event).toBe('partially-settled');
    expect(first.status).toMatchObject({ settledQuantity: '300', settledAmount: '30000.00', matchingStatus: 'MATCHED' });
    const second = apply(first.status, { status: 'PARTIALLY_SETTLED', settledQuantity: '200.5', settledAmount: '20050.00', effectiveDate: '2026-11-26' }, 'U-2');
    expect(second.status).toMatchObject({ settledQuantity: '500.5', settledAmount: '50050.00' });
    expect(settlementStatusOf(second.status)).toBe('PARTIALLY_SETTLED');
    expect(second.change).toEqual({ updateId: 'U-2', settledQuantity: '200.5', settledAmount: '20050.00', effectiveDate: '2026-11-26' });
  });

  it('lets SETTLED settle exactly the remainder, quantity and amount, when it names none', () => {
    const partial = apply(instructedStatus(), { status: 'PARTIALLY_SETTLED', settledQuantity: '300', settledAmount: '30000.00', effectiveDate: '2026-11-25' });
    const settled = apply(partial.status, { status: 'SETTLED', effectiveDate: '2026-11-26' }, 'U-2');
    expect(settled.event).toBe('settled');
    expect(settled.change).toMatchObject({ settledQuantity: '700', settledAmount: '70000.00' });
    expect(settled.status).toMatchObject({ settledQuantity: '1000', settledAmount: '100000.00' });
    expect(settlementStatusOf(settled.status)).toBe('SETTLED');
  });

  it('rejects a SETTLED whose quantity is not the remainder', () => {
    const partial = apply(instructedStatus(), { status: 'PARTIALLY_SETTLED', settledQuantity: '300', settledAmount: '30000.00', effectiveDate: '2026-11-25' });
    const error = rejection(() => apply(partial.status, { status: 'SETTLED', settledQuantity: '600', effectiveDate: '2026-11-26' }, 'U-2'));
    expect(error).toMatchObject({ kind: 'unprocessable', errors: [{ field: 'settledQuantity' }] });
    expect(error.message).toContain('remainder, 700');
  });

  it('rejects an update that would settle more than instructed, by quantity or by amount', () => {
    const partial = apply(instructedStatus(), { status: 'PARTIALLY_SETTLED', settledQuantity: '900', settledAmount: '90000.00', effectiveDate: '2026-11-25' });
    const byQuantity = rejection(() => apply(partial.status, { status: 'PARTIALLY_SETTLED', settledQuantity: '100.01', settledAmount: '1.00', effectiveDate: '2026-11-26' }, 'U-2'));
    expect(byQuantity).toMatchObject({ kind: 'unprocessable', errors: [{ field: 'settledQuantity' }] });
    expect(byQuantity.message).toBe('would settle 100.01 but only 100 of 1000 remains unsettled');
    const byAmount = rejection(() => apply(partial.status, { status: 'PARTIALLY_SETTLED', settledQuantity: '50', settledAmount: '10000.01', effectiveDate: '2026-11-26' }, 'U-2'));
    expect(byAmount).toMatchObject({ errors: [{ field: 'settledAmount' }] });
  });

  it('refuses an amount finer than the currency’s minor unit', () => {
    const error = rejection(() => apply(instructedStatus(), { status: 'PARTIALLY_SETTLED', settledQuantity: '1', settledAmount: '100.005', effectiveDate: '2026-11-25' }));
    expect(error.errors).toEqual([{ field: 'settledAmount', message: 'must have at most 2 decimals for EUR' }]);
  });

  it('completes the instruction when partial settlements reach the full quantity', () => {
    const partial = apply(instructedStatus(), { status: 'PARTIALLY_SETTLED', settledQuantity: '1000', settledAmount: '100000.00', effectiveDate: '2026-11-25' });
    expect(partial.event).toBe('settled');
    expect(settlementStatusOf(partial.status)).toBe('SETTLED');
  });

  it('records who fails and why, and keeps a partly settled fail FAILING', () => {
    const failed = apply(instructedStatus({ settledQuantity: '100', settledAmount: '10000' }), { status: 'FAILED', failingParty: 'COUNTERPARTY', reasonCode: 'CLAC' });
    expect(failed.status).toMatchObject({ failing: true, failingParty: 'COUNTERPARTY', failReasonCode: 'CLAC' });
    expect(settlementStatusOf(failed.status)).toBe('FAILING');
  });

  it('refuses updates for an instruction not at the custodian, or for another ISIN', () => {
    expect(rejection(() => apply(instructedStatus({ processingStatus: 'PENDING', pendingReason: 'SSI_MISSING' }), { status: 'MATCHED' })).message).toContain('PENDING (SSI_MISSING)');
    expect(rejection(() => applyStatusUpdate(instructedStatus(), { updateId: 'U', status: 'MATCHED', isin: 'NL0000009165' }, ON)).errors).toEqual([
      { field: 'isin', message: expect.stringContaining('NL0000009165') },
    ]);
  });
});

describe('applying custodian updates (property)', () => {
  const QUANTITY = 1000;
  /** A custodian's story for one instruction: partials that stay within the quantity, maybe a final SETTLED, fails and a match. */
  const updates = fc
    .tuple(
      fc.array(fc.integer({ min: 1, max: 400 }), { maxLength: 4 }),
      fc.boolean(),
      fc.array(fc.constantFrom<['US', 'LACK'] | ['COUNTERPARTY', 'CLAC']>(['US', 'LACK'], ['COUNTERPARTY', 'CLAC']), { maxLength: 2 }),
      fc.boolean(),
    )
    .map(([partials, settles, fails, matches]) => {
      const list: StatusUpdate[] = [];
      let total = 0;
      partials.forEach((q, i) => {
        if (total + q > QUANTITY) return;
        total += q;
        list.push({ updateId: `P${i}`, status: 'PARTIALLY_SETTLED', settledQuantity: String(q), settledAmount: `${q * 100}.00`, effectiveDate: '2026-11-25' });
      });
      if (settles) list.push({ updateId: 'S', status: 'SETTLED', effectiveDate: '2026-11-27' });
      fails.forEach(([party, code], i) => list.push({ updateId: `F${i}`, status: 'FAILED', failingParty: party, reasonCode: code }));
      if (matches) list.push({ updateId: 'M', status: 'MATCHED' });
      return list;
    });

  /** Applies updates as the service does: an update id seen before has no second effect, a rejected one changes nothing. */
  function run(list: StatusUpdate[]): InstructionStatus {
    const seen = new Set<string>();
    return list.reduce((status, update) => {
      if (seen.has(update.updateId)) return status;
      try {
        const next = applyStatusUpdate(status, update, ON).status;
        seen.add(update.updateId);
        return next;
      } catch (error) {
        if (error instanceof DomainError) return status;
        throw error;
      }
    }, instructedStatus());
  }

  // Who failed is the latest report's word, so it is left out of the comparison.
  const outcome = (s: InstructionStatus) => ({
    settlementStatus: settlementStatusOf(s),
    matchingStatus: s.matchingStatus,
    settledQuantity: s.settledQuantity,
    settledAmount: s.settledAmount,
    failing: s.failing && settlementStatusOf(s) !== 'SETTLED',
  });

  it('reaches the same final state in any order, and applying every update twice changes nothing', () => {
    fc.assert(
      fc.property(
        updates.chain((list) => fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }))),
        ([list, shuffled]) => {
          const inOrder = outcome(run(list));
          expect(outcome(run(shuffled))).toEqual(inOrder);
          expect(outcome(run([...shuffled, ...list]))).toEqual(inOrder);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('effective date (issue 17): not in the future, not before the trade date', () => {
  const dates = { today: '2026-11-25', tradeDate: '2026-11-23' };
  const settle = (effectiveDate: string) => applyStatusUpdate(instructedStatus(), { updateId: 'U-1', status: 'SETTLED', effectiveDate }, ON, dates);

  it('refuses a SETTLED dated after the business today, naming effectiveDate', () => {
    const error = rejection(() => settle('2099-01-01'));
    expect(error.kind).toBe('unprocessable');
    expect(error.errors.map((f) => f.field)).toEqual(['effectiveDate']);
    expect(rejection(() => settle('2026-11-26')).message).toContain('in the future');
  });

  it('refuses an effective date before the trade date', () => {
    const error = rejection(() => settle('2026-11-22'));
    expect(error.errors.map((f) => f.field)).toEqual(['effectiveDate']);
    expect(error.message).toContain('before the trade date 2026-11-23');
  });

  it('accepts the trade date and today as bounds, and any date when the trade date is unknown but not in the future', () => {
    expect(settle('2026-11-23').status.settledQuantity).toBe('1000');
    expect(settle('2026-11-25').event).toBe('settled');
    expect(applyStatusUpdate(instructedStatus(), { updateId: 'U-1', status: 'SETTLED', effectiveDate: '2020-01-01' }, ON, { today: '2026-11-25', tradeDate: null }).event).toBe('settled');
  });
});

describe('failing party and MT548 reason code agree (issue 17)', () => {
  it.each([
    ['US', 'CLAC'],
    ['US', 'CMON'],
    ['COUNTERPARTY', 'LACK'],
    ['COUNTERPARTY', 'MONY'],
  ] as const)('refuses %s failing with %s, naming reasonCode', (failingParty, reasonCode) => {
    const error = rejection(() => apply(instructedStatus(), { status: 'FAILED', failingParty, reasonCode }));
    expect(error.kind).toBe('unprocessable');
    expect(error.errors.map((e) => e.field)).toEqual(['reasonCode']);
  });

  it.each([
    ['US', 'LACK'],
    ['US', 'MONY'],
    ['COUNTERPARTY', 'CLAC'],
    ['COUNTERPARTY', 'CMON'],
    ['US', 'OTHR'],
    ['COUNTERPARTY', 'OTHR'],
  ] as const)('accepts %s failing with %s', (failingParty, reasonCode) => {
    expect(apply(instructedStatus(), { status: 'FAILED', failingParty, reasonCode }).status).toMatchObject({ failing: true, failingParty, failReasonCode: reasonCode });
  });

  it('no longer shows the fail as current once the instruction settles in full, and keeps it while only partly settled', () => {
    const failed = apply(instructedStatus(), { status: 'FAILED', failingParty: 'US', reasonCode: 'LACK' });
    const partly = apply(failed.status, { status: 'PARTIALLY_SETTLED', settledQuantity: '400', settledAmount: '40000.00', effectiveDate: '2026-11-25' }, 'U-2');
    expect(partly.status).toMatchObject({ failing: true, failingParty: 'US', failReasonCode: 'LACK' });
    const settled = apply(partly.status, { status: 'SETTLED', effectiveDate: '2026-11-26' }, 'U-3');
    expect(settled.status).toMatchObject({ failing: false, failingParty: null, failReasonCode: null });
    expect(settlementStatusOf(settled.status)).toBe('SETTLED');
  });
});

describe("a SETTLED at the depository's amount within the matching tolerance (issue 17)", () => {
  const settle = (settledAmount: string, status = instructedStatus()) => apply(status, { status: 'SETTLED', settledAmount, effectiveDate: '2026-11-26' });

  it('accepts up to 2 units either way on an amount up to 100,000, at their amount, and shows the difference', () => {
    const above = settle('100001.50');
    expect(above.status.settledAmount).toBe('100001.50');
    expect(above.event).toBe('settled');
    expect(above.change).toMatchObject({ settledAmount: '100001.50', reason: expect.stringContaining('1.50 against ours 100000.00') });
    expect(above.amountDifference).toEqual({ ourAmount: '100000.00', depositoryAmount: '100001.50', difference: '1.50' });
    expect(settle('99998.00').amountDifference).toMatchObject({ difference: '-2.00' });
    expect(settle('100000.00').amountDifference).toBeUndefined();
  });

  it('keeps refusing (422 naming settledAmount) a difference beyond the tolerance', () => {
    expect(rejection(() => settle('100002.01')).errors.map((e) => e.field)).toEqual(['settledAmount']);
    expect(rejection(() => settle('99997.99')).errors.map((e) => e.field)).toEqual(['settledAmount']);
  });

  it('allows 25 units above 100,000', () => {
    const big = instructedStatus({ settlementAmount: '1000000.00' });
    expect(settle('1000025.00', big).amountDifference).toMatchObject({ difference: '25.00' });
    expect(rejection(() => settle('999974.99', big)).errors.map((e) => e.field)).toEqual(['settledAmount']);
  });
});

describe('the custodian message cycle (issue 17)', () => {
  it('records a settlement of an instruction on party hold (the fact wins) and raises SETTLED_WHILE_HELD for operations', () => {
    const settled = apply(instructedStatus({ partyHold: true }), { status: 'SETTLED', effectiveDate: '2026-11-25' });
    expect(settled.event).toBe('settled');
    expect(settlementStatusOf(settled.status)).toBe('SETTLED');
    expect(settled.exception).toMatchObject({ code: 'SETTLED_WHILE_HELD', updateId: 'U-1' });
    expect(custodianStateOf(settled.status).exceptions).toEqual([settled.exception]);
  });

  it('records the custodian\'s answers to our hold, release and cancellation requests, and that it has the instruction', () => {
    const requested = instructedStatus({ partyHold: true, custodian: { sent: true, hold: 'REQUESTED' } });
    const held = apply(requested, { status: 'HOLD_CONFIRMED' });
    expect(held.event).toBeNull();
    expect(custodianStateOf(held.status)).toMatchObject({ hold: 'CONFIRMED', acknowledged: true });
    expect(custodianStateOf(apply({ ...held.status, custodian: { ...held.status.custodian, hold: 'RELEASE_REQUESTED' } }, { status: 'RELEASE_CONFIRMED' }).status).hold).toBeNull();

    const cancelling = instructedStatus({ processingStatus: 'CANCELLED', custodian: { sent: true, acknowledged: true, cancellation: 'REQUESTED' } });
    const confirmed = apply(cancelling, { status: 'CANCELLED' });
    expect(confirmed.cancellationConfirmed).toBe(true);
    expect(custodianStateOf(confirmed.status).cancellation).toBe('CONFIRMED');
    const refused = apply(cancelling, { status: 'CANCELLATION_REJECTED', statusReason: 'CANS' });
    expect(refused.exception).toMatchObject({ code: 'CANCELLATION_REJECTED' });
    expect(custodianStateOf(refused.status)).toMatchObject({ cancellation: 'REJECTED', statusReason: 'CANS' });
    // Settled before our cancellation took: recorded, and operations told.
    expect(apply(cancelling, { status: 'SETTLED', effectiveDate: '2026-11-25' }).exception).toMatchObject({ code: 'SETTLED_AFTER_CANCELLATION_REQUEST' });
    expect(rejection(() => apply(instructedStatus(), { status: 'CANCELLATION_REJECTED' })).message).toContain('no cancellation');
  });

  it('records a hold the custodian refused, with its reason code, and raises HOLD_REJECTED: Postrade holds it, the depository does not', () => {
    const requested = instructedStatus({ partyHold: true, custodian: { sent: true, hold: 'REQUESTED' } });
    const refused = apply(requested, { status: 'HOLD_REJECTED', statusReason: 'LATE' });
    expect(refused.event).toBeNull();
    expect(refused.status.partyHold).toBe(true);
    expect(custodianStateOf(refused.status)).toMatchObject({ hold: 'REJECTED', holdReason: 'LATE', acknowledged: true });
    expect(refused.exception).toMatchObject({ code: 'HOLD_REJECTED', updateId: 'U-1' });
    expect(refused.exception!.message).toContain('LATE');
    expect(refused.exception!.message).toContain('may settle there');
    expect(custodianStateOf(refused.status).exceptions).toEqual([refused.exception]);
    // The same refusal again under another id raises nothing more; the depository then settles it: the fact wins.
    const again = apply(refused.status, { status: 'HOLD_REJECTED', statusReason: 'LATE' }, 'U-2');
    expect(again.exception).toBeUndefined();
    expect(custodianStateOf(again.status).exceptions).toHaveLength(1);
    expect(apply(refused.status, { status: 'SETTLED', effectiveDate: '2026-11-25' }, 'U-3').exception).toMatchObject({ code: 'SETTLED_WHILE_HELD' });
  });

  it('records a release the custodian refused and raises RELEASE_REJECTED: still held at the depository', () => {
    const releasing = instructedStatus({ partyHold: false, custodian: { sent: true, acknowledged: true, hold: 'RELEASE_REQUESTED' } });
    const refused = apply(releasing, { status: 'RELEASE_REJECTED', statusReason: 'NRGM' });
    expect(custodianStateOf(refused.status)).toMatchObject({ hold: 'RELEASE_REJECTED', holdReason: 'NRGM' });
    expect(refused.exception).toMatchObject({ code: 'RELEASE_REJECTED' });
    expect(refused.exception!.message).toContain('stays held at the depository');
    // Released there after all.
    expect(custodianStateOf(apply(refused.status, { status: 'RELEASE_CONFIRMED' }, 'U-2').status).hold).toBeNull();
  });

  it('records a refusal overtaken by our next request without an exception, and refuses one that answers nothing we asked', () => {
    // The hold refused after we asked for its release: nothing is held there, nothing to release.
    const overtaken = apply(instructedStatus({ custodian: { sent: true, hold: 'RELEASE_REQUESTED' } }), { status: 'HOLD_REJECTED' });
    expect(overtaken.exception).toBeUndefined();
    expect(custodianStateOf(overtaken.status).hold).toBeNull();
    // The release of a hold the depository does not have.
    expect(apply(instructedStatus({ custodian: { sent: true, hold: null } }), { status: 'RELEASE_REJECTED' }).exception).toBeUndefined();
    expect(rejection(() => apply(instructedStatus({ partyHold: true, custodian: { sent: true, hold: 'CONFIRMED' } }), { status: 'HOLD_REJECTED' })).message).toContain('no hold');
    expect(rejection(() => apply(instructedStatus(), { status: 'HOLD_REJECTED' })).message).toContain('no hold');
    expect(rejection(() => apply(instructedStatus({ custodian: { sent: true, hold: 'REQUESTED' } }), { status: 'RELEASE_REJECTED' })).message).toContain('no release');
  });

  it('settles a cash-only pair-off (no securities) by its cash, never at creation', () => {
    const pairOff = instructedStatus({ quantity: '0', settlementAmount: '1000.00' });
    expect(settlementStatusOf(pairOff)).toBe('PENDING');
    const settled = apply(pairOff, { status: 'SETTLED', settledAmount: '1000.00', effectiveDate: '2026-11-25' });
    expect(settled.event).toBe('settled');
    expect(settlementStatusOf(settled.status)).toBe('SETTLED');
    expect(rejection(() => apply(settled.status, { status: 'SETTLED', settledAmount: '1000.00', effectiveDate: '2026-11-25' }, 'U-2')).message).toContain('already settled');
  });

  it('settles a pair-off that moves nothing at all (no securities, no cash) when the depository confirms it, not before', () => {
    const nothing = instructedStatus({ quantity: '0', settlementAmount: '0.00' });
    expect(settlementStatusOf(nothing)).toBe('PENDING');
    const settled = apply(nothing, { status: 'SETTLED', effectiveDate: '2026-11-25' });
    expect(settled.event).toBe('settled');
    expect(settlementStatusOf(settled.status)).toBe('SETTLED');
  });
});
