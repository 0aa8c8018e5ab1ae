/** Sets environment variables for a test and puts the previous values back afterwards. */
export class EnvSandbox {
    private readonly saved = new Map<string, string | undefined>();

    /** `undefined` deletes the variable. */
    set(vars: Readonly<Record<string, string | undefined>>): void {
        for (const [name, value] of Object.entries(vars)) {
            if (!this.saved.has(name)) {
                this.saved.set(name, process.env[name]);
            }
            if (value === undefined) {
                delete process.env[name];
            } else {
                process.env[name] = value;
            }
        }
    }

    restore(): void {
        for (const [name, value] of this.saved) {
            if (value === undefined) {
                delete process.env[name];
            } else {
                process.env[name] = value;
            }
        }
        this.saved.clear();
    }
}
