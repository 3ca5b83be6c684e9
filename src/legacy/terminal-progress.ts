// The progress bar shown while importing on a terminal (cli-progress, on stderr so the report on stdout
// stays clean). Phases whose size is unknown up front (reading a file) show a running count instead.
import cliProgress from 'cli-progress';
import type { Progress } from './progress.js';

export function createTerminalProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  let bar: cliProgress.SingleBar | null = null;
  return {
    begin(phase, total) {
      bar?.stop();
      const format = total > 0 ? `${phase.padEnd(22)} [{bar}] {percentage}% {value}/{total} eta {eta_formatted}` : `${phase.padEnd(22)} {value} documents`;
      bar = new cliProgress.SingleBar({ format, stream, hideCursor: true, clearOnComplete: false, fps: 5 }, cliProgress.Presets.shades_classic);
      bar.start(total > 0 ? total : Number.MAX_SAFE_INTEGER, 0);
    },
    advance(amount = 1) {
      bar?.increment(amount);
    },
    end() {
      bar?.stop();
      bar = null;
    },
  };
}
