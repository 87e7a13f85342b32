/** The states `coc list --status` takes. */
export const STATUSES = ["new", "in-review", "decided", "resolved", "closed", "restricted", "unreadable", "unverified", "open"];
