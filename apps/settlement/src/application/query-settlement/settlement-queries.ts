import { DomainError, LocalDate, type SettlementMarket } from '@postrade/kernel';
import type { PenaltyResource } from '@postrade/contracts';
import type { TransactionRunner } from '@postrade/persistence';
import { failAge } from '../../domain/penalty';
import { decideGate, type GatePolicy, type GateDecision } from '../../domain/settlement-gate';
import { renderSese023 } from '../../domain/iso20022/sese023';
import type { InstructionListFilter, InstructionRepository } from '../../persistence/instruction.repository';
import type { FailRow, PenaltyRepository } from '../../persistence/penalty.repository';
import type { ParkedStatusUpdate, StatusUpdateRepository } from '../../persistence/status-update.repository';
import type { TradeGateRepository } from '../../persistence/trade-gate.repository';
import { toInstructionView, type InstructionView } from '../instruction-resource';

export interface FailView extends FailRow {
  /** Settlement business days failed by the end of `day`, counting the ISD as 1. */
  ageInBusinessDays: number;
}

export interface TradeSettlementView {
  tradeId: string;
  version: number | null;
  tradeStatus: string | null;
  matchStatus: string | null;
  complianceOutcome: string | null;
  complianceTradeVersion: number | null;
  gate: GateDecision;
  instructionId: string | null;
}

/** Reads: each a single query or a few, never in a transaction of their own making beyond the runner's. */
export class SettlementQueries {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly instructions: InstructionRepository,
    private readonly penalties: PenaltyRepository,
    private readonly trades: TradeGateRepository,
    private readonly statusUpdates: StatusUpdateRepository,
    private readonly policy: GatePolicy,
  ) {}

  async instruction(instructionId: string): Promise<InstructionView> {
    return this.transactions.run(async (em) => {
      const instruction = await this.instructions.get(em, instructionId);
      if (instruction === null) throw DomainError.notFound('Instruction', instructionId);
      const history = await this.instructions.history(em, [instructionId]);
      return toInstructionView(instruction, history.get(instructionId) ?? []);
    });
  }

  async sese023(instructionId: string): Promise<string> {
    const instruction = await this.transactions.run((em) => this.instructions.get(em, instructionId));
    if (instruction === null) throw DomainError.notFound('Instruction', instructionId);
    return renderSese023(instruction);
  }

  /** Up to `limit + 1` instructions, so the caller can tell whether another page follows. */
  async instructionList(filter: InstructionListFilter): Promise<InstructionView[]> {
    return this.transactions.run(async (em) => {
      const rows = await this.instructions.list(em, { ...filter, limit: filter.limit + 1 });
      const histories = await this.instructions.history(em, rows.map((r) => r.instructionId));
      return rows.map((r) => toInstructionView(r, histories.get(r.instructionId) ?? []));
    });
  }

  async fails(day: string, after: string | undefined, limit: number): Promise<FailView[]> {
    LocalDate.parse(day, 'asOf');
    const rows = await this.transactions.run((em) => this.penalties.fails(em, day, after, limit + 1));
    return rows.map((row) => ({ ...row, ageInBusinessDays: failAge(row.settlementMarket as SettlementMarket, row.intendedSettlementDate, row.day) }));
  }

  penaltyList(filter: Parameters<PenaltyRepository['penalties']>[1]): Promise<PenaltyResource[]> {
    return this.transactions.run((em) => this.penalties.penalties(em, { ...filter, limit: filter.limit + 1 }));
  }

  monthlyPenalties(month: string) {
    return this.transactions.run((em) => this.penalties.monthly(em, month));
  }

  parkedUpdates(filter: { expired?: boolean; after?: { parkedAt: string; updateId: string }; limit: number }): Promise<ParkedStatusUpdate[]> {
    return this.transactions.run((em) => this.statusUpdates.listParked(em, { ...filter, limit: filter.limit + 1 }));
  }

  async trade(tradeId: string): Promise<TradeSettlementView> {
    const gate = await this.transactions.run((em) => this.trades.get(em, tradeId));
    if (gate === null) throw DomainError.notFound('Trade', tradeId);
    return {
      tradeId,
      version: gate.terms?.version ?? null,
      tradeStatus: gate.terms?.status ?? null,
      matchStatus: gate.matchStatus,
      complianceOutcome: gate.compliance?.outcome ?? null,
      complianceTradeVersion: gate.compliance?.tradeVersion ?? null,
      gate: decideGate(gate, this.policy),
      instructionId: gate.instructionId,
    };
  }
}
