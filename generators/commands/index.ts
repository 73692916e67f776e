// Commands beyond init/render: validate, lint, schemas export, add, remove.

type Io = { stdout: (s: string) => void; stderr: (s: string) => void; interactive: boolean };

export async function dispatch(command: string, rest: string[], values: Record<string, any>, io: Io): Promise<number | undefined> {
  switch (command) {
    default:
      return undefined;
  }
}
