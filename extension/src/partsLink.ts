// The workspace part's end of the link to the UI part (see parts.ts): the
// handshake before its sidecar starts, the one notice when the UI part is
// missing or cannot be talked to, and the UI part's section for the one status
// item and the one report, which this part owns.

import * as vscode from "vscode";
import { errorMessage } from "./bootstrap";
import {
  PARTS_PROTOCOL,
  UI_COMMANDS,
  WORKSPACE_COMMANDS,
  extensionVersion,
  judgePeer,
  machines,
  parseSection,
  peerNotice,
  sshDoctor,
  type Hello,
  type Peer,
  type Section,
} from "./parts";

/** How long the UI part may take to activate and answer the handshake. */
const HELLO_TIMEOUT_MS = 10_000;

export interface UiSink {
  setUiSection(section: Section | undefined, machines: 1 | 2, remoteName: string | undefined): void;
  clearUiSection(): void;
}

export class PartsLink implements vscode.Disposable {
  private peer: Peer = { kind: "missing", why: "not asked yet" };
  private section: Section | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
    private readonly sinks: UiSink[],
  ) {
    this.disposables.push(
      vscode.commands.registerCommand(WORKSPACE_COMMANDS.uiChanged, (value: unknown) => this.onUiChanged(value)),
    );
  }

  /** Whether the UI part runs the SSH doctor (and Check Remote Host) in this window. */
  get uiDoctor(): boolean {
    return sshDoctor(this.peer) === "ui";
  }

  private get machines(): 1 | 2 {
    return this.peer.kind === "ok" ? machines(vscode.env.remoteName, this.peer.hello.host) : 1;
  }

  /**
   * The handshake: asks the UI part (activating it) who it is. Decides who
   * runs the SSH doctor; says so once when the UI part cannot do it.
   */
  async greet(): Promise<Peer> {
    const hello: Hello = {
      protocol: PARTS_PROTOCOL,
      part: "workspace",
      version: extensionVersion(this.context.extension.packageJSON),
      host: this.context.extension.extensionKind === vscode.ExtensionKind.UI ? "ui" : "workspace",
    };
    let answer: unknown;
    let failure: string | undefined;
    try {
      answer = await withTimeout(
        Promise.resolve(vscode.commands.executeCommand<unknown>(UI_COMMANDS.hello, hello)),
        HELLO_TIMEOUT_MS,
      );
    } catch (err) {
      failure = errorMessage(err);
    }
    this.peer = judgePeer(answer, failure);
    this.log.info(
      this.peer.kind === "ok"
        ? `the UI part ${this.peer.hello.version} answered from the ${this.peer.hello.host} host: it runs the SSH checks`
        : `the UI part: ${this.peer.kind}${this.peer.kind === "missing" ? ` (${this.peer.why})` : ""}; this part runs the SSH checks`,
    );
    this.tellOnce();
    if (this.uiDoctor) {
      this.publish();
      void this.fetch(UI_COMMANDS.section);
    } else {
      this.section = undefined;
      for (const sink of this.sinks) {
        sink.clearUiSection();
      }
    }
    return this.peer;
  }

  /** Asks the UI part to run its checks now; its section comes back. */
  async runUiChecks(): Promise<void> {
    if (this.uiDoctor) {
      await this.fetch(UI_COMMANDS.runHealthCheck);
    }
  }

  /** Refreshes the UI part's section (for an open report). */
  async refresh(): Promise<void> {
    if (this.uiDoctor) {
      await this.fetch(UI_COMMANDS.section);
    }
  }

  /**
   * Tells the UI part this part is going away, so it shows its own status
   * item again. Best effort, within a second: the window may be closing,
   * and an older UI part has no such command.
   */
  async bye(): Promise<void> {
    try {
      await withTimeout(Promise.resolve(vscode.commands.executeCommand(UI_COMMANDS.bye)), 1_000);
    } catch (err) {
      this.log.info(`saying bye to the UI part: ${errorMessage(err)}`);
    }
  }

  dispose(): void {
    for (const d of this.disposables) {
      d.dispose();
    }
  }

  private async fetch(command: string): Promise<void> {
    try {
      this.accept(await vscode.commands.executeCommand<unknown>(command));
    } catch (err) {
      this.log.warn(`asking the UI part for its report: ${errorMessage(err)}`);
    }
  }

  private onUiChanged(value: unknown): void {
    if (this.uiDoctor) {
      this.accept(value);
    }
  }

  private accept(value: unknown): void {
    const section = parseSection(value);
    if (section === undefined) {
      this.log.warn(`the UI part sent a report this part cannot read: ${JSON.stringify(value)?.slice(0, 200)}`);
      return;
    }
    this.section = section;
    this.publish();
  }

  private publish(): void {
    for (const sink of this.sinks) {
      sink.setUiSection(this.section, this.machines, vscode.env.remoteName);
    }
  }

  /** The notice, at most once per kind of problem for this installation. */
  private tellOnce(): void {
    const notice = peerNotice(this.peer, "workspace");
    if (notice === undefined) {
      return;
    }
    this.log.warn(notice);
    const key = `gord.partsNotice.${this.peer.kind}.${PARTS_PROTOCOL}`;
    if (this.context.globalState.get<boolean>(key) === true) {
      return;
    }
    void this.context.globalState.update(key, true);
    void vscode.window.showInformationMessage(notice);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
