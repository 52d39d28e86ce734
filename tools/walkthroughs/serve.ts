/**
 * Starts an empty walkthrough platform on ports SERVICE_PORTS + offset (first argument, default
 * 10500; the second is how many seconds each service may take to report ready, default 300) and
 * keeps it until Ctrl-C, printing the environment the walkthroughs read; for writing a
 * walkthrough: `npx ts-node --transpile-only -r tsconfig-paths/register tools/walkthroughs/serve.ts`,
 * then `npx ts-node … tools/walkthroughs/run.ts docs/services/ledger.md` with that environment.
 */
import { startWalkthroughPlatform } from './platform';

async function main(): Promise<void> {
  const platform = await startWalkthroughPlatform(Number(process.argv[2] ?? 10_500), Number(process.argv[3] ?? 300) * 1000);
  for (const [name, value] of Object.entries(platform.env)) process.stdout.write(`export ${name}=${value}\n`);
  process.stdout.write('walkthrough platform ready\n');
  const stop = () => void platform.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
