import { Keys, readKey, tradeIdOf, type SimulationContext } from '../context';
import type { ExpectedTrade } from '../expected';
import type { ScenarioTrade } from '../scenario';
import { inPool, pollUntil } from '../http';

/** How long, by default, the platform may publish nothing of the run before a wait gives up on what is missing. */
export const STALL_MS = 20_000;

/**
 * Operations: once the day's trades and confirmations are in, they work the exception queues —
 * force-match the mismatches the scenario says were agreed by phone, affirm the matches whose
 * profile does not auto-affirm (each maker-checker: proposed by one ops key, approved by another
 * ops key or the supervisor), propose the release (or rejection) of compliance holds, which a
 * supervisor approves (two people: `dev-ops` or `dev-ops-2` proposes, `dev-supervisor` approves) —
 * and at the end of each settlement day close it.
 */
export class Operations {
  forceMatched = 0;
  affirmed = 0;
  releaseRequests = 0;
  approvals = 0;
  ssisRepaired = 0;

  constructor(private readonly context: SimulationContext) {}

  /** Trades whose state operations look at on `day`: those traded that day and those whose (late) confirmation came that day. */
  private tradesOf(day: string): ExpectedTrade[] {
    return this.context.expected.trades.filter((t) => t.tradeDate === day || t.opsDay === day);
  }

  /**
   * Waits (with a deadline) until the platform shows what operations need to see before acting:
   * every trade of the day at its final version, matched or not as its confirmation says, screened.
   */
  async awaitQueues(day: string, timeoutMs: number): Promise<{ sourceTradeId: string; waitingFor: string }[]> {
    const { observer } = this.context;
    /** What the trade still waits for, or null when operations can act on it. */
    const waitingFor = (t: ExpectedTrade): string | null => {
      const tradeId = tradeIdOf(this.context, t.sourceTradeId);
      if (!tradeId) return 'capture';
      const scenarioTrade = this.context.tradeOf(t.sourceTradeId);
      const intradayCancel = scenarioTrade.cancel?.when === 'INTRADAY';
      const liveVersion = scenarioTrade.versions[scenarioTrade.versions.length - 1].version;
      const captured = observer.captured.get(tradeId);
      const version = intradayCancel ? scenarioTrade.cancel!.version : liveVersion;
      if (!captured || captured.version !== version) return `capture v${version} (seen ${captured ? `v${captured.version}` : 'nothing'})`;
      const expectedMatch = t.opsDay === day || intradayCancel ? t.matchBeforeOps : 'UNMATCHED';
      const match = observer.matchStatus.get(tradeId);
      if (match !== expectedMatch) return `match ${expectedMatch} (seen ${match ?? 'nothing'})`;
      const decision = observer.decision.get(tradeId);
      if (decision === undefined || decision.tradeVersion !== liveVersion || decision.outcome !== t.complianceBeforeOps) {
        return `compliance ${t.complianceBeforeOps} v${liveVersion} (seen ${decision ? `${decision.outcome} v${decision.tradeVersion}` : 'nothing'})`;
      }
      return null;
    };
    const trades = this.tradesOf(day);
    // Done when every trade is there, or when nothing of the run has moved for a while (what is
    // missing then will not come: the final comparison reports it).
    await pollUntil(() => trades.every((t) => waitingFor(t) === null) || observer.quietFor(this.context.stallMs), timeoutMs, 250);
    return trades.flatMap((t) => {
      const reason = waitingFor(t);
      return reason === null ? [] : [{ sourceTradeId: t.sourceTradeId, waitingFor: reason }];
    });
  }

  async workExceptions(day: string): Promise<void> {
    const { rest, scenario } = this.context;
    const today = this.context.expected.trades.filter((t) => {
      if (t.opsDay !== day) return false;
      const known = tradeIdOf(this.context, t.sourceTradeId) !== undefined;
      if (!known && (t.ops.forceMatch || t.ops.affirm || t.ops.hold)) this.context.issues.push(`operations: ${t.sourceTradeId} was never captured, nothing to work on`);
      return known;
    });
    const tradeId = (t: ExpectedTrade) => tradeIdOf(this.context, t.sourceTradeId)!;
    const attempt = async (what: string, work: () => Promise<unknown>) => {
      try {
        await work();
      } catch (err) {
        this.context.issues.push(`operations ${what}: ${err instanceof Error ? err.message : String(err)}`);
      }
    };

    await inPool(today.filter((t) => t.ops.forceMatch), 4, (t) =>
      attempt(`force-match ${t.sourceTradeId}`, async () => {
        const confirmationId = this.context.tradeOf(t.sourceTradeId).confirmation.body!.confirmationId;
        const body = { confirmationId, reason: `price and amount agreed with the counterparty by phone (run ${scenario.runTag})` };
        await this.makerChecker(tradeId(t), 'force-match', body, Keys.ops, Keys.ops2, async () => ['MATCHED', 'AFFIRMED'].includes((await this.match(tradeId(t)))?.status ?? ''));
        this.forceMatched++;
      }),
    );
    await inPool(today.filter((t) => t.ops.affirm), 4, (t) =>
      attempt(`affirm ${t.sourceTradeId}`, async () => {
        await this.makerChecker(tradeId(t), 'affirm', undefined, Keys.ops2, Keys.supervisor, async () => (await this.match(tradeId(t)))?.status === 'AFFIRMED');
        this.affirmed++;
      }),
    );
    await inPool(today.filter((t) => t.ops.hold !== null), 4, (t, i) =>
      attempt(`${t.ops.hold} hold ${t.sourceTradeId}`, async () => {
        const id = tradeId(t);
        // The key makes a proposal sent again (its answer lost to a restart) answer with the first request.
        const request = await rest.expect([200, 201], 'compliance', 'POST', `/api/v1/holds/${id}/release-requests`, {
          key: i % 2 === 0 ? Keys.ops : Keys.ops2,
          body: { reason: `${t.compliance.holdRules.join(', ')} reviewed (run ${scenario.runTag})`, action: t.ops.hold },
          headers: { 'Idempotency-Key': `${scenario.runTag}-${t.sourceTradeId}-${t.ops.hold}` },
        });
        this.releaseRequests++;
        const decided = t.ops.hold === 'RELEASE' ? 'RELEASED' : 'REJECTED';
        await rest.command([200, 201], 'compliance', 'POST', `/api/v1/holds/${id}/release-requests/${request.requestId}/approve`, { key: Keys.supervisor }, async () => {
          const decision = await rest.call('compliance', 'GET', `/api/v1/decisions/by-trade/${id}`, { key: readKey() });
          return decision.status === 200 && decision.body.outcome === decided;
        });
        this.approvals++;
      }),
    );
  }

  /**
   * A force-match or an affirm: done at once (200) under a profile that needs one person, else
   * proposed (202) by `proposer` and approved by `approver` (maker-checker). Proposing again
   * answers with the pending request, and an approval whose answer was lost is found applied.
   */
  private async makerChecker(tradeId: string, operation: 'force-match' | 'affirm', body: object | undefined, proposer: string, approver: string, applied: () => Promise<boolean>): Promise<void> {
    const { rest } = this.context;
    const path = `/api/v1/matches/by-trade/${tradeId}`;
    const proposed = await rest.command<{ requestId?: string; status: string }>([200, 201, 202], 'confirmation-matching', 'POST', `${path}/${operation}`, { key: proposer, body }, applied);
    if (proposed === null || proposed.requestId === undefined || proposed.status !== 'PENDING') return;
    await rest.command([200], 'confirmation-matching', 'POST', `${path}/requests/${proposed.requestId}/approve`, { key: approver }, applied);
  }

  /** The trade's match as confirmation matching shows it, or null. */
  private async match(tradeId: string): Promise<{ status: string } | null> {
    const answer = await this.context.rest.call('confirmation-matching', 'GET', `/api/v1/matches/by-trade/${tradeId}`, { key: readKey() });
    return answer.status === 200 ? answer.body : null;
  }

  /**
   * The custodian rejected the trade's instruction for a bad SSI of the counterparty: operations
   * store the corrected SSI (trade capture's reference data, `PUT /api/v1/ssis/…`), which settlement
   * hears of (`postrade.ssi.upserted.v1`) and re-sends the rejected instruction with.
   */
  async repairSsi(trade: ScenarioTrade): Promise<void> {
    const { scenario, rest } = this.context;
    const terms = trade.versions[trade.versions.length - 1].terms;
    const market = scenario.instruments.find((i) => i.isin === terms.isin)!.settlementMarket;
    const ssi = scenario.ssis.find((s) => s.lei === terms.counterpartyLei && s.market === market && s.currency === terms.currency)!;
    try {
      await rest.expect([200, 201], 'trade-capture', 'PUT', `/api/v1/ssis/${ssi.lei}/${ssi.market}/${ssi.currency}`, {
        key: Keys.ops,
        body: { agentBic: ssi.agentBic, safekeepingAccount: trade.custodian!.ssiRepair!.safekeepingAccount, cashAccount: ssi.cashAccount, placeOfSettlement: ssi.placeOfSettlement },
      });
      this.ssisRepaired++;
    } catch (err) {
      this.context.issues.push(`operations repair SSI for ${trade.sourceTradeId}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  async closeDay(day: string): Promise<{ newlyFailing: number; failDays: number; penaltiesAssessed: number } | null> {
    try {
      return await this.context.rest.expect([200, 201], 'settlement', 'POST', `/api/v1/settlement-days/${day}/close`, { key: Keys.ops });
    } catch (err) {
      this.context.issues.push(`operations close ${day}: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    }
  }
}
