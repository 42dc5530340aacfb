/** Cleanup steps run last-in first-out; each runs once and a failing step never stops the others. */
export class CleanupStack {
  readonly #steps: { what: string; fn: () => Promise<unknown> | unknown }[] = [];

  push(what: string, fn: () => Promise<unknown> | unknown): void {
    this.#steps.push({ what, fn });
  }

  async run(onError: (what: string, err: unknown) => void): Promise<void> {
    for (let s = this.#steps.pop(); s; s = this.#steps.pop()) {
      try {
        await s.fn();
      } catch (err) {
        onError(s.what, err);
      }
    }
  }
}
