/** The formats `coc matrix --format` takes (dependency-free, so the command's index stays light). */
export const FORMATS = ["text", "md"] as const;
export type Format = (typeof FORMATS)[number];
