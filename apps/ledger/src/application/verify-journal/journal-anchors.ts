import type { AnchoredChains } from '@postrade/messaging';
import type { JournalRepository } from '../../persistence/journal.repository';

/** The journal's chains as anchoring reads them (trail `journal`): heads from `journal_chains`, hashes from `journal_entries`. */
export function journalChains(journal: JournalRepository): AnchoredChains {
  return {
    trail: 'journal',
    heads: (em) => journal.chainHeads(em),
    hashAt: (em, chain, sequence) => journal.hashAt(em, chain, sequence),
  };
}
