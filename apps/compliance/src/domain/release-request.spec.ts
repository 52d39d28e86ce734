import { DomainError } from '@postrade/kernel';
import { approve, assertApprovalSeesAlerts, assertCanPropose, decline, outcomeOnApproval, withdraw, type ReleaseRequest } from './release-request';

const pending: ReleaseRequest = {
  requestId: 'R-1',
  tradeId: 'T-1',
  action: 'RELEASE',
  reason: 'false positive',
  requestedBy: 'dev-ops',
  alertIds: ['A-1', 'A-2'],
  status: 'PENDING',
  createdAt: '2026-11-20T10:00:00.000Z',
  decidedBy: null,
  decidedAt: null,
};

describe('four-eyes release', () => {
  it('refuses the requester approving their own request as forbidden', () => {
    expect(() => approve(pending, 'dev-ops', '2026-11-20T11:00:00.000Z')).toThrow(expect.objectContaining({ kind: 'forbidden' }));
  });

  it('lets a second person approve, recording who and when', () => {
    expect(approve(pending, 'dev-supervisor', '2026-11-20T11:00:00.000Z')).toMatchObject({ status: 'APPROVED', decidedBy: 'dev-supervisor', decidedAt: '2026-11-20T11:00:00.000Z' });
  });

  it('decides a request once only', () => {
    const approved = approve(pending, 'dev-supervisor', '2026-11-20T11:00:00.000Z');
    expect(() => decline(approved, 'dev-supervisor', '2026-11-20T12:00:00.000Z')).toThrow(expect.objectContaining({ kind: 'conflict' }));
  });

  it('takes proposals only for a HELD trade without a pending request', () => {
    expect(() => assertCanPropose('HELD', null)).not.toThrow();
    expect(() => assertCanPropose('CLEARED', null)).toThrow(DomainError);
    expect(() => assertCanPropose('HELD', pending)).toThrow(expect.objectContaining({ kind: 'conflict' }));
  });

  it('turns an approved RELEASE into RELEASED and an approved REJECT into REJECTED', () => {
    expect(outcomeOnApproval('RELEASE')).toBe('RELEASED');
    expect(outcomeOnApproval('REJECT')).toBe('REJECTED');
  });

  it('never lets an approval resolve an alert raised after the request (409)', () => {
    expect(() => assertApprovalSeesAlerts(pending, ['A-1', 'A-2'])).not.toThrow();
    // One of them ended meanwhile: what is open was still seen.
    expect(() => assertApprovalSeesAlerts(pending, ['A-2'])).not.toThrow();
    expect(() => assertApprovalSeesAlerts(pending, ['A-1', 'A-3'])).toThrow(expect.objectContaining({ kind: 'conflict', code: 'alerts-changed' }));
  });

  it('refuses an approval whose approver names a set of alerts without one that is open (409)', () => {
    expect(() => assertApprovalSeesAlerts(pending, ['A-1', 'A-2'], ['A-1', 'A-2'])).not.toThrow();
    expect(() => assertApprovalSeesAlerts(pending, ['A-1', 'A-2'], ['A-1'])).toThrow(expect.objectContaining({ kind: 'conflict' }));
  });

  it('withdraws a request (a new alert, an amendment, a cancellation), after which it cannot be approved', () => {
    const withdrawn = withdraw(pending, 'system:compliance', '2026-11-20T11:00:00.000Z');
    expect(withdrawn).toMatchObject({ status: 'WITHDRAWN', decidedBy: 'system:compliance' });
    expect(() => approve(withdrawn, 'dev-supervisor', '2026-11-20T12:00:00.000Z')).toThrow(expect.objectContaining({ kind: 'conflict' }));
  });
});
