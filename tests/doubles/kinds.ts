// A cloud's kinds as the provider tests call them: one object whose methods find the kind's handler
// in the provider's table by the `kind` the test names (`service-instance` is railwayServiceInstance)
// and call it as the plugin does, with plain values and without that `kind`; what comes back carries
// the `kind` again, so a test can hand it on to the next call.
import { KINDS, type KindName } from "../../components/provider/kinds";
import type { Kind, KindHandler, Props } from "../../components/provider/kind";

type Cloud = "railway" | "supabase";

function kindOf(cloud: Cloud, kind: unknown): Kind {
  const name = `${cloud}${String(kind).replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase())}` as KindName;
  const found = KINDS[name];
  if (!found) throw new Error(`no ${cloud} kind ${JSON.stringify(kind)} in the provider's table`);
  return found as Kind;
}

const handlerOf = (cloud: Cloud, kind: unknown): KindHandler => kindOf(cloud, kind).handler;

const without = ({ kind: _kind, ...rest }: Props = {}): Props => rest;

/** The handlers of one cloud's kinds, dispatched on the `kind` of each call's props. */
export function kindsOf(cloud: Cloud) {
  return {
    async check(olds: Props, news: Props): Promise<{ inputs: Props }> {
      const handler = handlerOf(cloud, news.kind);
      const result = handler.check ? await handler.check(without(olds), without(news)) : { inputs: without(news) };
      return { ...result, inputs: { kind: news.kind, ...result.inputs } };
    },
    // As the engine calls it, with the resource's URN (a test's own, or one of a dev stack).
    diff: (id: string, olds: Props, news: Props, urn?: string) => {
      const kind = kindOf(cloud, news.kind ?? olds.kind);
      return kind.handler.diff(id, without(olds), without(news), urn ?? `urn:pulumi:dev::platform::${kind.token}::${String(news.kind ?? olds.kind)}`);
    },
    async create(inputs: Props): Promise<{ id: string; outs: Props }> {
      try {
        const { id, outs } = await handlerOf(cloud, inputs.kind).create(without(inputs));
        return { id, outs: { kind: inputs.kind, ...outs } };
      } catch (err) {
        const unfinished = err as { properties?: Props };
        if (unfinished.properties) unfinished.properties = { kind: inputs.kind, ...unfinished.properties };
        throw err;
      }
    },
    /** What read found; `props` is empty when it found nothing. */
    async read(id: string, props: Props): Promise<{ id?: string; props: Props }> {
      const result = await handlerOf(cloud, props.kind).read!(id, without(props));
      // Gone: `{}`, as the handler says it.
      return result.props ? { ...result, props: { kind: props.kind, ...result.props } } : (result as { props: Props });
    },
    async update(id: string, olds: Props, news: Props): Promise<{ outs: Props }> {
      const kind = news.kind ?? olds.kind;
      const { outs } = await handlerOf(cloud, kind).update!(id, without(olds), without(news));
      return { outs: { kind, ...outs } };
    },
    delete: (id: string, props: Props) => handlerOf(cloud, props.kind).delete!(id, without(props)),
  };
}
