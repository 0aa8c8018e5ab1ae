/**
 * A generated section of a docs page: the text between a start and an end marker, written by a generator
 * (`npm run docs`) and compared with a fresh generation by tests/docs.test.ts.
 */
export interface GeneratedSection {
    /** The page, relative to the repository root. */
    readonly page: string;
    readonly start: string;
    readonly end: string;
    /** The section's body (without its markers), generated from the sources. */
    readonly generate: () => string;
}

/** The page's text with the section between the markers replaced by a fresh generation (markers kept). */
export function withSection(text: string, section: GeneratedSection): string {
    const start = text.indexOf(section.start);
    const end = text.indexOf(section.end);
    if (start < 0 || end < start) {
        throw new Error(`${section.page} has no ${section.start} … ${section.end} section`);
    }
    return `${text.slice(0, start)}${section.start}\n${section.generate()}\n${section.end}${text.slice(end + section.end.length)}`;
}
