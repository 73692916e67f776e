// Progress of long work (validate, lint, the pre-write check of a large fleet), drawn on one line
// of stderr when stderr is a terminal; silent in CI, with --json, and when nobody watches.
// Library code takes an optional `progress?: Progress` and calls it; it never decides whether
// anything is drawn. The work is mostly synchronous, so drawing happens inside tick(), at most
// every 100 ms, and only once a phase has run for 300 ms (short runs never flicker).

export interface Progress {
  /** A phase begins: `label` says what is done ("checking resources"); `total` items, when known. */
  start(label: string, total?: number): void;
  /** `n` more items of the current phase are done (default 1). */
  tick(n?: number): void;
  /** `done` items of `total` (when the total grows as work is found). */
  update(done: number, total?: number): void;
  /** The current phase ended: its line is cleared. */
  done(): void;
}

export const silentProgress: Progress = { start() {}, tick() {}, update() {}, done() {} };

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export interface TerminalProgressOptions {
  /** Writes raw text to the terminal (no newline added). */
  write: (text: string) => void;
  columns?: number;
  color?: boolean;
  /** Milliseconds clock (tests). */
  now?: () => number;
  /** Draw only after a phase ran this long (default 300 ms). */
  delayMs?: number;
}

export function terminalProgress(opts: TerminalProgressOptions): Progress {
  const now = opts.now ?? (() => performance.now());
  const delay = opts.delayMs ?? 300;
  let label = '';
  let total: number | undefined;
  let count = 0;
  let started = 0;
  let lastDraw = -Infinity;
  let firstStart: number | undefined;
  let drawn = false;
  let frame = 0;
  const dim = (s: string) => (opts.color ? `\x1b[2m${s}\x1b[22m` : s);
  const clear = () => {
    if (drawn) opts.write('\r\x1b[2K');
    drawn = false;
  };
  const draw = (force = false) => {
    const t = now();
    if (!force && (t - started < delay || t - lastDraw < 100)) return;
    lastDraw = t;
    const seconds = ((t - started) / 1000).toFixed(1);
    const counts = total ? ` ${count.toLocaleString('en-US')}/${total.toLocaleString('en-US')} (${Math.floor((100 * count) / total)}%)` : count ? ` ${count.toLocaleString('en-US')}` : '';
    const suffix = `${seconds} s`;
    const width = Math.max(20, (opts.columns ?? 80) - 1);
    let text = `${FRAMES[frame++ % FRAMES.length]} ${label}${counts}`;
    if (text.length + 1 + suffix.length > width) text = `${text.slice(0, width - suffix.length - 2)}…`;
    opts.write(`\r\x1b[2K${text} ${dim(suffix)}`);
    drawn = true;
  };
  return {
    start(l, n) {
      label = l;
      total = n;
      count = 0;
      started = now();
      lastDraw = -Infinity;
      firstStart ??= started;
      // Once the whole run has taken a while, each new phase shows at once (long synchronous
      // phases cannot redraw until their first tick).
      if (started - firstStart >= delay) draw(true);
      else clear();
    },
    tick(n = 1) {
      count += n;
      draw();
    },
    update(d, t) {
      count = d;
      if (t !== undefined) total = t;
      draw();
    },
    done() {
      clear();
      label = '';
      firstStart = undefined;
    },
  };
}

/** The progress a command gets: drawn on a terminal's stderr, silent in CI and for machine output. */
export function progressFor(io: { stderrTty?: boolean; stderrColor?: boolean; columns?: number; writeStderr?: (text: string) => void }, machineOutput: boolean): Progress {
  if (!io.stderrTty || machineOutput || !io.writeStderr) return silentProgress;
  return terminalProgress({ write: io.writeStderr, columns: io.columns, color: io.stderrColor });
}
