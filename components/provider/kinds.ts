// The `platform` provider's kinds: the one table of them, type token by name. The plugin's
// dispatcher, the resource classes the program registers, the policy pack's type list and the test
// tables are all built from it; adding a kind touches its own file and this table.
import { deploymentKind } from "../railway/kinds/deployment";
import { customDomainKind, serviceDomainKind } from "../railway/kinds/domains";
import { egressKind } from "../railway/kinds/egress";
import { environmentKind } from "../railway/kinds/environment";
import { projectKind as railwayProjectKind } from "../railway/kinds/project";
import { serviceKind } from "../railway/kinds/service";
import { serviceInstanceKind } from "../railway/kinds/service-instance";
import { variablesKind } from "../railway/kinds/variables";
import { volumeKind } from "../railway/kinds/volume";
import { branchKind } from "../supabase/kinds/branch";
import { networkRestrictionsKind } from "../supabase/kinds/network";
import { projectKind as supabaseProjectKind } from "../supabase/kinds/project";
import { settingsKind } from "../supabase/kinds/settings";
import type { Kind } from "./kind";

export const KINDS = {
  railwayProject: railwayProjectKind,
  railwayEnvironment: environmentKind,
  railwayService: serviceKind,
  railwayServiceInstance: serviceInstanceKind,
  railwayVariables: variablesKind,
  railwayVolume: volumeKind,
  railwayServiceDomain: serviceDomainKind,
  railwayCustomDomain: customDomainKind,
  railwayDeployment: deploymentKind,
  railwayEgress: egressKind,
  supabaseProject: supabaseProjectKind,
  supabaseSettings: settingsKind,
  supabaseNetwork: networkRestrictionsKind,
  supabaseBranch: branchKind,
} as const;

export type KindName = keyof typeof KINDS;

/** Each kind by its type token: how the plugin finds a resource's handler. */
export const KIND_BY_TOKEN: ReadonlyMap<string, Kind> = new Map(Object.values(KINDS).map((k) => [k.token, k as Kind]));

/** Each kind's type token, by name: what the policies and the plan tell resources apart by. */
export const KIND_TYPES = Object.fromEntries(Object.entries(KINDS).map(([name, k]) => [name, k.token])) as { readonly [K in KindName]: string };
