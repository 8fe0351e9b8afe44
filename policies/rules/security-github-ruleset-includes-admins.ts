// Nobody bypasses the deploy branch's ruleset by being an administrator.
import { resourcePolicy } from "../policy";
import { TYPES } from "../types";

/** GitHub's repository role id for admin. */
const ADMIN_ROLE = 5;

export default resourcePolicy(
  {
    name: "security-github-ruleset-includes-admins",
    description: "Repository and organization administrators are held to the deploy branch's ruleset.",
    why: "An exemption for administrators is an unreviewed path to production for every admin account, and for anyone who takes one over.",
    type: TYPES.githubRuleset,
  },
  (props, violate) => {
    const actors: Array<{ actorType?: string; actorId?: number }> = props.bypassActors ?? [];
    if (actors.some((a) => a.actorType === "OrganizationAdmin" || (a.actorType === "RepositoryRole" && a.actorId === ADMIN_ROLE))) {
      violate("This ruleset lets administrators bypass it.");
    }
  },
);
