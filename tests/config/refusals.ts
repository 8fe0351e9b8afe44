// Shared by the config tests: editable copies of the shipped stacks, and the problems a refusal lists.
import { expect } from "vitest";
import { ConfigError, type ConfigProblem } from "../../config";
import { clone, stackRaw } from "../helpers";

/** A copy of a stack file's raw config, to edit. */
export function stackCopy(stack: string): Record<string, any> {
  return clone(stackRaw(stack).raw) as Record<string, any>;
}

/** The problems of the ConfigError `fn` throws; fails the test when it throws anything else, or nothing. */
export function problemsOf(fn: () => unknown): ConfigProblem[] {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return [...(err as ConfigError).problems];
  }
  throw new Error("expected the config to be refused");
}
