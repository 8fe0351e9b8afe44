// Supabase's resource classes, one per kind, built from the provider's table of kinds.
import { KINDS } from "../provider/kinds";
import { resourceClass } from "../provider/resources";

export const Project = resourceClass(KINDS.supabaseProject);
export type Project = InstanceType<typeof Project>;
export const Settings = resourceClass(KINDS.supabaseSettings);
export type Settings = InstanceType<typeof Settings>;
export const NetworkRestrictions = resourceClass(KINDS.supabaseNetwork);
export type NetworkRestrictions = InstanceType<typeof NetworkRestrictions>;
export const Branch = resourceClass(KINDS.supabaseBranch);
export type Branch = InstanceType<typeof Branch>;
