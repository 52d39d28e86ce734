import { DomainError } from '@postrade/kernel';
import type { TransactionRunner } from '@postrade/persistence';
import { validateRules, type MatchingProfile } from '../../domain/matching-profile';
import type { MatchingProfileRepository } from '../../persistence/matching-profile.repository';

export type ProfileDefinition = Omit<MatchingProfile, 'revision'>;

/**
 * Matching profiles managed by operations. A change applies to every evaluation from then on: the
 * next change to a pairing key re-matches it under the profile as it then stands.
 */
export class MatchingProfiles {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly repository: MatchingProfileRepository,
    private readonly read: () => Promise<MatchingProfile[]>,
  ) {}

  async put(definition: ProfileDefinition): Promise<MatchingProfile> {
    validateRules(definition.rules);
    await this.transactions.run((em) => this.repository.save(em, definition));
    return this.get(definition.name);
  }

  async get(name: string): Promise<MatchingProfile> {
    const profile = (await this.read()).find((p) => p.name === name);
    if (!profile) throw DomainError.notFound('Matching profile', name);
    return profile;
  }

  list(): Promise<MatchingProfile[]> {
    return this.read();
  }
}
