/**
 * Captures the handler's JSON log lines (they start with `{"level":`) instead of printing them;
 * everything else written to stdout (mocha's reporter) passes through.
 */
export class LogCapture {
    readonly lines: Record<string, unknown>[] = [];
    readonly raw: string[] = [];
    private original?: typeof process.stdout.write;

    start(): void {
        const original = process.stdout.write.bind(process.stdout);
        this.original = process.stdout.write;
        const capture = (chunk: unknown, ...rest: unknown[]): boolean => {
            const text = typeof chunk === "string" ? chunk : Buffer.isBuffer(chunk) ? chunk.toString("utf8") : undefined;
            if (text !== undefined && text.startsWith('{"level":')) {
                for (const line of text.split("\n").filter((part) => part !== "")) {
                    this.raw.push(line);
                    this.lines.push(JSON.parse(line) as Record<string, unknown>);
                }
                return true;
            }
            return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
        };
        process.stdout.write = capture as typeof process.stdout.write;
    }

    stop(): void {
        if (this.original) {
            process.stdout.write = this.original;
            this.original = undefined;
        }
    }

    clear(): void {
        this.lines.length = 0;
        this.raw.length = 0;
    }

    /** Access-log lines (`message: "request"`). */
    requests(): Record<string, unknown>[] {
        return this.lines.filter((line) => line.message === "request");
    }
}
