// Pulumi's URNs, `urn:pulumi:<stack>::<project>::<parent types>$<type>::<name>`, read in one place.

/** A resource's name: the last part of its URN. */
export const urnName = (urn: string): string => urn.split("::").at(-1)!;

/** The stack a URN belongs to. */
export const urnStack = (urn: string): string => urn.slice("urn:pulumi:".length).split("::")[0]!;

/** A resource's own type: the last of its URN's type chain. */
export const urnType = (urn: string): string => urn.split("::")[2]?.split("$").at(-1) ?? "";
