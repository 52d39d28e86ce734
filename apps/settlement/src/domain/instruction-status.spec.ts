import fc from 'fast-check';
import { DomainError } from '@postrade/kernel';
import { applyStatusUpdate, settlementStatusOf, type InstructionStatus, type StatusUpdate } from './instruction-status';
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

  it('refuses updates for an instruction not at the custodian, on party hold, or for another ISIN', () => {
    expect(rejection(() => apply(instructedStatus({ processingStatus: 'PENDING', pendingReason: 'SSI_MISSING' }), { status: 'MATCHED' })).message).toContain('PENDING (SSI_MISSING)');
    expect(rejection(() => apply(instructedStatus({ partyHold: true }), { status: 'SETTLED', effectiveDate: '2026-11-25' })).message).toContain('party hold');
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
