// The policy pack `pulumi preview --policy-pack policies --policy-pack-config policies/config/<stack>.json`
// runs: every policy under rules/, each mandatory and at production strength unless the stack's
// config relaxes it, so a preview without a config fails closed.
import { PolicyPack } from "@pulumi/policy";
import { PACK, POLICIES } from "./all";

new PolicyPack(PACK.name, { policies: [...POLICIES] });
