import { DomainError } from '@postrade/kernel';
import type { PenaltyResource } from '@postrade/contracts';
import type { EntityManager } from 'typeorm';
import type { PenaltyRate } from '../../domain/penalty';
import { decideGate, type GatePolicy, type GateDecision } from '../../domain/settlement-gate';
import { renderSese023 } from '../../domain/iso20022/sese023';
import type { InstructionListFilter, InstructionRepository } from '../../persistence/instruction.repository';
import type { PenaltyRepository } from '../../persistence/penalty.repository';
import type { ReferenceRepository } from '../../persistence/reference.repository';
import type { TradeGateRepository } from '../../persistence/trade-gate.repository';
import { toInstructionView, type InstructionView } from '../instruction-resource';

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

/** Reads, outside any transaction (`reader` is the data source's own EntityManager). */
export class SettlementQueries {
  constructor(
    private readonly reader: EntityManager,
    private readonly instructions: InstructionRepository,
    private readonly penalties: PenaltyRepository,
    private readonly trades: TradeGateRepository,
    private readonly reference: ReferenceRepository,
    private readonly policy: GatePolicy,
  ) {}

  penaltyRates(): Promise<PenaltyRate[]> {
    return this.reference.penaltyRates(this.reader);
  }

  async instruction(instructionId: string): Promise<InstructionView> {
    const instruction = await this.instructions.get(this.reader, instructionId);
    if (instruction === null) throw DomainError.notFound('Instruction', instructionId);
    const history = await this.instructions.history(this.reader, [instructionId]);
    return toInstructionView(instruction, history.get(instructionId) ?? []);
  }

  async sese023(instructionId: string): Promise<string> {
    const instruction = await this.instructions.get(this.reader, instructionId);
    if (instruction === null) throw DomainError.notFound('Instruction', instructionId);
    return renderSese023(instruction);
  }

  /** Up to `filter.limit` instructions after `filter.after` (a page's caller asks for one more than it shows). */
  async instructionList(filter: InstructionListFilter): Promise<InstructionView[]> {
    const rows = await this.instructions.list(this.reader, filter);
    const histories = await this.instructions.history(this.reader, rows.map((r) => r.instructionId));
    return rows.map((r) => toInstructionView(r, histories.get(r.instructionId) ?? []));
  }

  penaltyList(filter: Parameters<PenaltyRepository['penalties']>[1]): Promise<PenaltyResource[]> {
    return this.penalties.penalties(this.reader, filter);
  }

  monthlyPenalties(month: string) {
    return this.penalties.monthly(this.reader, month);
  }

  async trade(tradeId: string): Promise<TradeSettlementView> {
    const gate = await this.trades.get(this.reader, tradeId);
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
