import type { EntityManager } from 'typeorm';
import type { MatchingRule } from '@postrade/contracts';
import type { ComparedField, FieldRule, MatchingProfile } from '../domain/matching-profile';

interface ProfileRow {
  name: string;
  auto_affirm: boolean;
  four_eyes: boolean;
  revision: number;
  rules: { field: ComparedField; rule: MatchingRule; tolerance: string | null; cap: string | null; tierAbove: string[]; tierTolerance: string[] }[];
  assignments: { kind: 'COUNTERPARTY' | 'CURRENCY'; value: string }[];
}

/** Matching profiles: their rules (with tiers) and which counterparties and currencies they apply to. */
export class MatchingProfileRepository {
  /** Every profile with its rules and assignments, in one statement (it runs in every matching transaction). */
  async all(em: EntityManager): Promise<MatchingProfile[]> {
    const rows: ProfileRow[] = await em.query(
      `select p.name, p.auto_affirm, p.four_eyes, p.revision,
         coalesce((select json_agg(json_build_object('field', r.field, 'rule', r.rule, 'tolerance', r.tolerance::text, 'cap', r.cap::text,
                     'tierAbove', r.tier_above::text[], 'tierTolerance', r.tier_tolerance::text[]) order by r.field)
                   from matching_profile_rules r where r.profile = p.name), '[]') as rules,
         coalesce((select json_agg(json_build_object('kind', a.kind, 'value', a.value) order by a.value)
                   from matching_profile_assignments a where a.profile = p.name), '[]') as assignments
       from matching_profiles p order by p.name`,
    );
    return rows.map((p) => ({
      name: p.name,
      autoAffirm: p.auto_affirm,
      fourEyes: p.four_eyes,
      revision: p.revision,
      rules: p.rules.map((r): FieldRule => {
        const rule: FieldRule = { field: r.field, rule: r.rule };
        if (r.tolerance !== null) rule.tolerance = r.tolerance;
        if (r.cap !== null) rule.cap = r.cap;
        if (r.tierAbove.length > 0) rule.tiers = r.tierAbove.map((above, i) => ({ above, tolerance: r.tierTolerance[i] }));
        return rule;
      }),
      counterparties: p.assignments.filter((a) => a.kind === 'COUNTERPARTY').map((a) => a.value),
      currencies: p.assignments.filter((a) => a.kind === 'CURRENCY').map((a) => a.value),
    }));
  }

  /** Replaces a profile's rules and assignments; a counterparty or currency moves here from any other profile. */
  async save(em: EntityManager, profile: Omit<MatchingProfile, 'revision'>): Promise<void> {
    await em.query(
      `insert into matching_profiles (name, auto_affirm, four_eyes, revision) values ($1, $2, $3, 1)
       on conflict (name) do update set auto_affirm = $2, four_eyes = $3, revision = matching_profiles.revision + 1, updated_at = now()`,
      [profile.name, profile.autoAffirm, profile.fourEyes],
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
