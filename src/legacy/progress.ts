// How long phases report their progress: a bar on a terminal, nothing in tests and pipes.
export interface Progress {
  begin(phase: string, total: number): void;
  advance(amount?: number): void;
  end(): void;
}

export const silentProgress: Progress = { begin() {}, advance() {}, end() {} };
