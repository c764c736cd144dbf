/** Why a finding is worth an alert: it is new, it came back after being resolved, or it got worse. */
export type AlertReason = "created" | "reopened" | "escalated";

export interface AlertCandidate {
  findingId: string;
  reason: AlertReason;
}
