// A service's domains in one environment: the Railway-provided `*.up.railway.app` one (Railway
// allows one per service per environment) and custom ones. Each is looked for before it is made.
import { createOnce, diffOf, pick, unlessNotFound, type Props } from "../../provider-kit";
import { ctx, railway, type RequestContext } from "../api";
import { gql } from "../documents";
import { defineKind, type KindHandler } from "../../provider/kind";

interface DomainNode {
  id: string;
  domain: string;
  targetPort: number | null;
}

async function domainsOf(inputs: Props, c: RequestContext): Promise<{ customDomains: DomainNode[]; serviceDomains: DomainNode[] }> {
  return (
    await railway<{ domains: { customDomains: DomainNode[]; serviceDomains: DomainNode[] } }>(
      gql.DOMAINS,
      { projectId: inputs.projectId, environmentId: inputs.environmentId, serviceId: inputs.serviceId },
      c,
    )
  ).domains;
}

// ---------------------------------------------------------------------------------------------

export interface CustomDomainInputs {
  projectId: string;
  environmentId: string;
  serviceId: string;
  domain: string;
  targetPort?: number;
}

const CUSTOM_INPUTS = ["projectId", "environmentId", "serviceId", "domain", "targetPort"] as const;

function setCustomPort(id: string, inputs: Props, c: RequestContext) {
  return railway(gql.CUSTOM_DOMAIN_UPDATE, { id, environmentId: inputs.environmentId, targetPort: inputs.targetPort ?? null }, c);
}

const customDomainProvider: KindHandler = {
  async check(_olds, news) {
    return { inputs: { ...news, domain: String(news.domain).toLowerCase() } };
  },
  async diff(_id, olds, news) {
    return diffOf(olds, news, CUSTOM_INPUTS, ["projectId", "environmentId", "serviceId", "domain"]);
  },
  async create(inputs) {
    const c = ctx("custom domain", inputs.domain, "create");
    const find = async () => (await domainsOf(inputs, c)).customDomains.find((d) => d.domain === inputs.domain);
    const existing = await find();
    if (existing) {
      if ((existing.targetPort ?? undefined) !== inputs.targetPort) await setCustomPort(existing.id, inputs, c);
      return { id: existing.id, outs: inputs };
    }
    const created = await createOnce(
      find,
      async () =>
        (await railway<{ customDomainCreate: DomainNode }>(gql.CUSTOM_DOMAIN_CREATE, { input: pick(inputs, CUSTOM_INPUTS) }, c, { write: true }))
          .customDomainCreate,
    );
    return { id: created.id, outs: inputs };
  },
  async read(id, props) {
    const found = (await unlessNotFound(() => domainsOf(props!, ctx("custom domain", props?.domain, "read"))))?.customDomains.find((d) => d.id === id);
    if (!found) return {};
    return { id, props: { ...props, domain: found.domain, ...(found.targetPort !== null ? { targetPort: found.targetPort } : {}) } as Props };
  },
  async update(id, _olds, news) {
    await setCustomPort(id, news, ctx("custom domain", news.domain, "update"));
    return { outs: news };
  },
  async delete(id, props) {
    await unlessNotFound(() => railway(gql.CUSTOM_DOMAIN_DELETE, { id }, ctx("custom domain", props.domain, "delete")));
  },
};

export const customDomainKind = defineKind<CustomDomainInputs, Record<never, never>>({
  token: "platform:railway:CustomDomain",
  outputs: [],
  secretOutputs: [],
  handler: customDomainProvider,
});

// ---------------------------------------------------------------------------------------------

export interface ServiceDomainInputs {
  projectId: string;
  environmentId: string;
  serviceId: string;
  name: string;
  targetPort?: number;
}

const SERVICE_DOMAIN_INPUTS = ["projectId", "environmentId", "serviceId", "name", "targetPort"] as const;

function setServicePort(domain: DomainNode, inputs: Props, c: RequestContext) {
  return railway(
    gql.SERVICE_DOMAIN_UPDATE,
    {
      input: {
        serviceDomainId: domain.id,
        domain: domain.domain,
        environmentId: inputs.environmentId,
        serviceId: inputs.serviceId,
        targetPort: inputs.targetPort ?? null,
      },
    },
    c,
  );
}

const serviceDomainProvider: KindHandler = {
  async diff(_id, olds, news) {
    // One per service per environment: a new one can only come after the old one is gone.
    return diffOf(olds, news, SERVICE_DOMAIN_INPUTS, ["projectId", "environmentId", "serviceId"], { deleteBeforeReplace: true });
  },
  async create(inputs) {
    const c = ctx("Railway domain of service", inputs.name, "create");
    const find = async () => (await domainsOf(inputs, c)).serviceDomains[0];
    let domain = await find();
    if (domain) {
      if ((domain.targetPort ?? undefined) !== inputs.targetPort) await setServicePort(domain, inputs, c);
    } else {
      const input = {
        environmentId: inputs.environmentId,
        serviceId: inputs.serviceId,
        ...(inputs.targetPort !== undefined ? { targetPort: inputs.targetPort } : {}),
      };
      domain = await createOnce(
        find,
        async () => (await railway<{ serviceDomainCreate: DomainNode }>(gql.SERVICE_DOMAIN_CREATE, { input }, c, { write: true })).serviceDomainCreate,
      );
    }
    return { id: domain.id, outs: { ...inputs, domain: domain.domain } };
  },
  async read(id, props) {
    const found = (await unlessNotFound(() => domainsOf(props!, ctx("Railway domain of service", props?.name, "read"))))?.serviceDomains.find(
      (d) => d.id === id,
    );
    if (!found) return {};
    return { id, props: { ...props, domain: found.domain, ...(found.targetPort !== null ? { targetPort: found.targetPort } : {}) } as Props };
  },
  async update(id, olds, news) {
    await setServicePort({ id, domain: olds.domain, targetPort: null }, news, ctx("Railway domain of service", news.name, "update"));
    return { outs: { ...news, domain: olds.domain } };
  },
  async delete(id, props) {
    await unlessNotFound(() => railway(gql.SERVICE_DOMAIN_DELETE, { id }, ctx("Railway domain of service", props.name, "delete")));
  },
};

export const serviceDomainKind = defineKind<ServiceDomainInputs, { domain: string }>({
  token: "platform:railway:ServiceDomain",
  outputs: ["domain"],
  secretOutputs: [],
  handler: serviceDomainProvider,
});
