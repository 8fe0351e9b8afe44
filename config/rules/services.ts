// Rules across a service's keys and the rest of the stack: its secrets, variables, uses, domains,
// limits, deploy authority and image registry.
import { RAILWAY_PLAN_LIMITS, WIRED_VARIABLES } from "../catalog";
import { closest, keyPath } from "../errors";
import { REDIS_SERVICE, REGISTRY_SECRET, domainResourceName, looksSecret } from "../names";
import type { ParsedService } from "../types";
import type { Problem, Rule, RuleInput } from "./rule";

/** A rule that looks at one service at a time, its keys under `base`. */
function eachService(name: string, check: (service: ParsedService, base: readonly PropertyKey[], input: RuleInput) => Problem[]): Rule {
  return { name, check: (input) => input.services.flatMap((service) => check(service, ["services", service.name], input)) };
}

export const SERVICE_RULES: readonly Rule[] = [
  eachService("redis-name-reserved", (service, base, { raw }) =>
    service.name === REDIS_SERVICE && raw.redis !== undefined
      ? [{ path: base, message: `the name 'redis' is taken by the Redis service that platform:redis creates; rename this service.` }]
      : [],
  ),

  eachService("service-secrets-declared", (service, base, { declaredSecrets, show }) =>
    service.secrets.flatMap((name, i) => {
      if (declaredSecrets.has(name)) return [];
      const guess = closest(name, [...declaredSecrets]);
      return [
        {
          path: [...base, "secrets", i],
          message: `names the secret ${show([...base, "secrets", i], name)}, which platform:secrets does not declare${guess ? `; did you mean '${guess}'?` : ""}. Declare it under platform:secrets (generate or supplied) or remove it here.`,
        },
      ];
    }),
  ),

  eachService("secret-or-variable", (service, base) =>
    service.secrets
      .filter((name) => name in service.variables)
      .map((name) => ({
        path: [...base, "variables", name],
        message: `is also listed in secrets; a name is either a plain variable or a secret. Remove it from variables.`,
      })),
  ),

  eachService("uses-configured", (service, base, { raw, show }) =>
    service.uses.flatMap((use, i) =>
      raw[use] === undefined
        ? [
            {
              path: [...base, "uses", i],
              message: `uses ${show([...base, "uses", i], use)}, but platform:${use} is not configured. Add platform:${use} or remove it here.`,
            },
          ]
        : [],
    ),
  ),

  eachService("wired-variables-left-to-the-platform", (service, base, { show }) => {
    const wired = [...WIRED_VARIABLES.always, ...service.uses.flatMap((use) => WIRED_VARIABLES[use])];
    return (
      [
        ["variables", Object.keys(service.variables)],
        ["secrets", service.secrets],
      ] as const
    ).flatMap(([list, names]) =>
      names.flatMap((name, i) =>
        wired.includes(name)
          ? [
              {
                path: [...base, list, list === "variables" ? name : i],
                message: `${show([...base, list], name)} is set by the platform for this service (${wired.join(", ")}); remove it here.`,
              },
            ]
          : [],
      ),
    );
  }),

  eachService("service-variables-not-secret", (service, base) =>
    Object.keys(service.variables)
      .filter(looksSecret)
      .map((name) => ({
        path: [...base, "variables", name],
        message: `looks like a secret, and variables are stored in plain text. Declare it under platform:secrets and list it in ${keyPath([...base, "secrets"])}.`,
      })),
  ),

  eachService("railway-variables-reserved", (service, base) =>
    Object.keys(service.variables)
      .filter((name) => /^RAILWAY_/i.test(name))
      .map((name) => ({ path: [...base, "variables", name], message: "is a name Railway sets itself (RAILWAY_*); use another name." })),
  ),

  {
    // A domain routes to one service, and two domains must not derive one resource name.
    name: "domains-distinct",
    check: ({ services, show, sensitive }) => {
      const owners = new Map<string, string>();
      return services.flatMap((service) => {
        const base = ["services", service.name];
        const derived = new Map<string, string>();
        return service.domains.flatMap((domain, i): Problem[] => {
          const found: Problem[] = [];
          const owner = owners.get(domain);
          if (owner)
            found.push({
              path: [...base, "domains", i],
              message: `${show(base, domain)} is already a domain of service '${owner}'; a domain routes to one service.`,
            });
          else owners.set(domain, service.name);
          const name = domainResourceName(domain);
          const twin = derived.get(name);
          if (twin !== undefined && twin !== domain) {
            found.push({
              path: [...base, "domains", i],
              message: `${show(base, domain)} and ${show(base, twin)} would both be the resource '${sensitive(base) ? "…" : name}'; keep one.`,
            });
          } else derived.set(name, domain);
          return found;
        });
      });
    },
  },

  eachService("within-railway-plan-limits", (service, base, { railway }) => {
    if (!railway) return [];
    const limits = RAILWAY_PLAN_LIMITS[railway.plan];
    const other = railway.plan === "hobby" ? " or set platform:railway.plan to pro" : "";
    const found: Problem[] = [];
    if (service.replicas > limits.replicas) {
      found.push({
        path: [...base, "replicas"],
        message: `${service.replicas} is above the Railway ${railway.plan} plan's limit of ${limits.replicas} replicas per service; lower it${other}.`,
      });
    }
    if (service.resources.vcpu > limits.vcpu) {
      found.push({
        path: [...base, "resources", "vcpu"],
        message: `${service.resources.vcpu} is above the Railway ${railway.plan} plan's limit of ${limits.vcpu} vCPU per replica; lower it${other}.`,
      });
    }
    if (service.resources.memoryGb > limits.memoryGb) {
      found.push({
        path: [...base, "resources", "memoryGb"],
        message: `${service.resources.memoryGb} is above the Railway ${railway.plan} plan's limit of ${limits.memoryGb} GB per replica; lower it${other}.`,
      });
    }
    return found;
  }),

  eachService("auto-deploy-from-a-repository", (service, base) =>
    service.autoDeploy && service.source.kind !== "repo"
      ? [{ path: [...base, "autoDeploy"], message: "applies to services built from a repository; an image is deployed by the deploy workflow, by digest." }]
      : [],
  ),

  eachService("no-auto-deploy-in-production", (service, base, { tier }) =>
    service.autoDeploy && tier === "production"
      ? [
          {
            path: [...base, "autoDeploy"],
            message: "is true in a production stack: production deploys only through its deploy workflow, after its reviewers approve. Remove it.",
          },
        ]
      : [],
  ),

  eachService("registry-credentials-declared", (service, base, { declaredSecrets, show }) =>
    service.source.kind === "image" && service.source.registryCredentials && !declaredSecrets.has(service.source.registryCredentials.secret)
      ? [
          {
            path: [...base, "source", "registryCredentials", "secret"],
            message: `names the secret ${show(base, service.source.registryCredentials.secret)}, which platform:secrets does not declare. Declare it ({ supplied: true }).`,
          },
        ]
      : [],
  ),

  eachService("volume-on-one-replica", (service, base) =>
    service.volume && service.replicas > 1
      ? [
          {
            path: [...base, "replicas"],
            message: `${service.replicas} replicas with a volume: Railway cannot replicate a service that has a volume. Use 1 replica or remove the volume.`,
          },
        ]
      : [],
  ),

  {
    // An environment has one deploy authority: Railway's deploy on push, or the deploy workflow.
    name: "one-deploy-authority",
    check: ({ services }) => {
      const deployedByWorkflow = services.filter((s) => (s.source.kind === "repo" && !s.autoDeploy) || (s.source.kind === "image" && s.source.build));
      if (deployedByWorkflow.length === 0) return [];
      return services
        .filter((s) => s.autoDeploy && s.source.kind === "repo")
        .map((service) => ({
          path: ["services", service.name, "autoDeploy"],
          message: `is true while the deploy workflow deploys ${deployedByWorkflow.map((s) => s.name).join(", ")}: an environment has one deploy authority. Set autoDeploy on every service built from the repository, or on none.`,
        }));
    },
  },

  {
    name: "registry-token-for-built-images",
    check: ({ services, declaredSecrets }) => {
      const built = services.filter((s) => s.source.kind === "image" && s.source.build);
      return built.length > 0 && !declaredSecrets.has(REGISTRY_SECRET)
        ? [
            {
              path: ["secrets"],
              message: `needs ${REGISTRY_SECRET} (a token that may push to ghcr.io, { supplied: true }): services ${built.map((s) => s.name).join(", ")} build an image.`,
            },
          ]
        : [];
    },
  },
];
