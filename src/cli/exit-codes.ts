/** Exit codes, as documented in the README and `coc --help` (no imports: `coc --help` loads only this). */
export const ExitCode = {
  ok: 0,
  error: 1,
  usage: 2,
  cancelled: 130,
} as const;
