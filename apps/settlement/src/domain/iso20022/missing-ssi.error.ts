import { DomainError } from '@postrade/kernel';
import type { InstructionTerms } from '../settlement-instruction';
import type { Ssi } from '../settlement-trade';

/** An instruction whose SSI is missing cannot be rendered for the custodian: 409, naming the missing side. */
export class MissingSsiError extends DomainError {
  constructor(readonly missing: Array<'ssis.ours' | 'ssis.theirs'>) {
    super(
      'conflict',
      `the instruction cannot be rendered as ISO 20022: ${missing.map((m) => (m === 'ssis.ours' ? 'our SSI' : "the counterparty's SSI")).join(' and ')} missing`,
      missing.map((field) => ({ field, message: 'no standing settlement instruction on file' })),
      'SSI_MISSING',
    );
    this.name = 'MissingSsiError';
  }
}

/** Both SSIs, or a MissingSsiError naming each one that is missing. */
export function requireSsis(terms: Pick<InstructionTerms, 'ssis'>): { ours: Ssi; theirs: Ssi } {
  const { ours, theirs } = terms.ssis;
  if (ours !== null && theirs !== null) return { ours, theirs };
  throw new MissingSsiError([...(ours === null ? (['ssis.ours'] as const) : []), ...(theirs === null ? (['ssis.theirs'] as const) : [])]);
}
