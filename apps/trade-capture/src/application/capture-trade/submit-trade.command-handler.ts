import { DomainError } from '@postrade/kernel';
import type { TransactionRunner, IdempotencyKeyRepository } from '@postrade/persistence';
import { contentHash, type CapturedTrade } from '../../domain/trade';
import type { CaptureTradeHandler } from './capture-trade.command-handler';
import type { CaptureTradeCommand } from './capture-trade.command';
import { assertMayWriteFor, mayUse, type SourceSystemScope } from './source-system-access';

/** What the API answers: 201 for a new trade, 200 for everything else (replay, amend, cancel). */
export interface SubmitResponse {
  status: 200 | 201;
  body: unknown;
}

/**
 * The synchronous (REST) entry to trade capture: one transaction around `CaptureTradeHandler`,
 * with the `Idempotency-Key` claimed in that same transaction so that the key and the trade commit
 * together or not at all. Upstream keys bound to source systems write only for those.
 */
export class SubmitTradeHandler {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly capture: CaptureTradeHandler,
    private readonly idempotencyKeys: IdempotencyKeyRepository,
  ) {}

  submit(command: CaptureTradeCommand, scope: SourceSystemScope, idempotency?: { principal: string; key: string; body: unknown }): Promise<SubmitResponse> {
    assertMayWriteFor(scope, command.sourceSystem);
    return this.transactions.run(async (em) => {
      if (idempotency !== undefined) {
        const requestHash = contentHash({ body: idempotency.body });
        const stored = await this.idempotencyKeys.claim(em, idempotency.principal, idempotency.key, requestHash);
        if (stored !== null) {
          if (stored.requestHash !== requestHash) {
            throw DomainError.unprocessable('This Idempotency-Key was already used with a different request body', [
              { field: 'Idempotency-Key', message: 'was already used with a different request body' },
            ]);
          }
          return { status: stored.status === 201 ? 201 : 200, body: stored.body };
        }
      }
      const result = await this.capture.execute(command, em);
      const response: SubmitResponse = { status: result.outcome === 'created' ? 201 : 200, body: result.trade };
      if (idempotency !== undefined) await this.idempotencyKeys.complete(em, idempotency.principal, idempotency.key, response.status, response.body);
      return response;
    });
  }

  /** Amend or cancel of a trade named by its platform id: 404 when there is no such trade for this caller. */
  async onTrade(tradeId: string, scope: SourceSystemScope, commandFor: (trade: CapturedTrade) => CaptureTradeCommand): Promise<SubmitResponse> {
    const result = await this.transactions.run((em) =>
      this.capture.executeOnTrade(
        tradeId,
        (trade) => {
          if (!mayUse(scope, trade.sourceSystem)) throw DomainError.notFound('Trade', tradeId);
          const command = commandFor(trade);
          assertMayWriteFor(scope, command.sourceSystem);
          return command;
        },
        em,
      ),
    );
    return { status: 200, body: result.trade };
  }
}
