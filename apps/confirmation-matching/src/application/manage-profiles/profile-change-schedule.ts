import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { PeriodicTask, readEnv, type EnvSource } from '@postrade/platform';
import type { MatchingProfiles } from './matching-profiles';

/** How often scheduled profile changes are looked for: `MATCHING_PROFILE_CHANGE_INTERVAL` (default 30s). */
export function profileChangeInterval(source: EnvSource = process.env): number {
  return readEnv(source, (env) => env.duration('MATCHING_PROFILE_CHANGE_INTERVAL', { default: '30s', min: '1s' }));
}

/**
 * Applies approved profile changes when their `effectiveFrom` comes (and finishes any re-evaluation
 * a stop interrupted), every `MATCHING_PROFILE_CHANGE_INTERVAL`: a change applies at most that long
 * after its date.
 */
export class ProfileChangeSchedule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly task: PeriodicTask;

  constructor(private readonly profiles: MatchingProfiles, everyMs: number = profileChangeInterval()) {
    this.task = new PeriodicTask('matching profile changes', everyMs, () => this.profiles.applyDue());
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }
}
