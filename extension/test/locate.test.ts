import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  expandTilde,
  isInside,
  outsideWorkspace,
  parseVersionOutput,
  planCandidates,
  searchPath,
  type LocateInputs,
} from "../src/locate";

const base: LocateInputs = {
  envPath: undefined,
  setting: {},
  trusted: true,
  extensionPath: "/ext",
  home: "/home/me",
  pathEnv: "/usr/local/bin:/usr/bin",
  workspaceFolder: "/work/project",
};

/** Each group as "source: path, path". */
function describePlan(inputs: Partial<LocateInputs>): string[] {
  return planCandidates({ ...base, ...inputs }).groups.map((g) => `${g.source}: ${g.paths.join(", ")}`);
}

describe("planCandidates", () => {
  it("tries the bundled binary, then PATH, when nothing is configured", () => {
    assert.deepEqual(describePlan({}), ["bundled: /ext/bin/gord", "path: /usr/local/bin/gord, /usr/bin/gord"]);
  });

  it("puts the setting before the bundled binary", () => {
    assert.deepEqual(describePlan({ setting: { globalValue: "/opt/gord" } }), [
      "setting: /opt/gord",
      "bundled: /ext/bin/gord",
      "path: /usr/local/bin/gord, /usr/bin/gord",
    ]);
  });

  it("puts GORD_SERVER_PATH first and then leaves the setting out", () => {
    const plan = planCandidates({ ...base, envPath: "/dev/gord", setting: { globalValue: "/opt/gord" } });
    assert.deepEqual(
      plan.groups.map((g) => `${g.source}: ${g.paths.join(", ")}`),
      ["env: /dev/gord", "bundled: /ext/bin/gord", "path: /usr/local/bin/gord, /usr/bin/gord"],
    );
    assert.match(plan.notes.join("\n"), /GORD_SERVER_PATH wins/);
  });

  it("marks only the environment variable and the setting as explicit", () => {
    const plan = planCandidates({ ...base, envPath: "/dev/gord" });
    assert.deepEqual(
      plan.groups.map((g) => g.explicit),
      [true, false, false],
    );
  });

  it("ignores empty and blank values", () => {
    assert.deepEqual(describePlan({ envPath: "  ", setting: { globalValue: "", workspaceValue: " " } }), [
      "bundled: /ext/bin/gord",
      "path: /usr/local/bin/gord, /usr/bin/gord",
    ]);
  });

  it("prefers folder over workspace over user values in a trusted workspace", () => {
    const setting = { globalValue: "/user/gord", workspaceValue: "/ws/gord", workspaceFolderValue: "/folder/gord" };
    assert.equal(describePlan({ setting })[0], "setting: /folder/gord");
    assert.equal(describePlan({ setting: { ...setting, workspaceFolderValue: undefined } })[0], "setting: /ws/gord");
  });

  it("ignores the workspace's value in an untrusted workspace and uses the user's", () => {
    const plan = planCandidates({
      ...base,
      trusted: false,
      setting: { globalValue: "/user/gord", workspaceValue: "/ws/evil" },
    });
    assert.equal(plan.groups[0]?.paths[0], "/user/gord");
    assert.ok(!plan.groups.some((g) => g.paths.includes("/ws/evil")));
    assert.match(plan.notes.join("\n"), /not trusted/);
  });

  it("falls back to the bundled binary when an untrusted workspace sets the only value", () => {
    assert.deepEqual(describePlan({ trusted: false, setting: { workspaceFolderValue: "/ws/evil" } }), [
      "bundled: /ext/bin/gord",
      "path: /usr/local/bin/gord, /usr/bin/gord",
    ]);
  });

  it("expands ~ in the setting and the environment variable", () => {
    assert.equal(describePlan({ setting: { globalValue: "~/bin/gord" } })[0], "setting: /home/me/bin/gord");
    assert.equal(describePlan({ envPath: "~/src/gord/target/debug/gord" })[0], "env: /home/me/src/gord/target/debug/gord");
  });

  it("resolves a relative setting against the workspace folder only when trusted", () => {
    assert.equal(describePlan({ setting: { workspaceValue: "./tools/gord" } })[0], "setting: /work/project/tools/gord");
    const untrusted = planCandidates({ ...base, trusted: false, setting: { globalValue: "tools/gord" } });
    assert.deepEqual(untrusted.groups[0]?.paths, []);
    assert.match(untrusted.groups[0]?.problem ?? "", /relative path/);
  });

  it("looks a bare program name up on PATH", () => {
    assert.equal(describePlan({ setting: { globalValue: "gord-dev" } })[0], "setting: /usr/local/bin/gord-dev, /usr/bin/gord-dev");
  });

  it("looks for gord.exe, bundled and on PATH, when the sidecar is the Windows one", () => {
    // bootstrap.ts passes exeName "gord.exe" on win32: the win32-x64 VSIX carries bin/gord.exe.
    assert.deepEqual(describePlan({ exeName: "gord.exe" }), [
      "bundled: /ext/bin/gord.exe",
      "path: /usr/local/bin/gord.exe, /usr/bin/gord.exe",
    ]);
  });
});

describe("searchPath", () => {
  it("skips relative and empty entries and repeats", () => {
    assert.deepEqual(searchPath("gord", ":.:bin:/a:/b:/a:"), ["/a/gord", "/b/gord"]);
  });

  it("returns nothing without PATH", () => {
    assert.deepEqual(searchPath("gord", undefined), []);
  });
});

describe("expandTilde", () => {
  it("expands ~ and ~/ only", () => {
    assert.equal(expandTilde("~", "/home/me"), "/home/me");
    assert.equal(expandTilde("~/x", "/home/me"), "/home/me/x");
    assert.equal(expandTilde("~other/x", "/home/me"), "~other/x");
    assert.equal(expandTilde("/a/~/b", "/home/me"), "/a/~/b");
  });
});

describe("parseVersionOutput", () => {
  it("reads clap's `gord 0.1.0`", () => {
    assert.equal(parseVersionOutput("gord 0.1.0\n"), "0.1.0");
    assert.equal(parseVersionOutput("gord 1.2.3-dev+abc\n"), "1.2.3-dev+abc");
  });

  it("rejects another program's output", () => {
    assert.equal(parseVersionOutput("go version go1.22.1 linux/amd64\n"), undefined);
    assert.equal(parseVersionOutput(""), undefined);
  });
});

describe("Restricted Mode's PATH search", () => {
  // A machine where /home is a symlink to /data/home and every listed path exists.
  const links: Record<string, string> = { "/home": "/data/home" };
  const exists = new Set(["/data/home/me/ws/bin", "/data/home/me/other/bin", "/usr/bin", "/data/home/me/ws2/bin"]);
  const realpath = (p: string): string | undefined => {
    let real = p;
    for (const [from, to] of Object.entries(links)) {
      if (real === from || real.startsWith(`${from}/`)) {
        real = to + real.slice(from.length);
      }
    }
    const known = [...exists].some((e) => e === real || e.startsWith(`${real}/`));
    return known ? real : undefined;
  };
  const pathEnv = "/data/home/me/ws/bin:/home/me/other/bin:/usr/bin";
  const untrusted = (folders: string[]): string[] =>
    planCandidates({ ...base, trusted: false, pathEnv, workspaceFolders: folders, realpath }).groups.find(
      (g) => g.source === "path",
    )?.paths ?? [];

  it("skips a PATH directory inside a folder opened through a symlink", () => {
    assert.deepEqual(untrusted(["/home/me/ws"]), ["/home/me/other/bin/gord", "/usr/bin/gord"]);
  });

  it("skips PATH directories inside every folder, not only the first", () => {
    assert.deepEqual(untrusted(["/home/me/elsewhere", "/home/me/ws", "/data/home/me/other"]), ["/usr/bin/gord"]);
  });

  it("skips PATH directories that do not resolve", () => {
    const plan = planCandidates({ ...base, trusted: false, pathEnv: "/gone:/usr/bin", realpath });
    assert.deepEqual(plan.groups.find((g) => g.source === "path")?.paths, ["/usr/bin/gord"]);
  });

  it("applies to a bare program name in the user's setting too", () => {
    const plan = planCandidates({
      ...base,
      trusted: false,
      pathEnv,
      workspaceFolders: ["/home/me/ws"],
      realpath,
      setting: { globalValue: "gord-dev" },
    });
    assert.deepEqual(plan.groups[0]?.paths, ["/home/me/other/bin/gord-dev", "/usr/bin/gord-dev"]);
  });

  it("searches PATH as a shell would in a trusted workspace", () => {
    const plan = planCandidates({ ...base, pathEnv, workspaceFolders: ["/home/me/ws"], realpath });
    assert.equal(plan.groups.find((g) => g.source === "path")?.paths.length, 3);
  });

  it("compares whole path components", () => {
    assert.equal(isInside("/data/home/me/ws2/bin", "/data/home/me/ws"), false);
    assert.equal(isInside("/data/home/me/ws/bin", "/data/home/me/ws"), true);
    assert.equal(isInside("/data/home/me/ws", "/data/home/me/ws"), true);
    assert.equal(outsideWorkspace(["/home/me/ws"], realpath)("/data/home/me/ws2/bin"), true);
  });
});
