// Static outbound addresses for a service in one environment (Railway Pro): the database's network
// restrictions list them, so only the services that use it can connect. Created once (an existing
// association is kept), read back on refresh, cleared on delete.
import { diffOf, unlessNotFound } from "../../provider-kit";
import { ctx, railway, type RequestContext } from "../api";
import { gql } from "../documents";
import { defineKind, type KindHandler } from "../../provider/kind";

export interface EgressInputs {
  environmentId: string;
  serviceId: string;
  /** The service's name, for messages. */
  name: string;
}

type Gateway = { ipv4: string; region: string };

async function gateways(inputs: Record<string, any>, c: RequestContext): Promise<string[]> {
  const data = await railway<{ egressGateways: Gateway[] }>(gql.EGRESS_GATEWAYS, { serviceId: inputs.serviceId, environmentId: inputs.environmentId }, c);
  return data.egressGateways.map((g) => g.ipv4).sort();
}

const provider: KindHandler = {
  async diff(_id, olds, news) {
    return diffOf(olds, news, ["environmentId", "serviceId"], ["environmentId", "serviceId"], { deleteBeforeReplace: true });
  },
  async create(inputs) {
    const c = ctx("static egress of service", inputs.name, "create");
    let ips = await gateways(inputs, c);
    if (ips.length === 0) {
      // Creating an association that exists returns it: the call is safe to repeat.
      const data = await railway<{ egressGatewayAssociationCreate: Gateway[] }>(
        gql.EGRESS_GATEWAY_CREATE,
        { input: { environmentId: inputs.environmentId, serviceId: inputs.serviceId } },
        c,
      );
      ips = data.egressGatewayAssociationCreate.map((g) => g.ipv4).sort();
    }
    return { id: `${inputs.serviceId}:${inputs.environmentId}:egress`, outs: { ...inputs, ips } };
  },
  async read(id, props) {
    const ips = await unlessNotFound(() => gateways(props!, ctx("static egress of service", props?.name, "read")));
    if (ips === undefined || ips.length === 0) return {};
    return { id, props: { ...props, ips } };
  },
  async update(_id, olds, news) {
    return { outs: { ...news, ips: olds.ips } };
  },
  async delete(_id, props) {
    const c = ctx("static egress of service", props.name, "delete");
    await unlessNotFound(() => railway(gql.EGRESS_GATEWAYS_CLEAR, { input: { environmentId: props.environmentId, serviceId: props.serviceId } }, c));
  },
};

export const egressKind = defineKind<EgressInputs, { ips: string[] }>({
  token: "platform:railway:Egress",
  outputs: ["ips"],
  secretOutputs: [],
  handler: provider,
});
