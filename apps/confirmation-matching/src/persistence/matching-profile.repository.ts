import type { EntityManager } from 'typeorm';
import type { MatchingRule } from '@postrade/contracts';
import type { ComparedField, FieldRule, MatchingProfile } from '../domain/matching-profile';

/** Matching profiles: their rules (with tiers) and which counterparties and currencies they apply to. */
export class MatchingProfileRepository {
  async all(em: EntityManager): Promise<MatchingProfile[]> {
    const profiles: { name: string; auto_affirm: boolean; revision: number }[] = await em.query('select name, auto_affirm, revision from matching_profiles order by name');
    const rules: { profile: string; field: ComparedField; rule: MatchingRule; tolerance: string | null; cap: string | null; tier_above: string[]; tier_tolerance: string[] }[] =
      await em.query(`select profile, field, rule, tolerance::text, cap::text, tier_above::text[], tier_tolerance::text[] from matching_profile_rules order by profile, field`);
    const assignments: { profile: string; kind: 'COUNTERPARTY' | 'CURRENCY'; value: string }[] = await em.query(
      'select profile, kind, value from matching_profile_assignments order by value',
    );
    return profiles.map((p) => ({
      name: p.name,
      autoAffirm: p.auto_affirm,
      revision: p.revision,
      rules: rules
        .filter((r) => r.profile === p.name)
        .map((r): FieldRule => {
          const rule: FieldRule = { field: r.field, rule: r.rule };
          if (r.tolerance !== null) rule.tolerance = r.tolerance;
          if (r.cap !== null) rule.cap = r.cap;
          if (r.tier_above.length > 0) rule.tiers = r.tier_above.map((above, i) => ({ above, tolerance: r.tier_tolerance[i] }));
          return rule;
        }),
      counterparties: assignments.filter((a) => a.profile === p.name && a.kind === 'COUNTERPARTY').map((a) => a.value),
      currencies: assignments.filter((a) => a.profile === p.name && a.kind === 'CURRENCY').map((a) => a.value),
    }));
  }

  /** Replaces a profile's rules and assignments; a counterparty or currency moves here from any other profile. */
  async save(em: EntityManager, profile: Omit<MatchingProfile, 'revision'>): Promise<void> {
    await em.query(
      `insert into matching_profiles (name, auto_affirm, revision) values ($1, $2, 1)
       on conflict (name) do update set auto_affirm = $2, revision = matching_profiles.revision + 1, updated_at = now()`,
      [profile.name, profile.autoAffirm],
    );
    await em.query('delete from matching_profile_rules where profile = $1', [profile.name]);
    for (const r of profile.rules) {
      await em.query(
        'insert into matching_profile_rules (profile, field, rule, tolerance, cap, tier_above, tier_tolerance) values ($1, $2, $3, $4, $5, $6, $7)',
        [profile.name, r.field, r.rule, r.tolerance ?? null, r.cap ?? null, (r.tiers ?? []).map((t) => t.above), (r.tiers ?? []).map((t) => t.tolerance)],
      );
    }
    await em.query('delete from matching_profile_assignments where profile = $1', [profile.name]);
    const assignments = [
      ...profile.counterparties.map((value) => ({ kind: 'COUNTERPARTY', value })),
      ...profile.currencies.map((value) => ({ kind: 'CURRENCY', value })),
    ];
    for (const a of assignments) {
      await em.query(
        `insert into matching_profile_assignments (kind, value, profile) values ($1, $2, $3)
         on conflict (kind, value) do update set profile = $3`,
        [a.kind, a.value, profile.name],
      );
    }
  }
}
