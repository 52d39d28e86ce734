import { Writable } from 'node:stream';

/** A logging destination for tests: each JSON line written is parsed into `lines`. */
export function logCapture(): { lines: Array<Record<string, any>>; destination: Writable } {
  const lines: Array<Record<string, any>> = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { lines, destination };
}
