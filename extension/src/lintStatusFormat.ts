// What the lint status-bar hint shows for a `gord/lint/status` notification.
// Pure module: it must not import 'vscode' (unit tests load it under plain Node).

import type { LintStatusNotification } from "./protocol";

export interface LintPresentation {
  /** False: the item is hidden (an idle, successful run needs no hint). */
  visible: boolean;
  text: string;
  tooltip: string;
  warning: boolean;
}

/** A short scope: `./pkg in /long/path/module` becomes `./pkg`. */
function shortScope(scope: string): string {
  const cut = scope.indexOf(" in /");
  return cut > 0 ? scope.slice(0, cut) : scope;
}

export function formatLintStatus(params: LintStatusNotification): LintPresentation {
  const scope = shortScope(params.scope);
  if (params.state === "running") {
    return {
      visible: true,
      text: `$(sync~spin) Linting ${scope}`,
      tooltip: `${params.linter} is linting ${params.scope}`,
      warning: false,
    };
  }
  const failures = params.failures ?? [];
  if (failures.length > 0) {
    return {
      visible: true,
      text: "$(warning) Lint failed",
      tooltip: `${params.linter} could not lint ${params.scope}:\n${failures.join("\n")}\n\nClick to show the logs.`,
      warning: true,
    };
  }
  return {
    visible: false,
    text: "",
    tooltip: `${params.linter}: ${params.issues} issue${params.issues === 1 ? "" : "s"} in ${params.scope}`,
    warning: false,
  };
}
