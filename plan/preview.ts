// `pulumi preview --json` as the plan's commands read it: the drift report (drift.ts), the
// destructive-change gate (gate.ts) and saved plans (reviewed.ts). Secrets in it are masked.
import { urnType } from "../components/urn";

export interface PreviewState {
  readonly type?: string;
  readonly parent?: string;
  readonly inputs?: Record<string, unknown>;
  readonly outputs?: Record<string, unknown>;
}

export interface PreviewStep {
  readonly op: string;
  readonly urn: string;
  /** What the stack held (refreshed, with `--refresh`); none for a create. */
  readonly oldState?: PreviewState;
  /** What the program declares; none for a delete. */
  readonly newState?: PreviewState;
}

export interface PreviewJson {
  readonly steps?: readonly PreviewStep[];
  readonly diagnostics?: readonly { readonly message?: string; readonly severity?: string; readonly urn?: string }[];
}

/** A step's resource type: from its states, else from its URN. */
export const stepType = (step: PreviewStep): string => step.newState?.type ?? step.oldState?.type ?? urnType(step.urn);
