/** The suggestion to escalate a case the team cannot handle alone (core decides when: ../../core/case/escalation.ts). */
import type { EscalationAdvice } from "../../core/index.js";
import type { Io } from "../io.js";

/** Prints why a case should go to the oversight people, and how (stderr). */
export function sayEscalation(io: Io, advice: EscalationAdvice | null): void {
  if (!advice) return;
  for (const reason of advice.reasons) io.warn(reason);
  io.info(`  ${advice.suggestion}`);
}
