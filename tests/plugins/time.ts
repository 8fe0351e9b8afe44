// `time` as terraform-provider-time (bridged by @pulumiverse/time) behaves for `Rotating`: made with
// the current time and a rotation time `rotation*` later; once the rotation time has passed, the
// next plan replaces it (the rotation timestamp's ReplaceIfOutdated) and a read finds it gone
// (Read removes it from state), so the next `pulumi up` makes a new one, with a new id. The clock is
// the machine's, moved on by PLATFORM_TEST_CLOCK_OFFSET_DAYS so a test can reach a rotation.
import type { PluginProvider } from "../../components/provider/serve";
import { diffKeys, outputsFor, plain, type Props } from "../../components/provider/values";

const COMPUTED_UNLESS_GIVEN = ["rotationRfc3339", "rfc3339"];
const INPUTS = ["rotationDays", "rotationHours", "rotationMinutes", "rotationMonths", "rotationYears", "rotationRfc3339", "triggers", "rfc3339"];

export function now(): Date {
  const offset = Number(process.env.PLATFORM_TEST_CLOCK_OFFSET_DAYS ?? 0);
  return new Date(Date.now() + (Number.isFinite(offset) ? offset : 0) * 86_400_000);
}

/** RFC 3339 to the second, as the provider writes it. */
function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function rotationOf(base: Date, p: Props): Date {
  const at = new Date(base);
  if (p.rotationYears) at.setUTCFullYear(at.getUTCFullYear() + Number(p.rotationYears));
  if (p.rotationMonths) at.setUTCMonth(at.getUTCMonth() + Number(p.rotationMonths));
  if (p.rotationDays) at.setUTCDate(at.getUTCDate() + Number(p.rotationDays));
  if (p.rotationHours) at.setUTCHours(at.getUTCHours() + Number(p.rotationHours));
  if (p.rotationMinutes) at.setUTCMinutes(at.getUTCMinutes() + Number(p.rotationMinutes));
  return p.rotationRfc3339 ? new Date(p.rotationRfc3339) : at;
}

function outdated(props: Props): boolean {
  return typeof props.rotationRfc3339 === "string" && now().getTime() > Date.parse(props.rotationRfc3339);
}

export const timeProvider: PluginProvider = {
  version: "0.1.1",
  async check(urn, _olds, news) {
    if (!urn.includes("rotating:Rotating")) throw new Error(`time: unknown resource type in ${urn}`);
    const p = plain(news);
    const failures = ["rotationDays", "rotationHours", "rotationMinutes", "rotationMonths", "rotationYears", "rotationRfc3339"].some((k) => p[k] !== undefined)
      ? []
      : [{ property: "rotationDays", reason: "at least one of the 'rotation_' arguments must be configured" }];
    return { inputs: news, failures };
  },
  async diff(_id, _urn, olds, news) {
    // The base and rotation times are computed unless given (optional and computed in the schema):
    // left out, the saved ones stand.
    const keys = INPUTS.filter((k) => !COMPUTED_UNLESS_GIVEN.includes(k) || news[k] !== undefined);
    const diff = diffKeys(olds, news, keys, keys);
    if (outdated(olds)) return { changes: true, replaces: [...new Set([...diff.replaces, "rotationRfc3339"])], deleteBeforeReplace: false };
    return diff;
  },
  async create(_urn, inputs) {
    const p = plain(inputs);
    const base = p.rfc3339 ? new Date(p.rfc3339) : now();
    const id = rfc3339(base);
    const outs = {
      ...inputs,
      rfc3339: id,
      rotationRfc3339: rfc3339(rotationOf(base, p)),
      unix: Math.floor(base.getTime() / 1000),
      year: base.getUTCFullYear(),
      month: base.getUTCMonth() + 1,
      day: base.getUTCDate(),
      hour: base.getUTCHours(),
      minute: base.getUTCMinutes(),
      second: base.getUTCSeconds(),
    };
    return { id, outs: outputsFor(inputs, outs) };
  },
  async read(id, _urn, props) {
    if (outdated(plain(props ?? {}))) return { id: "", props: {} };
    return { id, props };
  },
  async update(_id, _urn, _olds, news) {
    return { outs: news };
  },
  async delete() {},
};
