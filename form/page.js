// The reporting form's script (bundled with age-encryption by scripts/build-form.mjs into
// dist/form/page.js, and inlined into the page by `coc form`). It runs only in the reporter's
// browser: it reads the form, builds a report body, encrypts it to the team's keys and shows the
// encrypted text. It makes no request of any kind (the page's Content-Security-Policy forbids it).
import { Encrypter, armor } from "age-encryption";

const settings = JSON.parse(document.getElementById("coc-settings").textContent);
const form = document.getElementById("report-form");
const result = document.getElementById("result");
const output = document.getElementById("encrypted");
const status = document.getElementById("status");
const download = document.getElementById("download");
const copy = document.getElementById("copy");
const clearConsent = document.getElementById("consent-clear");

const value = (name) => form.elements.namedItem(name).value.trim();
const checked = (name) => form.elements.namedItem(name).checked;
const lines = (name) => value(name).split("\n").map((l) => l.trim()).filter(Boolean);
/** The checked answer of a radio group, or "" when the reporter left it blank. */
const answer = (name) => form.elements.namedItem(name).value;

/** Leaves out empty fields (and parts left wholly empty), so the body holds only what the reporter wrote. */
function compact(o) {
  for (const k of Object.keys(o)) {
    const v = o[k];
    const emptyPart = v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 0;
    if (v === undefined || v === "" || (Array.isArray(v) && v.length === 0) || emptyPart) delete o[k];
  }
  return o;
}

const SHARE_TARGETS = ["venue", "security", "police", "umbrella", "mediator"];

/**
 * The reporter's consent: only the questions they answered. A blank one sends
 * nothing, so it stays "not recorded", which never counts as agreement. The
 * block is sent even when wholly blank: it says the form asked.
 */
function consentBlock() {
  return compact({
    contact_reported: answer("contact_reported"),
    share: compact(Object.fromEntries(SHARE_TARGETS.map((t) => [t, answer(`share_${t}`)]))),
    public_statement: answer("public_statement"),
    transparency: answer("transparency"),
    followup: compact({ channel: value("followup_channel"), times: value("followup_times") }),
  });
}

/** The report body (see the README: Records), as coc new-report --from-age reads it. */
function reportBody() {
  const name = value("reporter_name");
  const contact = value("reporter_contact");
  return {
    received_at: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
    channel: "online-form",
    reporter: compact({ name, contact, anonymous: !name && !contact, wants_followup: checked("wants_followup") }),
    incident: compact({
      summary: value("summary"),
      description: value("description"),
      occurred_at: value("occurred_at"),
      location: value("location"),
      ongoing: checked("ongoing"),
      people: lines("people").map((l) => ({ name: l })),
      witnesses: lines("witnesses").map((l) => ({ name: l })),
      links: lines("links"),
    }),
    safety: { immediate_risk: checked("immediate_risk"), support_offered: [] },
    consent: consentBlock(),
  };
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!form.reportValidity()) return;
  status.textContent = "Encrypting…";
  try {
    const e = new Encrypter();
    for (const r of settings.recipients) e.addRecipient(r);
    const text = armor.encode(await e.encrypt(JSON.stringify(reportBody())));
    output.value = text;
    if (download.href) URL.revokeObjectURL(download.href);
    download.href = URL.createObjectURL(new Blob([text], { type: "application/octet-stream" }));
    result.hidden = false;
    status.textContent = "Your report is encrypted. Copy the text below into an e-mail to the team, or download it as a file and send that.";
    output.focus();
    output.select();
  } catch (err) {
    status.textContent = `Encryption failed: ${err && err.message ? err.message : err}. Nothing was sent anywhere.`;
  }
});

clearConsent.addEventListener("click", () => {
  for (const input of document.querySelectorAll("#consent input[type=radio]")) input.checked = false;
  status.textContent = "Your answers to these questions are cleared: the team will ask you first.";
});

copy.addEventListener("click", async () => {
  output.select();
  try {
    await navigator.clipboard.writeText(output.value);
    status.textContent = "Copied. Paste it into an e-mail to the team.";
  } catch {
    status.textContent = "Select the text and copy it with your keyboard (Ctrl+C or Cmd+C).";
  }
});
