// The layout of `.gitops-scaffold/` in a generated repository, in one place (safe arbitrates it;
// see ARCHITECTURE.md). Pure constants: the planner imports the .gitignore from here.
//
//   manifest.json          what the tool last wrote, and the model it rendered (the merge base)   committed
//   platform.schema.json   the model's JSON Schema (editor completion)                             committed
//   lint.yaml              the team's lint config (seeded once)                                    committed
//   .gitignore             keeps the run-time files below out of Git                               committed
//   lock                   held by the run that may write (pid, host, command, start time)         run-time
//   journal.json           the intent of a write in progress; left only by a killed run            run-time
//   tmp/                   staged texts, pre-images, lock records of waiting runs                  run-time
//   cache/                 (perf) derived data, never committed, with its own .gitignore           run-time

export const STATE_DIR = '.gitops-scaffold';
export const LOCK_PATH = `${STATE_DIR}/lock`;
export const JOURNAL_PATH = `${STATE_DIR}/journal.json`;
/** The one place of every temporary file of a run (staged writes, pre-images, lock records). */
export const TMP_DIR = `${STATE_DIR}/tmp`;
export const STATE_GITIGNORE_PATH = `${STATE_DIR}/.gitignore`;
/** perf's derived data (check/cache-store.ts writes it, with its own .gitignore). */
export const CACHE_DIR = `${STATE_DIR}/cache`;

export const STATE_GITIGNORE = `# Written by gitops-scaffold. Its run-time files stay out of Git: the lock of a running command,
# the journal of an interrupted write, temp files. Everything else in this folder is committed.
/lock
/journal.json
/tmp/
`;
