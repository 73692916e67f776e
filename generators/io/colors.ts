// ANSI colour for people at a terminal. Whether to colour is decided once per stream by the entry
// (cli.ts wantsColor: FORCE_COLOR, NO_COLOR, TTY, --no-color); code here only applies it.

export interface Paint {
  red: (s: string) => string;
  green: (s: string) => string;
  yellow: (s: string) => string;
  cyan: (s: string) => string;
  bold: (s: string) => string;
  dim: (s: string) => string;
}

const wrap = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;
const plain = (s: string) => s;

export function paint(enabled: boolean | undefined): Paint {
  if (!enabled) return { red: plain, green: plain, yellow: plain, cyan: plain, bold: plain, dim: plain };
  return { red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), cyan: wrap(36, 39), bold: wrap(1, 22), dim: wrap(2, 22) };
}

/** Text without ANSI colour codes (for width computations and tests). */
export const stripColor = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');
