// Every third-party action and tool the generated workflows use, pinned: actions by full commit
// SHA (a tag can be moved to other code; a commit cannot), tools by exact version. Each SHA is the
// commit its release tag pointed to; update one by looking the tag up again, never by editing the
// tag name alone.

export interface PinnedAction {
  readonly repo: string;
  readonly sha: string;
  readonly version: string;
}

export const ACTIONS = {
  checkout: { repo: "actions/checkout", sha: "11bd71901bbe5b1630ceea73d27597364c9af683", version: "v4.2.2" },
  setupNode: { repo: "actions/setup-node", sha: "49933ea5288caeca8642d1e84afbd3f7d6820020", version: "v4.4.0" },
  setupPython: { repo: "actions/setup-python", sha: "a26af69be951a213d495a4c3e4e4022e16d87065", version: "v5.6.0" },
  dockerLogin: { repo: "docker/login-action", sha: "74a5d142397b4f367a81961eba4e8cd7edddf772", version: "v3.4.0" },
  dockerBuildPush: { repo: "docker/build-push-action", sha: "263435318d21b8e681c14492fe198d362a7d2c83", version: "v6.18.0" },
  trivy: { repo: "aquasecurity/trivy-action", sha: "ed142fd0673e97e23eac54620cfb913e5ce36c25", version: "v0.36.0" },
  pulumi: { repo: "pulumi/actions", sha: "8e5e406f4007fca908480587cb9893c07090f58d", version: "v7.0.0" },
  uploadArtifact: { repo: "actions/upload-artifact", sha: "ea165f8d65b6e75b540449e92b4886f43607fa02", version: "v4.6.2" },
} as const satisfies Record<string, PinnedAction>;

export type ActionName = keyof typeof ACTIONS;

/** `owner/repo@<sha>` for a workflow's `uses:`. */
export function uses(name: ActionName): string {
  const action = ACTIONS[name];
  return `${action.repo}@${action.sha}`;
}
