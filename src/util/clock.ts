// Time comes from an injected clock so tests can move it (DESIGN §5).
export interface Clock { now(): number }

export const systemClock: Clock = { now: () => Date.now() };

/** A clock tests advance by hand. */
export class ManualClock implements Clock {
  constructor(private ms = Date.now()) {}
  now() { return this.ms; }
  advance(ms: number) { this.ms += ms; }
}
