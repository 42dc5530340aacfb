const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * A one-line live status (spinner, phase, elapsed time, window progress) redrawn in place on a
 * terminal. Off when the stream is not a TTY (CI logs, pipes), so logs hold only real lines.
 */
export class StatusLine {
  readonly #stream: NodeJS.WriteStream | undefined;
  #timer: NodeJS.Timeout | undefined;
  #frame = 0;
  #text = '';
  #shown = false;

  constructor(stream: NodeJS.WritableStream) {
    const s = stream as NodeJS.WriteStream;
    this.#stream = s.isTTY && process.env.CI === undefined ? s : undefined;
  }

  get enabled(): boolean {
    return this.#stream !== undefined;
  }

  /** Sets what the line says; `render` is called on every redraw so elapsed times stay live. */
  start(render: () => string): void {
    if (!this.#stream) return;
    this.stop();
    this.#timer = setInterval(() => {
      this.#text = render();
      this.#draw();
    }, 100);
    this.#timer.unref();
  }

  #draw(): void {
    if (!this.#stream) return;
    const frame = FRAMES[this.#frame++ % FRAMES.length];
    const width = Math.max(20, (this.#stream.columns ?? 80) - 1);
    this.#stream.write(`\r\x1b[2K${`${frame} ${this.#text}`.slice(0, width)}`);
    this.#shown = true;
  }

  /** Clears the line so a normal log line can be written, then the next tick redraws it. */
  clear(): void {
    if (this.#stream && this.#shown) {
      this.#stream.write('\r\x1b[2K');
      this.#shown = false;
    }
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.clear();
  }
}
