// The policy pack `pulumi preview --policy-pack policies --policy-pack-config policies/config/<stack>.json`
// runs: every policy under rules/, advisory unless the stack's config makes it mandatory.
import { PolicyPack } from "@pulumi/policy";
import { POLICIES } from "./all";

new PolicyPack("platform", { enforcementLevel: "advisory", policies: [...POLICIES] });
