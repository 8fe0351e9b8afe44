// Retry timing shared by the API clients.
import { describe, expect, it } from "vitest";
import { backoffMs } from "../../components/provider-kit";

describe("backoff", () => {
  const policy = { attempts: 5, baseMs: 100, maxWaitMs: 30_000 };
  it("honours Retry-After in seconds or as a date, capped", () => {
    expect(backoffMs(0, policy, "2")).toBe(2000);
    expect(backoffMs(3, policy, "0")).toBe(0);
    expect(backoffMs(0, policy, "3600")).toBe(30_000);
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    expect(backoffMs(0, policy, inTenSeconds)).toBeGreaterThan(8_000);
  });
  it("otherwise backs off exponentially with full jitter", () => {
    expect([0, 1, 2, 3].map((a) => backoffMs(a, policy, null, () => 0.999))).toEqual([99, 199, 399, 799]);
    expect(backoffMs(4, policy, null, () => 0)).toBe(0);
    expect(backoffMs(20, policy, null, () => 0.999)).toBe(30_000);
  });
});
