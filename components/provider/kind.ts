// What a resource kind of the `platform` provider plugin is: its type token, the outputs it adds to
// its inputs (and which of them are secrets), and its handler, Pulumi's provider operations over
// plain values. Each kind lives in a leaf module under components/<cloud>/kinds/ that imports this
// file and never the table that lists the kinds (./kinds.ts): a kind cannot depend on the others,
// nor on the order they are loaded in.
import type * as pulumi from "@pulumi/pulumi";

export type Props = Record<string, any>;

/** A resource's inputs, each of which may come from another resource. */
export type In<T> = { readonly [K in keyof T]: pulumi.Input<T[K]> };

export interface DiffResult {
  readonly changes?: boolean;
  readonly replaces?: readonly string[];
  readonly deleteBeforeReplace?: boolean;
}

export interface CheckFailure {
  readonly property: string;
  readonly reason: string;
}

/**
 * Pulumi's operations on one kind's resources, over plain values (secrets unwrapped, unknowns as
 * Pulumi's unknown marker during a preview): `olds` in check are the last inputs, elsewhere the
 * last outputs; read gives `{}` for something gone.
 */
export interface KindHandler {
  check?(olds: Props, news: Props): Promise<{ inputs: Props; failures?: readonly CheckFailure[] }>;
  /** `urn` names the resource, for messages. */
  diff(id: string, olds: Props, news: Props, urn: string): Promise<DiffResult>;
  create(inputs: Props): Promise<{ id: string; outs: Props }>;
  read?(id: string, props: Props): Promise<{ id?: string; props?: Props }>;
  update?(id: string, olds: Props, news: Props): Promise<{ outs: Props }>;
  delete?(id: string, props: Props): Promise<void>;
}

export interface Kind<I = Props, O = Props> {
  /** `platform:<cloud>:<Name>`: the type token its resources are registered with. */
  readonly token: string;
  /** The outputs it adds to its inputs, unknown until the resource exists. */
  readonly outputs: readonly (keyof O & string)[];
  /** Outputs (and inputs carried into the outputs) that are always secrets: passwords, keys, connection strings. */
  readonly secretOutputs: readonly string[];
  readonly handler: KindHandler;
  /** The inputs' and outputs' types, for the resource class built from the kind; no value. */
  readonly types?: { readonly inputs: I; readonly outputs: O };
}

export function defineKind<I, O = Record<never, never>>(kind: Omit<Kind<I, O>, "types">): Kind<I, O> {
  return kind;
}
