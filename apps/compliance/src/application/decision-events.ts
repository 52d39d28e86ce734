import type { EntityManager } from 'typeorm';
import { EventTypes, Topics, type ComplianceDecisionResource } from '@postrade/contracts';
import type { Outbox } from '@postrade/messaging';

const TYPE_BY_OUTCOME = {
  CLEARED: EventTypes.complianceCleared,
  HELD: EventTypes.complianceHeld,
  RELEASED: EventTypes.complianceReleased,
  REJECTED: EventTypes.complianceRejected,
} as const;

/** Where a change came from, for the events it publishes. */
export interface Causation {
  correlationId?: string;
  causationId?: string;
}

/** Publishes a batch's decisions through the outbox with one statement, in the given order. */
export async function publishDecisions(outbox: Outbox, em: EntityManager, decisions: readonly { decision: ComplianceDecisionResource; causation: Causation }[]): Promise<void> {
  await outbox.add(
    em,
    decisions.map(({ decision, causation }) => ({ topic: Topics.complianceDecisions, key: decision.tradeId, type: TYPE_BY_OUTCOME[decision.outcome], data: decision, ...causation })),
  );
}

/** Publishes a decision on `compliance.decisions.v1` (key tradeId) through the outbox, in the caller's transaction. */
export async function publishDecision(outbox: Outbox, em: EntityManager, decision: ComplianceDecisionResource, causation: Causation = {}): Promise<void> {
  await outbox.add(em, {
    topic: Topics.complianceDecisions,
    key: decision.tradeId,
    type: TYPE_BY_OUTCOME[decision.outcome],
    data: decision,
    ...causation,
  });
}
