import { serviceEnvPrefix, serviceRolePassword, type ServiceDatabase } from './service-database';

/**
 * Development passwords (`<role>-dev`) are public: they are in this repository. Outside
 * development (`POSTRADE_DEV_KEYS=1`, the switch that also turns the development API keys on)
 * a service must not connect with one, so it refuses to start instead, saying which variable to set.
 *
 * It reads the variables `serviceDatabaseUrl` builds the connection from: `<SERVICE>_DATABASE_URL`
 * when set, else `<SERVICE>_DB_PASSWORD`. Call it before the service opens its first connection.
 */
export function developmentPasswordProblems(db: Pick<ServiceDatabase, 'service' | 'role'>, env: NodeJS.ProcessEnv = process.env): string[] {
  if (env.POSTRADE_DEV_KEYS?.trim() === '1') return [];
  const prefix = serviceEnvPrefix(db.service);
  const developmentPassword = serviceRolePassword(db, {});
  const ownUrl = env[`${prefix}_DATABASE_URL`]?.trim();
  if (ownUrl) {
    return passwordOf(ownUrl) === developmentPassword
      ? [`${prefix}_DATABASE_URL logs ${db.role} in with its development password; give the role its own password`]
      : [];
  }
  const password = env[`${prefix}_DB_PASSWORD`]?.trim();
  if (!password) return [`${prefix}_DB_PASSWORD is not set: ${db.role} would log in with its development password`];
  if (password === developmentPassword) return [`${prefix}_DB_PASSWORD is the development password of ${db.role}; give the role its own password`];
  return [];
}

/** Throws, naming what to set, when {@link developmentPasswordProblems} finds any. */
export function assertNoDevelopmentPassword(db: Pick<ServiceDatabase, 'service' | 'role'>, env: NodeJS.ProcessEnv = process.env): void {
  const problems = developmentPasswordProblems(db, env);
  if (problems.length > 0) {
    throw new Error(`Invalid configuration (development passwords are accepted only with POSTRADE_DEV_KEYS=1):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

function passwordOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return ''; // Not a URL: the driver will say so when it connects.
  }
}
