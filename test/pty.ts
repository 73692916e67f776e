// Drives a command through a pseudo-terminal, as a person at a keyboard would: `script` (util-linux,
// part of every Debian base system) gives the command a terminal; we wait for each prompt to
// appear and type the answer. Not a test file (the runner only picks *.test.ts).
import { spawn } from 'node:child_process';

/** Keys as a terminal sends them; clearLine is ctrl-E then ctrl-U (end of line, delete to its start). */
export const KEYS = { enter: '\r', down: '\x1b[B', up: '\x1b[A', space: ' ', clearLine: '\x05\x15', ctrlC: '\x03' } as const;

export interface Step {
  /** Wait until the screen shows this (ANSI codes removed), after what earlier steps matched. */
  expect: RegExp;
  /** Then type this (nothing: only wait). */
  send?: string;
}

export interface Session {
  exitCode: number | null;
  /** Everything the terminal showed, ANSI codes removed. */
  screen: string;
}

const strip = (s: string) => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');

export function drive(command: string, steps: Step[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<Session> {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, TERM: 'xterm-256color', LANG: 'C.UTF-8', ...opts.env };
  delete (env as Record<string, unknown>).CI;
  // A fixed terminal size, so prompts lay out the same on every machine.
  const child = spawn('script', ['-q', '-e', '-c', `stty cols 120 rows 40; exec ${command}`, '/dev/null'], { cwd: opts.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let raw = '';
  child.stdout.on('data', (d) => (raw += d));
  child.stderr.on('data', (d) => (raw += d));
  const timeout = opts.timeoutMs ?? 20_000;
  return new Promise((resolve, reject) => {
    let cursor = 0;
    let step = 0;
    let exited: number | null | undefined;
    const started = Date.now();
    const fail = (why: string) => {
      clearInterval(timer);
      child.kill('SIGKILL');
      reject(new Error(`${why}\n--- screen ---\n${strip(raw).slice(-3000)}`));
    };
    const timer = setInterval(() => {
      const screen = strip(raw);
      while (step < steps.length) {
        const m = steps[step].expect.exec(screen.slice(cursor));
        if (!m) break;
        cursor += m.index + m[0].length;
        if (steps[step].send !== undefined) child.stdin.write(steps[step].send!);
        step++;
      }
      if (exited !== undefined && step === steps.length) {
        clearInterval(timer);
        resolve({ exitCode: exited, screen });
      } else if (exited !== undefined) fail(`exited (${exited}) before step ${step + 1}: ${steps[step].expect}`);
      else if (Date.now() - started > timeout) fail(`timed out at step ${step + 1}: waiting for ${steps[step]?.expect ?? 'exit'}`);
    }, 25);
    child.on('exit', (code) => {
      // Let the last output arrive before judging.
      setTimeout(() => (exited = code), 100);
    });
  });
}
