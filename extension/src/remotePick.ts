// The quick pick of `gord.checkRemoteHost`: "All hosts", then each host of the
// ssh config with where it is named. Pure module: it must not import 'vscode'
// (unit tests load it under plain Node).

import type { RemoteHost } from "./protocol";

export interface HostPickItem {
  label: string;
  description?: string;
  /** What `gord/remote/check` is asked to check. */
  hosts: string[] | "all";
}

/** The items to pick from; "All hosts" only when there is more than one. */
export function hostPickItems(hosts: readonly RemoteHost[], home = ""): HostPickItem[] {
  const items: HostPickItem[] = hosts.map((h) => ({
    label: h.host,
    description: `${shortPath(h.file, home)}:${h.line + 1}`,
    hosts: [h.host],
  }));
  if (hosts.length > 1) {
    items.unshift({ label: "All hosts", description: `${hosts.length} hosts`, hosts: "all" });
  }
  return items;
}

/** `/home/me/.ssh/config` as `~/.ssh/config`. */
function shortPath(file: string, home: string): string {
  return home !== "" && file.startsWith(`${home}/`) ? `~${file.slice(home.length)}` : file;
}
