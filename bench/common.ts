// What both benchmark scripts share: knobs from the environment, progress lines, number formatting.

const began = performance.now();

/** A numeric knob from the environment. */
export const envNumber = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

/** Seconds since the script started, for reports. */
export const elapsedSeconds = () => (performance.now() - began) / 1000;

/** A progress line on stderr, stamped with the time since the script started. */
export const progress = (msg: string) => process.stderr.write(`[${elapsedSeconds().toFixed(1).padStart(7)}s] ${msg}\n`);

export const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
export const f0 = (n: number) => n.toFixed(0);
export const f1 = (n: number) => n.toFixed(1);
export const f2 = (n: number) => n.toFixed(2);
