import { createHash } from 'node:crypto';
import { DomainError } from '@postrade/kernel';
import type { TransactionRunner, IdempotencyKeyRepository } from '@postrade/persistence';
import type { ConfirmationTerms } from '../../domain/confirmation';
import type { ConfirmationResource } from '../rematch/match-resources';
import type { ReceiveConfirmationsHandler } from '../receive-confirmations/receive-confirmations.command-handler';

/**
 * The REST entry for one confirmation: one transaction around the receive use case, with the
 * `Idempotency-Key` (when given) claimed in that same transaction, so that the same key and body
 * replay the first response and the same key with another body is refused.
 */
export class SubmitConfirmationHandler {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly receive: ReceiveConfirmationsHandler,
    private readonly idempotencyKeys: IdempotencyKeyRepository,
  ) {}

  submit(terms: ConfirmationTerms, idempotency?: { principal: string; key: string }): Promise<ConfirmationResource> {
    return this.transactions.run(async (em) => {
      const requestHash = hashOf(terms);
      if (idempotency !== undefined) {
        const stored = await this.idempotencyKeys.claim(em, idempotency.principal, idempotency.key, requestHash);
        if (stored !== null) {
          if (stored.requestHash !== requestHash) {
            throw DomainError.unprocessable('This Idempotency-Key was already used with a different request body', [
              { field: 'Idempotency-Key', message: 'was already used with a different request body' },
            ]);
          }
          return stored.body as ConfirmationResource;
        }
      }
      const [resource] = await this.receive.execute(em, [{ terms }]);
      if (idempotency !== undefined) await this.idempotencyKeys.complete(em, idempotency.principal, idempotency.key, 202, resource);
      return resource;
    });
  }
}

/** The request's fingerprint: its fields in a fixed order, so that key order in the body does not matter. */
function hashOf(terms: ConfirmationTerms): string {
  const fields = Object.keys(terms).sort() as (keyof ConfirmationTerms)[];
  return createHash('sha256')
    .update(JSON.stringify(fields.map((f) => [f, terms[f]])))
    .digest('hex');
}
