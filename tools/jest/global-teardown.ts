import type { PlatformRuntime } from '@postrade/local-runtime';

/** Stops what the global setup started (a broker or database it merely reused is left running). */
export default async function globalTeardown(): Promise<void> {
  const runtime = (globalThis as { __POSTRADE_RUNTIME__?: PlatformRuntime }).__POSTRADE_RUNTIME__;
  if (process.env.POSTRADE_KEEP_RUNTIME === '1') return;
  await runtime?.stop();
}
