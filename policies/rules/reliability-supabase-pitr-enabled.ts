// The database can be restored to any point in time.
import { resourcePolicy } from "../policy";
import { TYPES } from "../types";

export default resourcePolicy(
  {
    name: "reliability-supabase-pitr-enabled",
    description: "The Supabase database has point-in-time recovery.",
    why: "Daily backups alone lose up to a day of data; PITR restores to the second before the mistake.",
    type: TYPES.supabaseSettings,
  },
  (props, violate) => {
    if (!(props.pitrDays > 0)) violate("This Supabase project has no point-in-time recovery.");
  },
);
