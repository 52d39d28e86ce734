import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { BreakResource } from '@postrade/contracts';
import { DomainError } from '@postrade/kernel';
import type { TransactionRunner } from '@postrade/persistence';
import type { BreaksRepository, StoredBreak, WriteOffRequest } from '../../persistence/breaks.repository';
import type { BreakEvents, BreakTransition } from '../reconcile/break-events';
import { breakResource, closedOnAt } from '../reconcile/break-resource';

const isLive = (b: StoredBreak): boolean => b.status === 'OPEN' || b.status === 'ASSIGNED';

/**
 * Working a break: assign, comment, resolve with a reason, and write off with two people (one
 * proposes, a supervisor who is not the proposer approves). Every action is audited and
 * published; a closed break takes comments but no other change.
 */
export class BreakWorkflow {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly breaks: BreaksRepository,
    private readonly events: BreakEvents,
    private readonly now: () => Date = () => new Date(),
  ) {}

  assign(breakId: string, assignee: string, by: string): Promise<BreakResource> {
    return this.change(breakId, by, 'ASSIGNED', (b) => ({ ...b, status: 'ASSIGNED', assignee }), 'changed');
  }

  resolve(breakId: string, reason: string, by: string): Promise<BreakResource> {
    return this.change(breakId, by, 'RESOLVED', (b, at) => ({ ...b, status: 'RESOLVED', resolution: reason, closedOn: closedOnAt(b, new Date(at)) }), 'closed');
  }

  comment(breakId: string, text: string, by: string): Promise<BreakResource> {
    return this.transactions.run(async (em) => {
      const stored = await this.mustGet(em, breakId, true);
      const at = this.now().toISOString();
      await this.breaks.addComment(em, randomUUID(), breakId, { by, at, text });
      const after = { ...stored, updatedAt: at };
      await this.breaks.update(em, [after]);
      const comments = await this.commentsOf(em, breakId);
      await this.events.record(em, by, [{ change: 'changed', action: 'COMMENTED', before: stored, after, comments }]);
      return breakResource(after, comments, this.now());
    });
  }

  proposeWriteOff(breakId: string, reason: string, by: string): Promise<WriteOffRequest> {
    return this.transactions.run(async (em) => {
      const stored = await this.mustGet(em, breakId, true);
      if (!isLive(stored)) throw DomainError.unprocessable(`break ${breakId} is ${stored.status}: only an open or assigned break can be written off`);
      const request: WriteOffRequest = {
        requestId: randomUUID(),
        breakId,
        reason,
        requestedBy: by,
        requestedAt: this.now().toISOString(),
        status: 'PENDING',
        decidedBy: null,
        decidedAt: null,
      };
      if (!(await this.breaks.insertWriteOff(em, request))) throw DomainError.conflict(`break ${breakId} already has a pending write-off request`, 'write-off-pending');
      await this.events.record(em, by, [], [{ actor: by, action: 'WRITE_OFF_PROPOSED', entityType: 'break', entityId: breakId, before: null, after: request }]);
      return request;
    });
  }

  approveWriteOff(breakId: string, requestId: string, by: string): Promise<WriteOffRequest> {
    return this.decide(breakId, requestId, by, 'APPROVED');
  }

  declineWriteOff(breakId: string, requestId: string, by: string): Promise<WriteOffRequest> {
    return this.decide(breakId, requestId, by, 'DECLINED');
  }

  private decide(breakId: string, requestId: string, by: string, decision: 'APPROVED' | 'DECLINED'): Promise<WriteOffRequest> {
    return this.transactions.run(async (em) => {
      const stored = await this.mustGet(em, breakId, true);
      const request = await this.breaks.writeOff(em, requestId, true);
      if (!request || request.breakId !== breakId) throw DomainError.notFound('Write-off request', requestId);
      if (request.status !== 'PENDING') throw DomainError.unprocessable(`write-off request ${requestId} is ${request.status}, not PENDING`);
      if (request.requestedBy === by) throw DomainError.forbidden('the supervisor who decides a write-off must not be the one who proposed it');
      const at = this.now().toISOString();
      await this.breaks.decideWriteOff(em, requestId, decision, by, at);
      const decided: WriteOffRequest = { ...request, status: decision, decidedBy: by, decidedAt: at };
      const audit = [{ actor: by, action: `WRITE_OFF_${decision}`, entityType: 'break', entityId: breakId, before: request, after: decided }];
      const transitions: BreakTransition[] = [];
      if (decision === 'APPROVED') {
        const after: StoredBreak = { ...stored, status: 'WRITTEN_OFF', resolution: request.reason, closedOn: closedOnAt(stored, new Date(at)), updatedAt: at };
        await this.breaks.update(em, [after]);
        transitions.push({ change: 'closed', action: 'WRITTEN_OFF', before: stored, after, comments: await this.commentsOf(em, breakId) });
      }
      await this.events.record(em, by, transitions, audit);
      return decided;
    });
  }

  private change(
    breakId: string,
    by: string,
    action: string,
    apply: (b: StoredBreak, at: string) => StoredBreak,
    change: 'changed' | 'closed',
  ): Promise<BreakResource> {
    return this.transactions.run(async (em) => {
      const stored = await this.mustGet(em, breakId, true);
      if (!isLive(stored)) throw DomainError.unprocessable(`break ${breakId} is ${stored.status}: it can no longer change`);
      const at = this.now().toISOString();
      const after = { ...apply(stored, at), updatedAt: at };
      await this.breaks.update(em, [after]);
      if (change === 'closed') await this.breaks.withdrawPending(em, [breakId], at);
      const comments = await this.commentsOf(em, breakId);
      await this.events.record(em, by, [{ change, action, before: stored, after, comments }]);
      return breakResource(after, comments, this.now());
    });
  }

  private async mustGet(em: EntityManager, breakId: string, lock: boolean): Promise<StoredBreak> {
    const stored = await this.breaks.get(em, breakId, lock);
    if (!stored) throw DomainError.notFound('Break', breakId);
    return stored;
  }

  private async commentsOf(em: EntityManager, breakId: string) {
    return (await this.breaks.comments(em, [breakId])).get(breakId) ?? [];
  }
}
