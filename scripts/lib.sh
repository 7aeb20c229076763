# shellcheck shell=bash
# Helpers shared by scripts/install-deps, scripts/setup and scripts/test.
# Source it; it defines functions and REPO_ROOT and changes nothing else.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Milliseconds since the epoch (for stage and step timings).
now_ms() {
  local ns
  ns="$(date +%s%N)"
  echo $((ns / 1000000))
}

# "1234" (ms) -> "1.2s"
fmt_ms() {
  local ms="$1"
  printf '%d.%ds' $((ms / 1000)) $(((ms % 1000) / 100))
}

# Make sure `go` can be found: Debian images keep it in /usr/local/go/bin,
# which a non-login shell may not have on PATH.
ensure_go_on_path() {
  if ! command -v go >/dev/null 2>&1 && [[ -x /usr/local/go/bin/go ]]; then
    PATH="/usr/local/go/bin:$PATH"
    export PATH
  fi
  command -v go >/dev/null 2>&1
}

# Where `go install` puts binaries: GOBIN if set, else the first GOPATH entry's bin.
go_bin_dir() {
  local gobin gopath
  gobin="$(go env GOBIN)"
  if [[ -n "$gobin" ]]; then
    echo "$gobin"
    return
  fi
  gopath="$(go env GOPATH)"
  echo "${gopath%%:*}/bin"
}

# Print "name<TAB>package<TAB>version" for every GO_TOOL_<name>=<package>@<version>
# line of versions.env. The file is parsed, not sourced: a tool name such as
# golangci-lint is no valid shell variable name.
go_tools_from_versions() {
  local file="$REPO_ROOT/versions.env" line key value name
  [[ -f "$file" ]] || { echo "missing $file" >&2; return 1; }
  while IFS= read -r line || [[ -n "$line" ]]; do
    [[ "$line" =~ ^GO_TOOL_([^=]+)=(.+)$ ]] || continue
    key="${BASH_REMATCH[1]}"
    value="${BASH_REMATCH[2]}"
    name="$key"
    if [[ "$value" != *@* ]]; then
      echo "versions.env: GO_TOOL_$key has no @version: $value" >&2
      return 1
    fi
    printf '%s\t%s\t%s\n' "$name" "${value%@*}" "${value##*@}"
  done <"$file"
}

# Print "name<TAB>package<TAB>version" for every GO_RENAMED_<name>=<package>@<version>
# line of versions.env: tools installed under a name that is not their
# package's (golangci-lint-v1 beside golangci-lint).
go_renamed_tools_from_versions() {
  local file="$REPO_ROOT/versions.env" line value
  [[ -f "$file" ]] || { echo "missing $file" >&2; return 1; }
  while IFS= read -r line || [[ -n "$line" ]]; do
    [[ "$line" =~ ^GO_RENAMED_([^=]+)=(.+@.+)$ ]] || continue
    value="${BASH_REMATCH[2]}"
    printf '%s\t%s\t%s\n' "${BASH_REMATCH[1]}" "${value%@*}" "${value##*@}"
  done <"$file"
}

# The value of KEY=value in versions.env; fails when the key is missing.
versions_env_value() { # key
  local file="$REPO_ROOT/versions.env" line
  while IFS= read -r line || [[ -n "$line" ]]; do
    if [[ "$line" == "$1="* ]]; then
      echo "${line#*=}"
      return 0
    fi
  done <"$file"
  echo "versions.env: no $1= line" >&2
  return 1
}

# Where scripts/install-deps installs code-server, outside the repository so
# that a fresh clone reuses it: <cache>/gord/code-server-<version>, with the
# package under node_modules/code-server. tests/e2e/lib/paths.mjs computes
# the same path; keep the two in step.
code_server_dir() {
  local version
  version="$(versions_env_value CODE_SERVER_VERSION)" || return 1
  echo "${XDG_CACHE_HOME:-$HOME/.cache}/gord/code-server-$version"
}

# Print "name<TAB>version" for every <PREFIX><name>=<version> line of
# versions.env (PIP_ for the cross-build venv, DEB_ for pinned Debian
# packages).
pinned_from_versions() { # prefix
  local file="$REPO_ROOT/versions.env" line prefix="$1"
  [[ -f "$file" ]] || { echo "missing $file" >&2; return 1; }
  while IFS= read -r line || [[ -n "$line" ]]; do
    [[ "$line" == "$prefix"*=* ]] || continue
    line="${line#"$prefix"}"
    printf '%s\t%s\n' "${line%%=*}" "${line#*=}"
  done <"$file"
}

# The venv that holds zig and cargo-zigbuild (PIP_ lines of versions.env),
# outside the repository so every clone and worktree shares it. zig keeps its
# own cache where it always does (~/.cache/zig).
xbuild_venv_dir() {
  echo "${XDG_CACHE_HOME:-$HOME/.cache}/gord/xbuild-venv"
}

# Put the cross-build venv's bin on PATH (cargo zigbuild finds zig through
# `python3 -m ziglang` there). True when cargo-zigbuild is then found.
ensure_xbuild_on_path() {
  local bin
  bin="$(xbuild_venv_dir)/bin"
  if [[ -d "$bin" && ":$PATH:" != *":$bin:"* ]]; then
    PATH="$bin:$PATH"
    export PATH
  fi
  command -v cargo-zigbuild >/dev/null 2>&1
}
