import { EventTypes, Topics } from '@postrade/contracts';
import type { EventSender } from '../bus';
import { Keys, type SimulationContext } from '../context';
import type { ScenarioTrade } from '../scenario';

/**
 * The counterparties: each sends its confirmation of a trade on `confirmations.inbound.v1` (key
 * its LEI) or by `POST /api/v1/confirmations` with its own key, agreeing or not as the scenario
 * says, early, on time or late, sometimes twice.
 */
export class Counterparties {
  private readonly pending: Promise<void>[] = [];

  constructor(private readonly context: SimulationContext) {}

  confirm(trade: ScenarioTrade, batch: ReturnType<EventSender['message']>[]): void {
    const { body, channel, resend } = trade.confirmation;
    if (body === null) return;
    const times = resend ? 2 : 1;
    if (channel === 'KAFKA') {
      for (let i = 0; i < times; i++) batch.push(this.context.sender.message(Topics.confirmationsInbound, EventTypes.confirmationReceived, body.senderLei, body));
      return;
    }
    this.pending.push(
      (async () => {
        for (let i = 0; i < times; i++) {
          await this.context.rest.expect([202], 'confirmation-matching', 'POST', '/api/v1/confirmations', { key: Keys.counterparty(body.senderLei), body });
        }
      })().catch((err) => {
        this.context.issues.push(`confirmation ${body.confirmationId}: ${err instanceof Error ? err.message : String(err)}`);
      }),
    );
  }

  async settled(): Promise<void> {
    await Promise.all(this.pending);
  }
}
