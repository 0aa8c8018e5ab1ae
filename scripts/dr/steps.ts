/**
 * Prints each step of a DR script with the time since the start and how long the step took, so the
 * operator (and the incident log) sees where the minutes went.
 */
export class StepLog {
    private readonly started: number;

    constructor(
        private readonly write: (text: string) => void,
        private readonly now: () => number,
    ) {
        this.started = now();
    }

    /** Seconds since the script started, one decimal. */
    elapsed(): string {
        return ((this.now() - this.started) / 1000).toFixed(1);
    }

    line(text: string): void {
        this.write(`[+${this.elapsed().padStart(6)} s] ${text}\n`);
    }

    /** Runs a step: prints its name, then `ok`/`FAILED` with its duration; rethrows failures. */
    async step<T>(name: string, run: () => Promise<T>, describe: (result: T) => string = () => "ok"): Promise<T> {
        const began = this.now();
        this.line(`${name} …`);
        try {
            const result = await run();
            this.line(`  ${describe(result)} (${((this.now() - began) / 1000).toFixed(1)} s)`);
            return result;
        } catch (error) {
            this.line(`  FAILED after ${((this.now() - began) / 1000).toFixed(1)} s: ${error instanceof Error ? error.message : String(error)}`);
            throw error;
        }
    }
}
