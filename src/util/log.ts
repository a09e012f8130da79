// Structured logs: one JSON object per line.
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void;
}

export function jsonLogger(write: (line: string) => void = line => console.log(line), minimum: LogLevel = 'info'): Logger {
  const order: LogLevel[] = ['debug', 'info', 'warn', 'error'];
  return {
    log(level, msg, fields) {
      if (order.indexOf(level) < order.indexOf(minimum)) return;
      write(JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }));
    },
  };
}

export const silentLogger: Logger = { log() {} };
