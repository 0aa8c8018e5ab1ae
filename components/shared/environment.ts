/** The kinds of stack: what data-safety defaults (protection, retention, deletion windows) follow from. */
export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];
