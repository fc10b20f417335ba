// Everything the bench set up, undone in reverse order: at the end of a step, on failure, and on
// Ctrl+C/SIGTERM. Each step runs once, however many times teardown is asked for.
export type Step = () => Promise<unknown>;

export class Teardown {
  readonly #steps: { name: string; step: Step; done?: Promise<void> }[] = [];
  readonly #onError: (message: string) => void;

  constructor(onError: (message: string) => void) {
    this.#onError = onError;
  }

  /** Registers `step`; the returned function runs it now (once) and forgets it. */
  add(name: string, step: Step): () => Promise<void> {
    const entry: { name: string; step: Step; done?: Promise<void> } = { name, step };
    this.#steps.push(entry);
    return () => this.#runEntry(entry);
  }

  /** Runs every step not yet run, newest first. */
  async run(): Promise<void> {
    for (const entry of [...this.#steps].reverse()) await this.#runEntry(entry);
  }

  #runEntry(entry: { name: string; step: Step; done?: Promise<void> }): Promise<void> {
    entry.done ??= entry.step().then(
      () => undefined,
      (error: unknown) =>
        this.#onError(`teardown of ${entry.name} failed: ${error instanceof Error ? error.message : String(error)}`),
    );
    return entry.done;
  }
}
