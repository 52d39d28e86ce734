import { sourceCheckFailure } from './source-check';

describe('sourceCheckFailure', () => {
  it('passes an event whose ce_source owns its topic', () => {
    expect(sourceCheckFailure({ topic: 'compliance.decisions.v1' }, 'compliance')).toBeNull();
    expect(sourceCheckFailure({ topic: 'settlement.status.inbound.v1' }, 'custodian-gateway/CUST1')).toBeNull();
  });

  it('gives the reason to dead-letter an event from another source', () => {
    expect(sourceCheckFailure({ topic: 'compliance.decisions.v1' }, 'settlement')).toMatch(/^forged source: ce_source "settlement" may not publish on compliance\.decisions\.v1: only "compliance"/);
    expect(sourceCheckFailure({ topic: 'trades.inbound.v1' }, 'trade-capture')).toMatch(/only "oms-gateway"/);
  });
});
