import { DEFAULT_OPTIONS, type ScenarioOptions } from './scenario';

export interface CommandLine {
  options: ScenarioOptions;
  verifyOnly: boolean;
  out: string | null;
}

const USAGE = `npm run simulate -- [--trades N] [--days N] [--seed S] [--rate N] [--break-share X] [--fail-share X]
                      [--counterparties N] [--legal-entities 1|2] [--statement-breaks X]
                      [--ssi-repair-share X] [--hold-reject-share X]
                      [--out DIR] [--verify]`;

function number(name: string, value: string | undefined, check: (n: number) => boolean, what: string): number {
  const n = Number(value);
  if (value === undefined || value.trim() === '' || !Number.isFinite(n) || !check(n)) throw new Error(`--${name} must be ${what}, got ${String(value)}\n${USAGE}`);
  return n;
}

/** Reads the simulator's command line; unknown options are refused with the usage. */
export function parseCommandLine(argv: string[]): CommandLine {
  const options: ScenarioOptions = { ...DEFAULT_OPTIONS };
  let verifyOnly = false;
  let out: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => (inline !== undefined ? inline : argv[++i]);
    switch (flag) {
      case '--trades':
        options.trades = number('trades', value(), (n) => Number.isInteger(n) && n >= 1, 'a whole number, at least 1');
        break;
      case '--days':
        options.days = number('days', value(), (n) => Number.isInteger(n) && n >= 1 && n <= 10, 'a whole number from 1 to 10');
        break;
      case '--seed': {
        const seed = value();
        if (!seed) throw new Error(`--seed needs a value\n${USAGE}`);
        options.seed = seed;
        break;
      }
      case '--rate':
        options.rate = number('rate', value(), (n) => n > 0, 'a positive number of trades per second');
        break;
      case '--break-share':
        options.breakShare = number('break-share', value(), (n) => n >= 0 && n <= 0.9, 'a share between 0 and 0.9');
        break;
      case '--fail-share':
        options.failShare = number('fail-share', value(), (n) => n >= 0 && n <= 0.8, 'a share between 0 and 0.8');
        break;
      case '--counterparties':
        options.counterparties = number('counterparties', value(), (n) => Number.isInteger(n) && n >= 20 && n <= 2000, 'a whole number from 20 to 2000');
        break;
      case '--legal-entities':
        options.legalEntities = number('legal-entities', value(), (n) => n === 1 || n === 2, '1 or 2') as 1 | 2;
        break;
      case '--statement-breaks':
        options.statementBreakShare = number('statement-breaks', value(), (n) => n >= 0 && n <= 0.5, 'a share between 0 and 0.5');
        break;
      case '--ssi-repair-share':
        options.ssiRepairShare = number('ssi-repair-share', value(), (n) => n >= 0 && n <= 0.2, 'a share between 0 and 0.2');
        break;
      case '--hold-reject-share':
        options.holdRejectShare = number('hold-reject-share', value(), (n) => n >= 0 && n <= 1, 'a share between 0 and 1');
        break;
      case '--out':
        out = value() ?? null;
        if (!out) throw new Error(`--out needs a folder\n${USAGE}`);
        break;
      case '--verify':
        verifyOnly = true;
        break;
      case '--help':
      case '-h':
        throw new Error(USAGE);
      default:
        throw new Error(`unknown option ${argv[i]}\n${USAGE}`);
    }
  }
  return { options, verifyOnly, out };
}
