// Railway does not deploy pushes by itself: the deploy workflow is the environment's one deploy
// authority, so every deployment passes its reviewers, its health checks, its smoke test and its
// rollback.
import { resourcePolicy } from "../policy";
import { TYPES } from "../types";

export default resourcePolicy(
  {
    name: "security-railway-deploys-through-workflow",
    description: "No Railway service deploys pushes to its branch by itself (no GitHub deploy trigger); the deploy workflow deploys.",
    why: "A deploy trigger ships every push at once, before the environment's reviewers approve and without migrations, health gate, smoke test or rollback, and the workflow's rollback then restores the unreviewed build.",
    type: TYPES.railwayDeployment,
  },
  (props, violate) => {
    if (props.repo !== undefined && props.repo !== null) {
      violate("Railway deploys every push to this service's branch by itself (autoDeploy).");
    }
  },
);
