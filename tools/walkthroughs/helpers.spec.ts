import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { isValidIsin, isValidLei } from '@postrade/kernel';

const helpers = join(__dirname, '..', '..', 'docs', 'walkthroughs.sh');

/** Runs `script` in bash -euo pipefail after sourcing the walkthroughs' helpers, as a walkthrough does. */
function bash(script: string, env: NodeJS.ProcessEnv = {}): string {
  return execFileSync('bash', ['-euo', 'pipefail', '-c', `. "${helpers}"\n${script}`], { encoding: 'utf8', env: { ...process.env, ...env } });
}

describe("the walkthroughs' shell helpers (docs/walkthroughs.sh)", () => {
  it('makes LEIs whose MOD 97-10 check digits the kernel accepts, for any run suffix', () => {
    const suffixes = ['0000000000', '1796655327', '1796655328', '9999999999', '0123456789'];
    const leis = bash(suffixes.map((s) => `lei 54930000${s}; lei 52990000${s}`).join('\n')).trim().split('\n');
    expect(leis).toHaveLength(10);
    for (const lei of leis) expect({ lei, valid: isValidLei(lei) }).toEqual({ lei, valid: true });
    expect(new Set(leis).size).toBe(10);
  });

  it('makes ISINs whose Luhn check digit the kernel accepts, letters included', () => {
    expect(bash('isin GB00BMBL1F7; isin US037833100; isin DE000716460').trim().split('\n')).toEqual(['GB00BMBL1F74', 'US0378331005', 'DE0007164600']);
    const made = bash(['US796655327', 'US000000000', 'XS123456789', 'FRABCDEFGHI'].map((b) => `isin ${b}`).join('\n')).trim().split('\n');
    for (const isin of made) expect({ isin, valid: isValidIsin(isin) }).toEqual({ isin, valid: true });
  });

  it('gives dates before today', () => {
    const [today, ago] = bash('date -u +%F; days_ago 3').trim().split('\n');
    expect(ago! < today!).toBe(true);
    expect(Date.parse(`${today}T00:00:00Z`) - Date.parse(`${ago}T00:00:00Z`)).toBe(3 * 86_400_000);
  });

  it('gives up polling with the last answer once its deadline passes, failing the walkthrough', () => {
    let error: { status?: number; stderr?: string } = {};
    try {
      bash("poll '.ready == true' http://127.0.0.1:9/never", { WAIT_SECONDS: '1' });
    } catch (err) {
      error = err as typeof error;
    }
    expect(error.status).toBe(1);
    expect(error.stderr).toMatch(/gave up waiting for \.ready == true at http:\/\/127\.0\.0\.1:9\/never/);
  });

  it('fails business_day, naming the URL, when no platform answers', () => {
    let error: { status?: number; stderr?: string } = {};
    try {
      bash('business_day US 1', { TRADE_CAPTURE_URL: 'http://127.0.0.1:9' });
    } catch (err) {
      error = err as typeof error;
    }
    expect(error.status).toBe(1);
    expect(error.stderr).toMatch(/business_day: no calendar from http:\/\/127\.0\.0\.1:9\/api\/v1\/calendars\/US\/business-days/);
  });
});
