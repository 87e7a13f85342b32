/**
 * coc's core: the public API a front end imports (the CLI in ../cli/ is one).
 * Nothing else of core is imported from outside it. Core never prompts,
 * never prints and never reads `process.*`: a front end passes in what it
 * needs (the environment, the clock, how to unlock the identity, how to ask
 * for a confirmation) and turns the errors of ./errors.ts into its own words.
 */

// Errors
export { CancelledError, quote, UserError, type Hint } from "./errors.js";

// The repository handle and its setup
export { Repo, type OpenOptions, type TrustHooks } from "./repo/repo.js";
export { NO_OWNER, type ProcessOwner } from "./repo/lock.js";
export type { FaultHooks } from "./repo/transaction.js";
export { describeDiff, type TrustDiff, type TrustState } from "./repo/trust.js";
export { confirmedConfig } from "./repo/confirmed-config.js";
export { LADDERS, LADDER_NAMES, ROLES, type Config, type LadderName, type Member, type Team } from "./repo/config.js";
export { isCocRepo } from "./repo/layout.js";
export type { CaseFiles, Problem, StoredRecord } from "./repo/store.js";
export { caseFilePaths } from "./repo/evidence.js";
export type { GuardInstall } from "./git/guard.js";

// Identities
export { identityFileText, loadIdentity, resolveIdentityPath, writeNewIdentity } from "./crypto/identity.js";
export { armorFile, generateIdentity, RecordDecrypter } from "./crypto/age.js";
export { formatMemberKey, parseMemberKey, signingKeyFromIdentity, type MemberKey } from "./crypto/signing.js";

// Records
export { parseYaml } from "./records/document.js";
export { byCodeUnits, compareRecords } from "./records/order.js";
export { APPEAL_RESULTS, formatUtc, NOTE_KINDS, type AssessmentBody, type BodyOf, type CocRecord, type ConflictBody, type DecisionBody, type NoteBody, type RecordType, type ReportBody } from "./records/schema.js";
export { CONSENT_ANSWERS, SCOPES, SHARE_TARGETS, type ConsentBlock, type Plan } from "./records/schema.js";

// One case, as data
export { caseAudience, type Audience } from "./case/audience.js";
export { foldCase, pendingActions, type CaseState, type CaseSummary, type DeadlineStatus } from "./case/fold.js";
export { partiesOf } from "./case/people.js";
export type { EscalationAdvice } from "./case/escalation.js";
export { consentAllows, consentLine, consentProblem, effectiveConsent, requireConsent, type Consent, type ConsentGate } from "./case/consent.js";
export { activeAt, casePeople, type Consequence } from "./case/consequences.js";
export { checkRules, decisionWarnings, FREE_TEXT_LEVEL, markUrgent, noteWarnings, presentWarnings, RATIFY_HOURS, selfRecusalWarning, type LadderLevel, type RuleContext } from "./case/rules.js";

// Use cases
export { initRepo, loadPrevious, type InitOptions } from "./actions/init.js";
export { adviceFor, audienceOf, listCases, openCase, readExisting, ruleContext, showCase, type ListedCase, type ShownCase } from "./actions/read.js";
export { addReport } from "./actions/report.js";
export { addRecords, validateBody, type RecordPart } from "./actions/records.js";
export { checkRecusal, declareConflicts, recuse, type RecuseResult } from "./actions/conflicts.js";
export { checkReviewSoftConflicts, describeParts, parseReviewFile, partWarnings, recusing, reviewWarnings, withOverride, type ReviewPlan } from "./actions/review.js";
export { addMember, removeMember, type RemoveResult } from "./actions/team.js";
export { casesToShare, planShare, share, type SharePlan } from "./actions/share.js";
export { relatedCases, type RelatedCase } from "./actions/related.js";
export { assertCasesExist, expiredCases, historyToDrop, purgeCases, rewriteHistory, type ExpiredCase } from "./actions/retention.js";
export { verifyRepository, type VerifyProblem, type VerifyReport } from "./actions/verify.js";
export { sync, syncStatus, type SyncOutcome, type SyncStatus } from "./actions/sync.js";
export { vouch, type VouchResult } from "./actions/vouch.js";
export { collectTransparency } from "./actions/transparency.js";
export { createdIds, type WriteResult } from "./actions/write.js";
export { formSettings, MAX_SUBMISSION_BYTES, openSubmission, type FormSettings } from "./actions/form.js";
export { MAX_EML_BYTES, parseEmailReport, type EmailReport } from "./actions/email.js";
export { attachEvidence, evidenceCap, evidenceOf, prepareEvidence, readEvidence, type Attached, type EvidenceInput } from "./actions/evidence.js";
export { viewableExtension, viewerExtension } from "./evidence/media-type.js";
export { addOverseer, removeOverseer, type OverseerRemoval } from "./actions/oversight.js";
export { escalate, requireOverseers, type EscalateInput, type EscalateResult } from "./actions/escalate.js";
export { planAppeal, recordAppeal, recordAppealOutcome } from "./actions/appeal.js";
export { auditBundle, type AuditBundle } from "./actions/audit.js";
export { consentOf, recordConsent, recordOverride, type ConsentChange } from "./actions/consent.js";
export { consequenceRegister, matchAttendees, registerCsv, type AttendeeMatch, type Register } from "./actions/bans.js";

// Public text and the matrix
export { caseMatrix, matrixGrid, overallMatrix, type MatrixData } from "./reports/matrix.js";
export { announcementData, announcementValues, publicSettingValues } from "./reports/announcement.js";
export { buildLetter, LETTER_RECIPIENTS, letterValues, type LetterRecipient } from "./reports/letters.js";
export { buildStageLetter, LETTER_KINDS, type LetterKind } from "./reports/stage-letters.js";
export { parseCsv } from "./reports/csv.js";
export { transparencyValues } from "./reports/transparency-values.js";
export { readableTerms } from "./actions/public-text.js";
export { isDay, TRANSPARENCY_FORMATS, type TransparencyFormat } from "./reports/transparency.js";
export { renderTransparency } from "./reports/transparency-render.js";
export { checkPublicText, type GateInput, type GateResult, type PublicValue } from "./reports/gate.js";
export { render, type Helper } from "./templates/render.js";
