/** Edit distance between two strings (insertions, deletions, substitutions), case-insensitive. */
export function editDistance(a: string, b: string): number {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
    for (let i = 1; i <= x.length; i++) {
        const current = [i];
        for (let j = 1; j <= y.length; j++) {
            current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
        }
        previous = current;
    }
    return previous[y.length];
}

/**
 * The known name `name` was probably meant to be: the closest one within 2 edits (or a third of the name, for
 * short names), first alphabetically on a tie; undefined when nothing is that close.
 */
export function closestName(name: string, known: readonly string[]): string | undefined {
    const limit = Math.min(2, Math.max(1, Math.floor(name.length / 3)));
    let best: { name: string; distance: number } | undefined;
    for (const candidate of [...known].sort()) {
        const distance = editDistance(name, candidate);
        if (distance <= limit && (best === undefined || distance < best.distance)) {
            best = { name: candidate, distance };
        }
    }
    return best?.name;
}
