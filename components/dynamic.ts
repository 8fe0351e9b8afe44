// One dynamic provider for several resource kinds, dispatching on each resource's `kind` input.
// Pulumi serializes a provider once per provider object, so a program whose resources share one
// provider pays for one serialization instead of one per kind.
import type * as pulumi from "@pulumi/pulumi";

type Props = Record<string, any>;

export function providerForKinds(service: string, kinds: Readonly<Record<string, pulumi.dynamic.ResourceProvider>>): pulumi.dynamic.ResourceProvider {
  const handlerFor = (props: Props | undefined): pulumi.dynamic.ResourceProvider => {
    const handler = kinds[String(props?.kind)];
    if (!handler) throw new Error(`${service} provider: unknown resource kind ${JSON.stringify(props?.kind)}.`);
    return handler;
  };
  return {
    async check(olds, news) {
      const handler = handlerFor(news);
      return handler.check ? handler.check(olds, news) : { inputs: news };
    },
    async diff(id, olds, news) {
      return handlerFor(news).diff!(id, olds, news);
    },
    async create(inputs) {
      return handlerFor(inputs).create(inputs);
    },
    async read(id, props) {
      return handlerFor(props).read!(id, props);
    },
    async update(id, olds, news) {
      return handlerFor(news).update!(id, olds, news);
    },
    async delete(id, props) {
      return handlerFor(props).delete!(id, props);
    },
  };
}

/** Runs a call against something that may be gone: undefined when `notFound` says it is, as for a read or a delete. */
export async function unlessNotFound<T>(run: () => Promise<T>, notFound: (err: unknown) => boolean): Promise<T | undefined> {
  try {
    return await run();
  } catch (err) {
    if (notFound(err)) return undefined;
    throw err;
  }
}
