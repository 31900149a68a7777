/** Time always comes from a clock, so deadline and session code can be tested with a fake one. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

export class FakeClock implements Clock {
  #t: number;
  constructor(start: Date | string = '2026-03-02T09:00:00+08:00') {
    this.#t = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.#t);
  }
  advance(ms: number): void {
    this.#t += ms;
  }
  advanceMinutes(m: number): void {
    this.advance(m * 60_000);
  }
  set(d: Date | string): void {
    this.#t = new Date(d).getTime();
  }
}
