// The resources that hold data are protected from deletion.
import { stackPolicy } from "../policy";
import { TYPES } from "../types";

const DATA = [TYPES.supabaseProject, TYPES.railwayVolume, TYPES.railwayEnvironment];

export default stackPolicy(
  {
    name: "reliability-data-protected",
    description: "The database, the volumes and the environment holding them are protected from deletion.",
    why: "An unprotected data resource is one mistaken `pulumi destroy` or rename away from being deleted.",
  },
  (resources, violate) => {
    for (const r of resources) {
      if ((DATA as readonly string[]).includes(r.type) && r.opts.protect !== true) violate("This data resource is not protected from deletion.", r);
    }
  },
);
