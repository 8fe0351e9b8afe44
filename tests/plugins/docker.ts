// `docker` as the provider behind @pulumi/docker 5.2 behaves for `Image`: a create builds and pushes
// and answers the pushed image's digest (`repoDigest`); the program ignores later changes of what it
// builds, so a build happens once. No Docker engine is reached: the digest is a new one per build.
import { createHash, randomBytes } from "node:crypto";
import type { PluginProvider } from "../../components/provider/serve";
import { diffKeys, outputsFor, plain } from "../../components/provider/values";

const INPUTS = ["imageName", "build", "registry", "skipPush"];

export const dockerProvider: PluginProvider = {
  version: "5.2.0",
  async check(urn, _olds, news) {
    if (!urn.includes("image:Image")) throw new Error(`docker: unknown resource type in ${urn}`);
    return { inputs: news };
  },
  async diff(_id, _urn, olds, news) {
    return diffKeys(olds, news, INPUTS, ["imageName", "build"]);
  },
  async create(_urn, inputs) {
    const p = plain(inputs);
    const name = String(p.imageName);
    const repository = name.includes(":") ? name.slice(0, name.lastIndexOf(":")) : name;
    const digest = `sha256:${createHash("sha256").update(randomBytes(32)).digest("hex")}`;
    return { id: `${repository}@${digest}`, outs: outputsFor(inputs, { ...inputs, baseImageName: name, repoDigest: `${repository}@${digest}` }) };
  },
  async read(id, _urn, props) {
    return { id, props };
  },
  async update(_id, _urn, olds, news) {
    return { outs: { ...news, repoDigest: olds.repoDigest, baseImageName: olds.baseImageName } };
  },
  async delete() {},
};
