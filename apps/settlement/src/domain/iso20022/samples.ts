import { instructionTermsFor } from '../settlement-instruction';
import { tradeTerms } from '../settlement.fixtures';
import { renderSese020 } from './sese020';
import { renderSese023 } from './sese023';
import { renderSese030 } from './sese030';

/**
 * The fixed instruction the documented samples are rendered from (docs/settlement-messages.md,
 * "Samples"): a sale of 1,000 DE0007164600 against EUR 189,261.20, traded 2026-11-23 for
 * settlement on 2026-11-25, both SSIs on file. `samples.spec.ts` checks the document shows
 * exactly what the renderers make of it, and `iso20022-schemas.spec.ts` validates it.
 */
export const SAMPLE_TERMS = instructionTermsFor([tradeTerms({ side: 'SELL', tradeDate: '2026-11-23' })]);
export const SAMPLE_REFERENCE = 'PTR-7Q2M4K9X';
const CREATED_AT = '2026-11-24T09:30:00Z';

/** Each outbound message as the renderers write it for the sample instruction. */
export function outboundSamples(): Record<'sese.023' | 'sese.020' | 'sese.030 hold' | 'sese.030 release', string> {
  return {
    'sese.023': renderSese023({ reference: SAMPLE_REFERENCE, terms: SAMPLE_TERMS, tradeDate: '2026-11-23', status: { partyHold: false } }),
    'sese.030 hold': renderSese030({ reference: 'HOLD-7Q2M4K9X-1', instructionReference: SAMPLE_REFERENCE, action: 'HOLD', terms: SAMPLE_TERMS, createdAt: CREATED_AT }),
    'sese.030 release': renderSese030({ reference: 'RLSE-7Q2M4K9X-2', instructionReference: SAMPLE_REFERENCE, action: 'RELEASE', terms: SAMPLE_TERMS, createdAt: CREATED_AT }),
    'sese.020': renderSese020({ reference: 'CANC-7Q2M4K9X-1', instructionReference: SAMPLE_REFERENCE, terms: SAMPLE_TERMS, tradeDate: '2026-11-23', createdAt: CREATED_AT }),
  };
}
