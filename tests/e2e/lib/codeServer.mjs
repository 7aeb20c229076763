// code-server, the real VS Code server, started for one test file: a fresh
// user-data dir, a fresh extensions dir with the gord VSIX installed, a copy of
// the example workspace, and a free port on 127.0.0.1. Everything lives under
// one temporary directory, removed by stop().
/* global fetch */

import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, closeSync } from "node:fs";
import { constants, tmpdir } from "node:os";
import { createServer } from "node:net";
import * as path from "node:path";
import { EXAMPLE_WORKSPACE, UI_VSIX, VSIX, codeServerEntry } from "./env.mjs";
import { descendants, isAlive, listProcesses, reapLeftovers, sleep, waitFor } from "./procs.mjs";

/** A loopback port nothing listens on (bound, then released). */
function closedPort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/**
 * User settings that keep dialogs, tours, walkthroughs and network lookups
 * away, so that what the test sees is what gord shows.
 */
const USER_SETTINGS = {
  "security.workspace.trust.enabled": false,
  "workbench.startupEditor": "none",
  "workbench.welcomePage.walkthroughs.openOnInstall": false,
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "workbench.settings.enableNaturalLanguageSearch": false,
  "workbench.layoutControl.enabled": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "npm.fetchOnlinePackageInfo": false,
  "git.enabled": false,
  "chat.commandCenter.enabled": false,
  "window.commandCenter": false,
  // The sidecar's info-level log is enough to see "initialize" and the runs.
  "gord.trace.server": "off",
};

/** Signals that end a test run early (Ctrl-C, a CI timeout, a closed terminal). */
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"];

/** The UI part's sidecar: the binary inside its installed extension directory. */
const UI_SIDECAR = /gord-dev\.gord-ui-[^/]*\/bin\/gord serve\b/;

export class CodeServer {
  /** @type {import("node:child_process").ChildProcess | undefined} */
  #child;
  #exitHandler = () => this.#killGroupNow();
  /**
   * Ctrl-C or a SIGTERM would end the test process without an "exit" event,
   * and code-server, in a group of its own, would outlive it: kill the group,
   * remove the temp dir, and exit as the signal would have. ("exit" handlers
   * still run: playwright's kills Chromium, Browser's removes its profile.)
   */
  #signalHandler = (signal) => {
    this.#removeHandlers();
    this.#killGroupNow();
    rmSync(this.root, { recursive: true, force: true });
    process.exit(128 + (constants.signals[signal] ?? 0));
  };

  /**
   * @param {string} root the temporary directory everything goes into
   * @param {string} logFile where code-server's own output goes
   */
  constructor(root, logFile, goProxy, vsixes) {
    this.root = root;
    this.logFile = logFile;
    this.goProxy = goProxy;
    this.vsixes = vsixes;
    this.userDataDir = path.join(root, "user-data");
    this.extensionsDir = path.join(root, "extensions");
    this.configFile = path.join(root, "config.yaml");
    this.workspace = path.join(root, "workspace", path.basename(EXAMPLE_WORKSPACE));
    /** The SSH config `gord.ssh.configFile` names: one host on a closed port. */
    this.sshConfig = path.join(root, "ssh_config");
    this.closedPort = 0;
    /** Filled in by start(). */
    this.port = 0;
    this.pid = 0;
  }

  /**
   * Prepares the directories, installs the VSIXs and starts the server.
   * `goProxy`, when given, is the editor's GOPROXY (a loopback URL);
   * `vsixes`, what to install, in order: both parts unless told otherwise.
   */
  static async start({ logFile, goProxy, vsixes = [UI_VSIX, VSIX] }) {
    const server = new CodeServer(mkdtempSync(path.join(tmpdir(), "gord-e2e-")), logFile, goProxy, vsixes);
    try {
      server.closedPort = await closedPort();
      server.#prepare();
      server.#installVsix();
      await server.#launch();
    } catch (err) {
      await server.stop();
      throw err;
    }
    return server;
  }

  /** The go env file the editor's processes use (GOENV). */
  get goEnvFile() {
    return path.join(this.root, "go-env");
  }

  /** The URL that opens the workspace copy in the workbench. */
  get workspaceUrl() {
    return `http://127.0.0.1:${this.port}/?folder=${encodeURIComponent(this.workspace)}`;
  }

  /** Environment for code-server: its own data dirs inside root, nothing else changed. */
  get #env() {
    const env = {
      ...process.env,
      // code-server keeps its own logs under XDG_DATA_HOME; keep them here.
      XDG_DATA_HOME: path.join(this.root, "xdg-data"),
      // No extension gallery: nothing to look up on the network.
      EXTENSIONS_GALLERY: "{}",
      // `go env -w` from a fix the tests run writes here, not to the user's go env.
      GOENV: this.goEnvFile,
    };
    if (this.goProxy !== undefined) {
      env.GOPROXY = this.goProxy;
    }
    // The sidecar under test is the VSIX's, not a developer's override.
    delete env.GORD_SERVER_PATH;
    return env;
  }

  /** The common flags: this server's config, data and extensions dirs. */
  get #dirFlags() {
    return ["--config", this.configFile, "--user-data-dir", this.userDataDir, "--extensions-dir", this.extensionsDir];
  }

  #prepare() {
    mkdirSync(path.join(this.userDataDir, "User"), { recursive: true });
    mkdirSync(this.extensionsDir, { recursive: true });
    // Without --config, code-server writes ~/.config/code-server/config.yaml.
    writeFileSync(this.configFile, "auth: none\n");
    // Check Remote Host offers this config's hosts, never the real ~/.ssh/config's.
    writeFileSync(this.sshConfig, `Host closed\n  HostName 127.0.0.1\n  Port ${this.closedPort}\n  BatchMode yes\n`);
    const settings = { ...USER_SETTINGS, "gord.ssh.configFile": this.sshConfig };
    writeFileSync(path.join(this.userDataDir, "User", "settings.json"), `${JSON.stringify(settings, null, 2)}\n`);
    // gord.ssh.configFile is machine-scoped: once the workbench treats this
    // as a remote machine (it does after a debug session), only the
    // machine's own settings count. Give it there as well.
    mkdirSync(path.join(this.userDataDir, "Machine"), { recursive: true });
    writeFileSync(
      path.join(this.userDataDir, "Machine", "settings.json"),
      `${JSON.stringify({ "gord.ssh.configFile": this.sshConfig }, null, 2)}\n`,
    );
    // A copy, so nothing the editor or gord does can touch the repository.
    cpSync(EXAMPLE_WORKSPACE, this.workspace, { recursive: true });
  }

  #installVsix() {
    // Both parts, the UI part first: gord lists it in its extensionPack, and
    // with no gallery here the pack is satisfied only by what is installed.
    writeFileSync(this.logFile, "");
    for (const vsix of this.vsixes) {
      const result = spawnSync(
        process.execPath,
        [codeServerEntry(), ...this.#dirFlags, "--install-extension", vsix, "--force"],
        { env: this.#env, encoding: "utf8", timeout: 120_000, stdio: ["ignore", "pipe", "pipe"] },
      );
      const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
      appendFileSync(this.logFile, `$ code-server --install-extension ${vsix}\n${output}\n`);
      if (result.status !== 0 || !/was successfully installed/.test(output)) {
        throw new Error(`installing ${vsix} failed (exit ${result.status ?? result.signal}):\n${output}`);
      }
    }
  }

  async #launch() {
    const log = openSync(this.logFile, "a");
    try {
      this.#child = spawn(
        process.execPath,
        [
          codeServerEntry(),
          ...this.#dirFlags,
          "--auth", "none",
          // Port 0: the kernel picks a free one; code-server logs which.
          "--bind-addr", "127.0.0.1:0",
          "--disable-telemetry",
          "--disable-update-check",
          "--disable-workspace-trust",
          "--disable-getting-started-override",
          "--ignore-last-opened",
          this.workspace,
        ],
        // A process group of its own, so stop() reaches every process it starts
        // (the extension host and the gord sidecar included).
        { env: this.#env, detached: true, stdio: ["ignore", log, log] },
      );
    } finally {
      closeSync(log);
    }
    this.pid = this.#child.pid;
    // If the test process exits or is interrupted without stop(), take code-server along.
    process.on("exit", this.#exitHandler);
    for (const signal of SIGNALS) {
      process.on(signal, this.#signalHandler);
    }

    const listening = await waitFor(
      "code-server to listen",
      () => {
        if (!isAlive(this.pid)) {
          throw Object.assign(new Error(`code-server exited; see ${this.logFile}`), { fatal: true });
        }
        return /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)\//.exec(readFileSync(this.logFile, "utf8"));
      },
      { timeoutMs: 60_000 },
    );
    this.port = Number(listening[1]);
    await waitFor("code-server's /healthz", async () => (await fetch(`http://127.0.0.1:${this.port}/healthz`)).ok, {
      timeoutMs: 30_000,
    });
  }

  /** The workspace part's `gord serve` processes under this code-server (normally one). */
  sidecars() {
    return descendants(this.pid).filter((p) => /\/bin\/gord serve\b/.test(p.cmdline) && !UI_SIDECAR.test(p.cmdline));
  }

  /** The UI part's `gord serve` processes (normally one: it runs beside the workspace part here). */
  uiSidecars() {
    return descendants(this.pid).filter((p) => /\/bin\/gord serve\b/.test(p.cmdline) && UI_SIDECAR.test(p.cmdline));
  }

  /** The UI part's log channel ("Go Remote Doctor (this computer)"). */
  readUiLog() {
    const files = spawnSync("find", [path.join(this.userDataDir, "logs"), "-name", "*Go Remote Doctor (this computer).log"], {
      encoding: "utf8",
    }).stdout.trim().split("\n").filter(Boolean);
    return files.map((file) => readFileSync(file, "utf8")).join("\n");
  }

  /** The go and gopls processes running under this code-server. */
  goProcesses() {
    return descendants(this.pid).filter((p) => /^(\S*\/)?(go|gopls)( |$)/.test(p.cmdline));
  }

  /** Every process running under this code-server. */
  descendants() {
    return descendants(this.pid);
  }

  /** The Go Remote Doctor log channel, as the extension host wrote it to disk. */
  readGordLog() {
    const files = spawnSync("find", [path.join(this.userDataDir, "logs"), "-name", "*Go Remote Doctor.log"], {
      encoding: "utf8",
    }).stdout.trim().split("\n").filter(Boolean);
    return files.map((file) => readFileSync(file, "utf8")).join("\n");
  }

  /** The remote extension host's log (activation events are logged there). */
  readExtHostLog() {
    const files = spawnSync("find", [path.join(this.userDataDir, "logs"), "-name", "remoteexthost.log"], {
      encoding: "utf8",
    }).stdout.trim().split("\n").filter(Boolean);
    return files.map((file) => readFileSync(file, "utf8")).join("\n");
  }

  /**
   * Stops code-server and everything it started, then removes the temporary
   * directory. Returns the processes that were still there after a polite
   * SIGTERM and a grace period (and were then SIGKILLed): ideally none.
   */
  async stop() {
    this.#removeHandlers();
    let leftovers = [];
    if (this.pid) {
      const group = this.pid;
      try {
        process.kill(-group, "SIGTERM");
      } catch {
        // already gone
      }
      // Anything in our process group, or anything naming our temp dir (a
      // process that left the group, e.g. a child in a group of its own).
      const ours = (p) => p.pgid === group || p.cmdline.includes(this.root);
      const stubborn = await reapLeftovers(ours, 10_000);
      leftovers = stubborn;
      // Give SIGKILLed processes a moment to disappear before removing their files.
      await waitFor("killed processes to exit", () => listProcesses().filter(ours).length === 0, {
        timeoutMs: 5_000,
      }).catch(() => undefined);
      await sleep(100);
    }
    rmSync(this.root, { recursive: true, force: true, maxRetries: 3 });
    return leftovers;
  }

  #removeHandlers() {
    process.removeListener("exit", this.#exitHandler);
    for (const signal of SIGNALS) {
      process.removeListener(signal, this.#signalHandler);
    }
  }

  #killGroupNow() {
    try {
      process.kill(-this.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}
