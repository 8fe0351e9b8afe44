// Generated secrets are long enough to be keys.
import { stackPolicy } from "../policy";
import { TYPES } from "../types";

const MIN_BYTES = 32;

export default stackPolicy(
  {
    name: "security-generated-secret-length",
    description: "Every generated secret has at least 32 bytes (or 32 characters) of randomness.",
    why: "HMAC keys shorter than their hash (RFC 7518 §3.2) and short passwords can be brute-forced.",
  },
  (resources, violate) => {
    for (const r of resources) {
      if ((r.type === TYPES.randomBytes || r.type === TYPES.randomPassword) && !(r.props.length >= MIN_BYTES)) {
        violate(`This generated secret is shorter than ${MIN_BYTES} ${r.type === TYPES.randomBytes ? "bytes" : "characters"}.`, r);
      }
    }
  },
);
