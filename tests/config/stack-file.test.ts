// The stack-file reader: each value as `pulumi up` reads it (yaml.v3's rules, measured with the
// real CLI in tests/cli/stack-file.test.ts), or the key refused, named with its line and told what
// to write; hostile files refused within their limits, fast and in little memory; duplicate keys
// named with both lines; an empty file as no config.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { UserError } from "../../config/errors";
import { parseStackFile, resolvePlain, STACK_FILE_LIMITS } from "../../config/stack-file";
import { stackTextOf } from "./stack-files";

const read = (text: string) => parseStackFile(Buffer.from(text), "Pulumi.dev.yaml", "platform");
const valueOf = (text: string) => read(`config:\n  platform:v: ${text}\n`).values.get("platform:v");

function refusal(text: string): string {
  try {
    read(text);
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
  throw new Error("expected the file to be refused");
}

/** Runs `run`, and its time in ms. */
function timed<T>(run: () => T): { result: T; ms: number } {
  const start = performance.now();
  const result = run();
  return { result, ms: performance.now() - start };
}

describe("values, as Pulumi reads them", () => {
  it.each([
    ["yes", "yes"],
    ["on", "on"],
    ["off", "off"],
    ["True", true],
    ["FALSE", false],
    ["~", null],
    ["null", null],
    [".5", 0.5],
    ["-.5", -0.5],
    ["1.", 1],
    ["0x1F", 31],
    ["0o17", 15],
    ["0b101", 5],
    ["-0x10", -16],
    ["+1", 1],
    ["-0", 0],
    ["0", 0],
    ["190:20:30", "190:20:30"],
    ["'0100'", "0100"],
    ['"2002-12-14"', "2002-12-14"],
    ["tRUE", "tRUE"],
  ])("%s is %j", (text, expected) => {
    expect(valueOf(text)).toEqual(expected);
  });

  it("gives a top-level null as Pulumi does: empty text", async () => {
    const { readStackFileText } = await import("./stack-files");
    expect(readStackFileText("config:\n  platform:tier: ~\n").config["platform:tier"]).toBe("");
  });

  it("expands anchors and aliases as Pulumi does", () => {
    expect(read("config:\n  platform:a: &x {k: [1, 2]}\n  platform:b: *x\n").values.get("platform:b")).toEqual({ k: [1, 2] });
  });

  it.each([
    ["0100", "is read by Pulumi as the number 64 (a leading zero makes it octal); write 64 for that number, or quote it ('0100') for the text."],
    ["-0100", "is read by Pulumi as the number -64"],
    ["08", "is read by Pulumi as the number 8"],
    ["1_000", "is read by Pulumi as the number 1000; write it without underscores, or quote it ('1_000') for the text."],
    ["1e3", "is a number in exponent notation; write it out (1000), or quote it ('1e3') for the text."],
    ["1e400", "is too large for a number, and Pulumi reads it as the text '1e400'; quote it."],
    [".inf", "is not a finite number, and Pulumi cannot read a stack file that holds one"],
    [".NaN", "is not a finite number"],
    ["2002-12-14", "is read by Pulumi as a date-time and turned into Go's text for it"],
    ["2001-12-14t21:59:43.10-05:00", "is read by Pulumi as a date-time"],
    ["12345678901234567890", "is a whole number too large to be read the same everywhere"],
    ["!!str 123", 'has the tag "tag:yaml.org,2002:str", and Pulumi converts tagged values its own way; write the value without the tag.'],
    ["!!binary aGVsbG8=", "has the tag"],
  ])("refuses %s, naming the key and its line and saying what to write", (text, why) => {
    expect(refusal(`config:\n  platform:services:\n    api:\n      port: ${text}\n`)).toContain(`Pulumi.dev.yaml: platform:services.api.port (line 4) `);
    expect(refusal(`config:\n  platform:services:\n    api:\n      port: ${text}\n`)).toContain(why);
  });

  it("refuses merge keys and keys that are not text, naming each", () => {
    expect(refusal("config:\n  platform:a: &x {k: 1}\n  platform:b:\n    <<: *x\n")).toContain(
      "platform:b.<< (line 4) is a merge key, which this reader does not take; write the merged keys out.",
    );
    expect(refusal("config:\n  platform:m:\n    1: one\n")).toContain(
      `platform:m."1" (line 3) is a key Pulumi reads as a number, not as text; quote it ('1').`,
    );
    expect(refusal("config:\n  platform:m:\n    null: n\n")).toContain("is a key Pulumi reads as null, not as text");
  });

  it("resolves every plain scalar to a value or a refusal, never both, and never throws", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 24 }), (text) => {
        const r = resolvePlain(text);
        expect("value" in r !== "refuse" in r).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe("text and keys", () => {
  it("refuses control characters in values and keys, naming the key and printing them escaped, never raw", () => {
    const message = refusal('config:\n  platform:services:\n    api:\n      startCommand: "node server.js \\e]0;owned\\a"\n      port: 3000\n');
    expect(message).toContain('platform:services.api.startCommand (line 4) holds a control character ("node server.js \\u001b]0;owned\\u0007")');
    expect(message).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(refusal('config:\n  platform:v: "a\\0b"\n')).toContain("\\u0000");
    expect(refusal('config:\n  platform:v: "a\\x85b"\n')).toContain("\\u0085");
    expect(refusal('config:\n  platform:m:\n    "a\\x1bb": 1\n')).toContain("is a key holding a control character");
    // Tabs and newlines are text.
    expect(valueOf('"a\\tb\\nc"')).toBe("a\tb\nc");
  });

  it("names a key given twice with its path and both lines", () => {
    expect(refusal("config:\n  platform:tier: dev\n  platform:tier: production\n")).toContain(
      "config.platform:tier (line 3) is given twice, on line 2 and line 3; keep one.",
    );
    expect(refusal("config:\n  platform:services:\n    api:\n      port: 1\n      port: 2\n")).toContain(
      "platform:services.api.port (line 5) is given twice, on line 4 and line 5; keep one.",
    );
    expect(refusal("config:\n  tier: dev\n  platform:tier: production\n")).toContain("'tier' and 'platform:tier' are the same key (platform:tier); keep one.");
  });

  it("reads an empty or comment-only file, or an empty config, as no config", () => {
    for (const text of ["", "# nothing yet\n", "\n\n", "config:\n", "config: ~\n", "encryptionsalt: v1:abc\n"])
      expect(read(text).values.size, JSON.stringify(text)).toBe(0);
  });

  it("records where the secure: values sit", () => {
    const parsed = read(
      "config:\n  platform:secrets:\n    A:\n      supplied: true\n      value:\n        secure: AAABAC\n  platform:services:\n    api:\n      domains: [{ secure: x }]\n",
    );
    expect([...parsed.secureLeaves].sort()).toEqual(["platform:secrets.A.value", "platform:services.api.domains[0]"]);
  });
});

describe("limits: any file is refused or read in well under a second, and a few MB", () => {
  const quick = (text: string, expected: string) => {
    const before = process.memoryUsage().heapUsed;
    const { ms, result } = timed(() => refusal(text));
    expect(result).toContain(expected);
    expect(ms).toBeLessThan(1_000);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(64 * 1024 * 1024);
  };

  it("size: a file over 128 KiB is not read", () => {
    const text = `config:\n  platform:v: "${"x".repeat(STACK_FILE_LIMITS.bytes)}"\n`;
    quick(text, `Pulumi.dev.yaml: is ${Buffer.byteLength(text)} bytes; a stack file may have at most 131072 (128 KiB). It is not read.`);
  });

  it("depth: brackets nested past 32 levels are refused by the lexer, before anything is built", () => {
    quick(
      `config:\n  platform:v: ${"[".repeat(60_000)}${"]".repeat(60_000)}\n`.slice(0, STACK_FILE_LIMITS.bytes),
      "Pulumi.dev.yaml: line 2 nests brackets more than 32 levels deep; it is not read.",
    );
    const block = ["config:", "  platform:v:"];
    for (let i = 0; i < 40; i++) block.push(`${"  ".repeat(i + 2)}k${i}:`);
    quick(`${block.join("\n")}\n`, "is nested more than 32 levels deep; it is not read further.");
  });

  it("aliases: a billion laughs stops at the budget of values, naming where", () => {
    const lines = ["config:", "  platform:a: &a [x, x, x, x, x, x, x, x, x, x]"];
    const names = "abcdefghij";
    for (let i = 1; i < 10; i++)
      lines.push(
        `  platform:${names[i]}: &${names[i]} [${Array(10)
          .fill(`*${names[i - 1]}`)
          .join(", ")}]`,
      );
    lines.push("  platform:lol: *j");
    quick(`${lines.join("\n")}\n`, "the file expands to more than 20000 values (aliases counted each time they are used); it is not read further.");
  });

  it("keys: more than 2,000 keys are refused, naming where the count ran out", () => {
    const lines = ["config:", "  platform:m:"];
    for (let i = 0; i < 3_000; i++) lines.push(`    k${i}: v`);
    quick(`${lines.join("\n")}\n`, "the file has more than 2000 keys; it is not read further.");
  });

  it("never throws anything but a UserError, and finishes each generated file in under a second", () => {
    fc.assert(
      fc.property(stackTextOf(), (text) => {
        const { ms } = timed(() => {
          try {
            read(text);
          } catch (err) {
            if (!(err instanceof UserError)) throw err;
          }
        });
        expect(ms).toBeLessThan(1_000);
      }),
      { numRuns: 300 },
    );
  });
});
