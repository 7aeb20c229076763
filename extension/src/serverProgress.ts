// Long sidecar requests (workspace lint, preload) with a progress notification
// the user can cancel. The request carries its own work-done token, so the
// sidecar's `$/progress` lands in this notification (the language client
// would show server-created progress in the status bar, with no Cancel), and
// Cancel sends `window/workDoneProgress/cancel` for it.

import * as vscode from "vscode";
import { WorkDoneProgress, type LanguageClient, type RequestType } from "vscode-languageclient/node";
import { CancelProgress, type WithWorkDoneToken } from "./protocol";

let nextToken = 1;

/**
 * Sends `type` with `params` plus a fresh `workDoneToken`, showing its progress
 * as a notification titled `title`. Cancel makes the request fail with
 * RequestCancelled.
 */
export function requestWithProgress<P extends WithWorkDoneToken, R>(
  client: LanguageClient,
  title: string,
  type: RequestType<P, R, void>,
  params: P,
): Promise<R> {
  const token = `gord-client-${process.pid}-${nextToken++}`;
  return Promise.resolve(
    vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      async (progress, cancellation) => {
        let reported = 0;
        const subscription = client.onProgress(WorkDoneProgress.type, token, (value) => {
          if (value.kind === "end") {
            return;
          }
          const increment =
            value.percentage !== undefined && value.percentage > reported ? value.percentage - reported : undefined;
          if (value.percentage !== undefined) {
            reported = Math.max(reported, value.percentage);
          }
          progress.report({
            ...(value.message === undefined ? {} : { message: value.message }),
            ...(increment === undefined ? {} : { increment }),
          });
        });
        const cancelled = cancellation.onCancellationRequested(() => {
          void client.sendNotification(CancelProgress, { token });
        });
        try {
          return await client.sendRequest(type, { ...params, workDoneToken: token });
        } finally {
          subscription.dispose();
          cancelled.dispose();
        }
      },
    ),
  );
}
