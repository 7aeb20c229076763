//! The one script gord runs on a remote host, and the pure parser of what it
//! prints. The script is a constant: it is fed to `sh -s` on stdin and never
//! has user data spliced into it.

use serde::{Deserialize, Serialize};

/// Facts about the remote, as `key=value` lines between two markers, one
/// fact a line (newlines inside values become spaces). POSIX sh; every
/// command's errors are silenced, a missing fact is an empty value. Its
/// arguments choose the egress targets ([`super::egress::Mode::script_args`]):
/// none for the real hosts, `off`, or `test CACERT LABEL=URL…`. The egress
/// requests run in the background while the rest of the script runs; it
/// waits for them before its end marker.
///
/// It also says where its session landed (the lines of
/// [`LANDING_SCRIPT`](super::connect::LANDING_SCRIPT), read by
/// [`parse_landing`](super::connect::parse_landing)), so the login-node
/// check needs no shell of its own. Each program is looked up once, and Go
/// is asked once (`go env` with every variable wanted; tool versions from
/// one `go version -m`, running a tool only when its build info does not
/// say). Every command that may hang is bounded by `timeout` when present.
pub const REMOTE_SCRIPT: &str = concat!(
    "exec 2>/dev/null\necho __gord_begin=1\n",
    landing_lines!(),
    r#"_nl='
'
_cr=$(printf '\r')
spaced() { _o=""; _s=$1; while :; do case $_s in *"$2"*) _o="$_o${_s%%"$2"*} "; _s=${_s#*"$2"} ;; *) _o="$_o$_s"; return ;; esac; done; }
one() {
  _w=$2
  case $_w in *"$_nl"*) spaced "$_w" "$_nl"; _w=$_o ;; esac
  case $_w in *"$_cr"*) spaced "$_w" "$_cr"; _w=$_o ;; esac
  printf '%s=%s\n' "$1" "$_w"
}
# Files of one line, read without a process (cgroup files: /proc/sys
# answers nothing to the byte-by-byte reads of dash's `read`).
rd() { _v=""; read -r _v <"$1" || :; }
# One command for several paths, when it prints a line a path in order
# (`stat -f`, `df -P`): `each "CMD" HEADER_LINES KEY=PATH...` sets r_KEY to
# that path's line, "" for a path that does not exist; when the lines do not
# add up, each path gets a call of its own.
each() {
  _c=$1; _h=$2; shift 2; _ks=""; _fi=1
  for _a; do
    [ -z "$_fi" ] || { _fi=""; set --; }
    _k=${_a%%=*}; _q=${_a#*=}; eval "r_$_k=''"
    [ -n "$_q" ] && [ -e "$_q" ] || continue
    eval "q_$_k=\$_q"; _ks="$_ks $_k"; set -- "$@" "$_q"
  done
  [ $# -gt 0 ] || return 0
  _o=$($_c "$@"); _n=0
  while IFS= read -r _l; do _n=$((_n+1)); done <<EOF
$_o
EOF
  set -f; set -- $_ks; set +f
  if [ "$((_n-_h))" -ne $# ]; then
    for _k; do
      eval "_q=\$q_$_k"; _l=$($_c "$_q"); _l=${_l##*"$_nl"}; eval "r_$_k=\$_l"
    done
    return 0
  fi
  _n=0
  while IFS= read -r _l; do
    _n=$((_n+1)); [ "$_n" -gt "$_h" ] && [ $# -gt 0 ] || continue
    eval "r_$1=\$_l"; shift
  done <<EOF
$_o
EOF
}
# A program's path without a subshell (`$(command -v x)` forks one).
pth() {
  _p=""; _f=$IFS; IFS=:; set -f
  for _d in $PATH; do
    [ -n "$_d" ] || _d=.
    if [ -f "$_d/$1" ] && [ -x "$_d/$1" ]; then _p=$_d/$1; break; fi
  done
  IFS=$_f; set +f
}
to=""; command -v timeout >/dev/null && to="timeout 10"
lq='printf "\n__gord_login_path=%s\n__gord_login_go=%s\n" "$PATH" "$(command -v go)"'
lpf=$(mktemp) || lpf=""
trap '[ -z "$lpf" ] || rm -f "$lpf"' EXIT
trap 'exit 1' HUP INT TERM
lpid=""; lp_done=""
if [ -n "$lpf" ]; then
  { $to "${SHELL:-/bin/sh}" -l -c "$lq" </dev/null | grep '^__gord_login_' | head -c 65536 >"$lpf"; } &
  lpid=$!
fi
lp_read() {
  [ -z "$lp_done" ] || return 0
  lp_done=1
  if [ -n "$lpid" ]; then
    wait "$lpid"; lp=""
    while IFS= read -r _l; do lp="$lp$_l$_nl"; done <"$lpf"
    rm -f "$lpf"; lpf=""
  else
    lp=$($to "${SHELL:-/bin/sh}" -l -c "$lq" </dev/null | grep '^__gord_login_')
  fi
  login_go=""; login_path=""
  while IFS= read -r _l; do
    case $_l in
      __gord_login_go=*) login_go=${_l#__gord_login_go=} ;;
      __gord_login_path=*) login_path=${_l#__gord_login_path=} ;;
    esac
  done <<EOF
$lp
EOF
}
u=$(id -un)
one user "$u"
one home "$HOME"
one shell "$SHELL"
one os "$( . /etc/os-release && printf '%s' "$PRETTY_NAME")"
un=$(uname -r -m)
one arch "${un##* }"
one kernel "${un% *}"
g=$(getconf GNU_LIBC_VERSION)
one glibc "${g#glibc }"
# ldd is read only to say what the libc is when it is not glibc.
if [ -z "$g" ]; then pth ldd; [ -z "$_p" ] || one ldd "$("$_p" --version 2>&1 | head -n 1)"; fi
lib=""
for f in /usr/lib/x86_64-linux-gnu/libstdc++.so.6 /lib/x86_64-linux-gnu/libstdc++.so.6 /usr/lib/aarch64-linux-gnu/libstdc++.so.6 /usr/lib64/libstdc++.so.6 /lib64/libstdc++.so.6 /usr/lib/libstdc++.so.6; do
  if [ -r "$f" ]; then lib=$f; break; fi
done
[ -n "$lib" ] || lib=$(ldconfig -p | awk '/libstdc\+\+\.so\.6 /{print $NF; exit}')
one libstdcxx "$lib"
[ -n "$lib" ] && one glibcxx "$(grep -ao 'GLIBCXX_[0-9][0-9.]*' "$lib" | sort -u)"
for c in bash tar curl wget; do pth "$c"; one "cmd_$c" "$_p"; done
# Whether a file there may be executed: a two-line script in each place,
# made executable by one chmod, run, and removed by one rm.
xmk() {
  _t=""
  if [ -d "$1" ]; then
    _t=$(mktemp "$1/.gord-exec-XXXXXX") && printf '#!/bin/sh\nexit 0\n' >"$_t" ||
      { [ -z "$_t" ] || rm -f "$_t"; _t=-; }
  fi
}
xrun() {
  if [ -z "$1" ]; then _x=absent; elif [ "$1" = - ]; then _x=unwritable
  elif "$1"; then _x=yes; else _x=no; fi
}
xmk /tmp; xt_tmp=$_t
xmk "$HOME"; xt_home=$_t
xmk "$HOME/.vscode-server"; xt_vscode=$_t
xmk /var/tmp; xt_vtmp=$_t
xall() {
  _c=$1; _a=$2; set --
  for _t in "$xt_tmp" "$xt_home" "$xt_vscode" "$xt_vtmp"; do
    case $_t in ''|-) ;; *) set -- "$@" "$_t" ;; esac
  done
  [ $# -eq 0 ] || $_c $_a "$@"
}
xall chmod 700
xrun "$xt_tmp"; x_tmp=$_x; one exec_tmp "$_x"
xrun "$xt_home"; one exec_home "$_x"
xrun "$xt_vscode"; one exec_vscode "$_x"
xrun "$xt_vtmp"; x_vtmp=$_x
xall rm -f
one path "$PATH"
pth go; gobin=$_p
one go "$gobin"
[ -n "$gobin" ] || { lp_read; gobin=$login_go; }
gp=""; gmc=""; gc=""; gtd=""; gv=""; gpx=""; gsd=""
if [ -n "$gobin" ]; then
  ge=$($to "$gobin" env GOVERSION GOHOSTOS GOHOSTARCH GOPATH GOMODCACHE GOCACHE GOTMPDIR GOPROXY GOSUMDB)
  { read -r gv; read -r gos; read -r garch; read -r gp; read -r gmc; read -r gc; read -r gtd; read -r gpx; read -r gsd; } <<EOF
$ge
EOF
  if [ -n "$gv" ] && [ -n "$gos" ]; then
    one go_version "go version $gv $gos/$garch"
  else
    one go_version "$($to "$gobin" version)"
    gp=$($to "$gobin" env GOPATH); gmc=$($to "$gobin" env GOMODCACHE)
    gc=$($to "$gobin" env GOCACHE); gtd=$($to "$gobin" env GOTMPDIR)
    gpx=$($to "$gobin" env GOPROXY); gsd=$($to "$gobin" env GOSUMDB)
  fi
  one gopath "$gp"
  one gomodcache "$gmc"
fi
if [ "${1:-}" != off ]; then
  em=${1:-}; ca=""; [ "$em" = test ] && { ca=${2:--}; [ $# -ge 2 ] && shift 2; }; [ "$ca" = - ] && ca=""
  et=""; command -v curl >/dev/null && et=curl
  [ -n "$et" ] || { command -v wget >/dev/null && et=wget; }
  one egress_tool "${et:-none}"
  for v in https_proxy HTTPS_PROXY http_proxy HTTP_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY; do
    eval "pv=\${$v:-}"; [ -n "$pv" ] && one "egress_env_$v" "$pv"
  done
  [ -n "$gobin" ] || { gpx=${GOPROXY:-https://proxy.golang.org,direct}; gsd=${GOSUMDB:-sum.golang.org}; }
  one egress_goproxy "$gpx"; one egress_gosumdb "$gsd"
  lb() { h=${1#*://}; h=${h%%/*}; h=${h##*@}; h=${h%:*}; case $h in 127.*[!0-9.]*) return 1 ;; 127.*) return 0 ;; esac; return 1; }
  tg=""; add() { tg="$tg $1=$2"; }
  if [ "$em" = test ]; then
    for a in "$@"; do add "${a%%=*}" "${a#*=}"; done
  else
    add server https://update.code.visualstudio.com/
    add server https://vscode.download.prss.microsoft.com/
    add marketplace https://marketplace.visualstudio.com/
    add cdn https://golang.gallerycdn.vsassets.io/
  fi
  tc=""
  for e in $(printf '%s' "$gpx" | tr ',|' '  '); do
    case $e in direct|off|file://*) continue ;; *://*) ;; *) e=https://$e ;; esac
    add goproxy "$e"; [ -n "$tc" ] || tc=${e%/}/golang.org/toolchain/@v/list
  done
  add toolchain "${tc:-https://go.dev/dl/}"
  case $gsd in
    ''|off) ;;
    *' '*) add sumdb "${gsd#* }" ;;
    *) s=${gsd%%+*}; add sumdb "https://$s/" ;;
  esac
  pxl=""; [ "$em" = test ] && for v in "${https_proxy:-}" "${HTTPS_PROXY:-}" "${http_proxy:-}" "${HTTP_PROXY:-}" "${all_proxy:-}" "${ALL_PROXY:-}"; do
    [ -z "$v" ] || lb "$v" || pxl=$v
  done
  et8=""; command -v timeout >/dev/null && et8="timeout 8"
  wg=""; [ "$et" = wget ] && wget --version | grep -q GNU && wg=gnu
  ehttp() {
    case $et in
      curl) if [ -n "$ca" ]; then set -- --cacert "$ca" "$1"; else set -- "$1"; fi
        $et8 curl -sS -o /dev/null --max-time 5 --connect-timeout 4 --max-filesize 1048576 -w '\n__code=%{http_code}|%{http_connect}\n' "$@" 2>&1 ;;
      *) if [ "$wg" = gnu ] && [ -n "$ca" ]; then set -- -t 1 --ca-certificate="$ca" "$1"; elif [ "$wg" = gnu ]; then set -- -t 1 "$1"; fi
        wq=-q; [ "$wg" = gnu ] && wq=-nv
        r=$($et8 wget "$wq" -S -O /dev/null -T 5 "$@" 2>&1); rc=$?
        printf '%s\n__code=%s|\n' "$r" "$(printf '%s\n' "$r" | sed -n 's/^ *HTTP\/[0-9.]* \([0-9][0-9][0-9]\).*/\1/p' | tail -n 1)"; return $rc ;;
    esac
  }
  eprobe() {
    if [ -z "$et" ]; then r="skip|||neither curl nor wget"
    elif [ "$em" = test ] && ! lb "$2"; then r="skip|||not a loopback address (test mode)"
    elif [ -n "$pxl" ]; then r="skip|||the proxy is not a loopback address (test mode)"
    else
      o=$(ehttp "$2"); rc=$?
      c=$(printf '%s\n' "$o" | sed -n 's/^__code=//p' | tail -n 1)
      m=$(printf '%s\n' "$o" | grep -v '^__code=' | grep -v '^ *HTTP/' | grep -v '^  *[A-Za-z-]*: ' | grep . | head -n 1 | tr '|\r' '/ ' | cut -c1-300)
      [ -n "$m" ] || m=$(printf '%s\n' "$o" | grep -v '^__code=' | grep . | head -n 1 | tr '|\r' '/ ' | cut -c1-300)
      case $et:$m in wget:|wget:wget*|curl:*) ;; *) m="wget: $m" ;; esac
      r="$rc|$c|$m"
    fi
    printf 'egress=%s|%s|%s|%s\n' "$1" "$et" "$r" "$2"
  }
  # Every request in one curl (7.75 and later: --parallel, %{url},
  # %{exitcode}, %{errormsg}), each answer matched back by its URL; without
  # curl, or with an older one, one process per request below.
  eall() {
    [ "$et" = curl ] || return 1
    set -f; set --; n=0
    for t in $tg; do
      n=$((n+1)); [ "$n" -le 16 ] || break
      u=${t#*=}
      [ -z "$pxl" ] || continue
      if [ "$em" = test ] && ! lb "$u"; then continue; fi
      set -- "$@" -o /dev/null "$u"
    done
    set +f
    eo=""
    if [ $# -gt 0 ]; then
      [ -z "$ca" ] || set -- --cacert "$ca" "$@"
      eo=$($et8 curl -sS --parallel --parallel-immediate --parallel-max 16 --max-time 5 --connect-timeout 4 --max-filesize 1048576 -w '__e=%{exitcode}|%{http_code}|%{http_connect}|%{url}|%{errormsg}\n' "$@" 2>/dev/null)
      case $eo in *"__e="[0-9]*"|"*"|"*"|"?*) ;; *) return 1 ;; esac
    fi
    el=""; n=0; set -f
    for t in $tg; do
      n=$((n+1)); [ "$n" -le 16 ] || break
      u=${t#*=}; hit=""
      if [ -n "$pxl" ]; then hit="skip|||the proxy is not a loopback address (test mode)"
      elif [ "$em" = test ] && ! lb "$u"; then hit="skip|||not a loopback address (test mode)"
      else
        while IFS= read -r line; do
          case $line in __e=*) ;; *) continue ;; esac
          rest=${line#__e=}; rc=${rest%%|*}; rest=${rest#*|}
          code=${rest%%|*}; rest=${rest#*|}; hc=${rest%%|*}; rest=${rest#*|}
          lu=${rest%%|*}; msg=${rest#*|}
          [ "${lu%/}" = "${u%/}" ] || continue
          m=""; [ "$rc" = 0 ] || { spaced "$msg" "|"; m="curl: ($rc) $_o"; }
          hit="$rc|$code|$hc|$m"
          break
        done <<EOF
$eo
EOF
      fi
      [ -n "$hit" ] || { set +f; return 1; }
      el="${el}egress=${t%%=*}|curl|$hit|$u$_nl"
    done
    set +f
    # A line a write: the rest of the script prints meanwhile.
    printf '%s' "$el" | while IFS= read -r line; do printf '%s\n' "$line"; done
  }
  {
    if ! eall; then
      en=0; set -f
      for t in $tg; do
        en=$((en+1)); [ "$en" -le 16 ] || break
        eprobe "${t%%=*}" "${t#*=}" &
      done
      set +f
      wait
    fi
  } &
fi
each "stat -f -c %T" 0 home="$HOME" vscode="$HOME/.vscode-server" gomodcache="$gmc" gocache="$gc" vtmp=/var/tmp tmp=/tmp
one fs_home "$r_home"
one fs_vscode "$r_vscode"
one fs_gomodcache "$r_gomodcache"
one fs_gocache "$r_gocache"
fs_vtmp=$r_vtmp; fs_tmp=$r_tmp
gp1=${gp%%:*}; [ -n "$gp1" ] || gp1=$HOME/go
p_gopls=""; p_dlv=""; p_lint=""
for t in gopls dlv golangci-lint; do
  pth "$t"; p=$_p; onpath=yes
  if [ -z "$p" ]; then onpath=no; [ -x "$gp1/bin/$t" ] && p=$gp1/bin/$t; fi
  one "tool_$t" "$p"
  one "tool_${t}_on_path" "$onpath"
  case $t in gopls) p_gopls=$p ;; dlv) p_dlv=$p ;; *) p_lint=$p ;; esac
done
set --
for p in "$p_gopls" "$p_dlv" "$p_lint"; do [ -n "$p" ] && set -- "$@" "$p"; done
bi=""; [ -n "$gobin" ] && [ $# -gt 0 ] && bi=$($to "$gobin" version -m "$@")
bg=""
if [ -z "$bi" ] && [ $# -gt 0 ]; then
  # No Go to ask: each binary's own build info, found by one grep (from Go
  # 1.18 the Go version and the module lines are inline, the version just
  # before the info's start marker `0w\257\f`). Starting gopls or
  # golangci-lint to ask costs 0.1 s of CPU each.
  bg=$(LC_ALL=C $to grep -a -o -H -m 2 -E -e 'go1\.[0-9][0-9.]*.{1,3}0w' -e '^mod	[^	]+	(v[0-9]|\(devel\))[^	]*' "$@")
fi
for t in gopls dlv golangci-lint; do
  case $t in gopls) p=$p_gopls ;; dlv) p=$p_dlv ;; *) p=$p_lint ;; esac
  [ -n "$p" ] || continue
  m=""; [ -z "$bi" ] || m=$(printf '%s\n' "$bi" | awk -v f="$p: " 'index($0, f) == 1 { on = 1; g = substr($0, length(f) + 1); next } /^[^\t]/ { on = 0 } on && $1 == "mod" { print $2, $3, g; exit }')
  if [ -z "$m" ] && [ -n "$bg" ]; then
    bv=""; bm=""
    while IFS= read -r _l; do
      case $_l in
        "$p:go1."*) bv=${_l#"$p:"}; bv=${bv%%[!go0-9.]*} ;;
        "$p:mod	"*) bm=${_l#"$p:mod	"} ;;
      esac
    done <<EOF
$bg
EOF
    [ -z "$bm" ] || m="${bm%%'	'*} ${bm#*'	'} $bv"
  fi
  # `MODULE VERSION GO`, split without a process.
  mp=${m%% *}; mr=${m#* }; mv=${mr%% *}; mg=${mr#* }
  case $t:$mv in
    *:|*:"(devel)") v="" ;;
    gopls:*) v="$mp $mv" ;;
    dlv:*) v=${mv#v} ;;
    *) v="golangci-lint has version ${mv#v} built with $mg" ;;
  esac
  if [ -z "$v" ]; then
    case $t in
      dlv) v=$($to "$p" version | sed -n 's/^Version: //p') ;;
      golangci-lint) v=$($to "$p" --version | head -n 1) ;;
      *) v=$($to "$p" version | head -n 1) ;;
    esac
  fi
  one "tool_${t}_version" "$v"
done
# The /proc/sys values in one process (`read` gets nothing from them).
ys=""; iwm=""; iim=""
while IFS= read -r _l; do
  case $_l in
    /proc/sys/kernel/yama/ptrace_scope:*) ys=${_l#*:} ;;
    /proc/sys/fs/inotify/max_user_watches:*) iwm=${_l#*:} ;;
    /proc/sys/fs/inotify/max_user_instances:*) iim=${_l#*:} ;;
  esac
done <<EOF
$(grep -H '' /proc/sys/kernel/yama/ptrace_scope /proc/sys/fs/inotify/max_user_watches /proc/sys/fs/inotify/max_user_instances)
EOF
one ptrace_scope "$ys"
ls_=$(getent passwd "$u"); case $ls_ in *:*) ls_=${ls_##*:} ;; *) ls_="" ;; esac
[ -n "$ls_" ] || ls_=$(awk -F: -v u="$u" '$1==u{print $7; exit}' /etc/passwd)
one login_shell "$ls_"
for rc in .bashrc .bash_profile .profile; do
  [ -r "$HOME/$rc" ] || continue
  head -c 65536 "$HOME/$rc" | awk -v f="$rc" '/exec|[$]-|PS1|return|-t [012]|interactive/ { gsub(/\r/, ""); print "rcline=" f ":" substr(NR ":" $0, 1, 300); if (++n == 40) exit }'
done
one meminfo "$(grep -E '^(MemTotal|MemAvailable|SwapTotal|SwapFree):' /proc/meminfo)"
one nproc "$(nproc || getconf _NPROCESSORS_ONLN)"
# The v2 path (`0::`) and the v1 memory controller's, read by the shell.
cg=""; c1=""
while IFS= read -r _l; do
  case $_l in 0::*) cg=${_l#0::}; continue ;; esac
  _f=${_l#*:}
  case ",${_f%%:*}," in *,memory,*) [ -n "$c1" ] || c1=${_f#*:} ;; esac
done </proc/self/cgroup
lim=""; n=0
while [ "$n" -lt 16 ]; do
  rd "/sys/fs/cgroup${cg}/memory.max"; v=$_v
  case $v in ''|max) ;; *) if [ -z "$lim" ] || [ "$v" -lt "$lim" ]; then lim=$v; fi ;; esac
  [ -n "$cg" ] && [ "$cg" != / ] || break
  cg=${cg%/*}; n=$((n+1))
done
one cgroup_memory_max "$lim"
rd /sys/fs/cgroup/memory/memory.limit_in_bytes; one cgroup_v1_memory_limit "$_v"
one inotify_max_watches "$iwm"
one inotify_max_instances "$iim"
if [ -r /proc/sys/fs/inotify/max_user_watches ]; then
  iw=$(grep -rc '^inotify wd:' /proc/[0-9]*/fdinfo | awk -F: '$NF > 0 { w += $NF; n++ } END { print w + 0, n + 0 }')
  one inotify_watches "${iw% *}"
  one inotify_instances "${iw#* }"
fi
one now "$(date +%s)"
sp=$(grep -ls '[.]vscode-server/' /proc/[0-9]*/cmdline)
ns=0
for d in "$HOME"/.vscode-server/bin/* "$HOME"/.vscode-server/cli/servers/*; do
  [ -d "$d" ] || continue
  ns=$((ns+1)); [ "$ns" -le 60 ] || break
  rel=${d#"$HOME"/.vscode-server/}
  kib=$($to du -sk "$d" | cut -f1)
  mt=$(stat -c %Y "$d")
  run=0; [ -z "$sp" ] || run=$(grep -ls ".vscode-server/${rel}[/]" $sp | wc -l)
  echo "server=$rel|$kib|$mt|$run"
done
one tmpdir "$TMPDIR"
one gotmpdir "$gtd"
each "df -Pi" 1 home="$HOME" tmp=/tmp tmpdir="$TMPDIR" gotmpdir="$gtd"
di_home=$r_home; di_tmp=$r_tmp; di_tmpdir=$r_tmpdir; di_gotmpdir=$r_gotmpdir
each "df -Pk" 1 home="$HOME" tmp=/tmp tmpdir="$TMPDIR" gotmpdir="$gtd"
one df_home "$r_home"
one dfi_home "$di_home"
for k in tmp tmpdir gotmpdir; do
  case $k in tmp) d=/tmp ;; tmpdir) d=$TMPDIR ;; *) d=$gtd ;; esac
  [ -n "$d" ] || continue
  if [ -d "$d" ] && [ -w "$d" ]; then one "usable_$k" yes; else one "usable_$k" no; fi
  eval "one df_$k \"\$r_$k\""
  eval "one dfi_$k \"\$di_$k\""
done
fl=""; command -v flock >/dev/null && fl=flock
nl=0
for f in "$HOME"/.vscode-server/bin/*/vscode-remote-lock.* /tmp/vscode-remote-lock.*; do
  [ -f "$f" ] && [ -O "$f" ] || continue
  nl=$((nl+1)); [ "$nl" -le 40 ] || break
  held=unknown
  if [ -n "$fl" ] && [ ! -L "$f" ]; then
    if [ -n "$to" ]; then timeout 3 flock -n "$f" true; else flock -n "$f" true; fi
    case $? in 0) held=no ;; 1) held=yes ;; esac
  fi
  one lock "$(stat -c %Y "$f")|$held|$f"
done
np=0
for f in "$HOME"/.vscode-server/.*.pid; do
  [ -f "$f" ] && [ -O "$f" ] || continue
  np=$((np+1)); [ "$np" -le 40 ] || break
  p=$(head -c 32 "$f" | tr -cd 0-9)
  [ -n "$p" ] || continue
  if [ -d /proc/self ]; then
    if [ -d "/proc/$p" ]; then a=yes; else a=no; fi
  elif kill -0 "$p"; then a=yes; else a=unknown; fi
  one pidfile "$p|$a|$f"
done
for k in home vscode gomodcache gocache; do
  case $k in home) d=$HOME ;; vscode) d=$HOME/.vscode-server ;; gomodcache) d=$gmc ;; *) d=$gc ;; esac
  [ -n "$d" ] && [ -d "$d" ] || continue
  if [ -z "$fl" ] || [ -z "$to" ]; then one "flock_$k" "unknown|no flock or no timeout"; continue; fi
  t=$(mktemp "$d/.gord-flock-XXXXXX") || { one "flock_$k" "unknown|cannot create a file there"; continue; }
  e=$(timeout 3 flock -n "$t" true 2>&1); rc=$?
  rm -f "$t"
  case $rc in
    0) one "flock_$k" "ok|" ;;
    124) one "flock_$k" "fail|no answer within 3 s" ;;
    *) one "flock_$k" "fail|$e" ;;
  esac
done
np=0
for f in $sp; do
  d=${f%/cmdline}; [ -O "$d" ] || continue
  np=$((np+1)); [ "$np" -le 60 ] || break
  pp=$(sed -n 's/^PPid:[[:space:]]*//p' "$d/status")
  one proc "${d#/proc/}|$pp|$(tr '\0' ' ' < "$f" | cut -c1-400)"
done
lp_read
one login_path "$login_path"
one login_go "$login_go"
for d in /var/tmp /tmp; do
  [ -d "$d" ] || continue
  o=absent; m=$d/$u
  if [ -L "$m" ]; then o=other; elif [ -e "$m" ]; then if [ -d "$m" ] && [ -O "$m" ]; then o=mine; else o=other; fi; fi
  case $d in /tmp) one local_dir "$fs_tmp|$x_tmp|$o|$d" ;; *) one local_dir "$fs_vtmp|$x_vtmp|$o|$d" ;; esac
done
l1=""; n=0
while [ -n "$c1" ] && [ "$n" -lt 16 ]; do
  v=$(cat "/sys/fs/cgroup/memory${c1%/}/memory.limit_in_bytes")
  case $v in ''|*[!0-9]*) ;; *) if [ -z "$l1" ] || [ "$v" -lt "$l1" ]; then l1=$v; fi ;; esac
  [ "$c1" != / ] || break
  c1=${c1%/*}; [ -n "$c1" ] || c1=/; n=$((n+1))
done
one cgroup_v1_session_memory_limit "$l1"
for k in home vscode gomodcache gocache; do
  case $k in home) d=$HOME ;; vscode) d=$HOME/.vscode-server ;; gomodcache) d=$gmc ;; *) d=$gc ;; esac
  [ -n "$d" ] && [ -d "$d" ] || continue
  p=$(cd "$d" && pwd -P) || continue
  one "mnt_$k" "$(awk -v p="$p" '{ m=$5; gsub(/\\040/, " ", m); for (i = 7; i <= NF && $i != "-"; i++) ; if ((p == m || index(p, m "/") == 1 || m == "/") && length(m) >= l) { l = length(m); t = $(i+1) } } END { print t }' /proc/self/mountinfo)"
done
wait
echo __gord_end=1
"#
);

/// `FSTYPE|EXEC|OWN|PATH` (a `local_dir=` line); None without an absolute path.
fn local_dir(raw: &str) -> Option<LocalDir> {
    let mut parts = raw.trim_end().splitn(4, '|');
    let fs_type = parts.next()?;
    let exec = ExecProbe::parse(parts.next()?.trim());
    let own_dir = match parts.next()?.trim() {
        own @ ("absent" | "mine") => own,
        _ => "other",
    };
    let path = parts.next()?;
    path.starts_with('/').then(|| LocalDir {
        path: cut(path, 256).to_string(),
        fs_type: cut(fs_type.trim(), 64).to_string(),
        exec,
        own_dir: own_dir.to_string(),
    })
}

/// Whether a directory lets a program run from it (a real attempt, so
/// `noexec` mounts, ACLs and read-only file systems all show).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ExecProbe {
    Yes,
    /// A file there could be written but not run: `noexec`.
    No,
    Unwritable,
    Absent,
    Unknown,
}

impl ExecProbe {
    fn parse(value: &str) -> ExecProbe {
        match value {
            "yes" => ExecProbe::Yes,
            "no" => ExecProbe::No,
            "unwritable" => ExecProbe::Unwritable,
            "absent" => ExecProbe::Absent,
            _ => ExecProbe::Unknown,
        }
    }
}

/// One Go tool on the remote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ToolFact {
    pub name: String,
    /// Where it is; None when neither PATH nor GOPATH/bin has it.
    pub path: Option<String>,
    pub on_path: bool,
    pub version: Option<String>,
}

/// A line of a shell start-up file that the rules look at (an `exec`, or a
/// test for an interactive shell), as the script's `grep -n` found it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RcLine {
    /// `.bashrc`, `.bash_profile` or `.profile` (in the home directory).
    pub file: String,
    pub line: u32,
    /// The line, secrets redacted.
    pub text: String,
}

/// What the shell printed before the script began: output of rc files to a
/// non-interactive `ssh HOST command`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StartupOutput {
    /// How many bytes were printed (the whole of it, as far as it was read).
    pub bytes: usize,
    /// The first of them, at most [`MAX_STARTUP_QUOTE`] bytes, secrets redacted.
    pub text: String,
}

/// A directory temporary files go to: /tmp, `$TMPDIR`, `go env GOTMPDIR`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TempDir {
    /// `/tmp`, `TMPDIR` or `GOTMPDIR`.
    pub which: String,
    pub path: String,
    /// A directory this user can write to; None when not reported.
    pub usable: Option<bool>,
    pub free_kib: Option<u64>,
    /// None also when the file system has no inode count (btrfs says 0).
    pub free_inodes: Option<u64>,
}

/// Where a directory lives: `~/.vscode-server` on `nfs`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileSystem {
    /// `the home directory`, `~/.vscode-server`, `GOMODCACHE`, `GOCACHE`.
    pub what: String,
    /// As `stat -f -c %T` names it: `ext2/ext3`, `nfs`, `cifs`, `fuseblk`.
    pub fs_type: String,
}

/// A directory the VS Code server could be installed in instead of the
/// home (`remote.SSH.serverInstallPath`): /var/tmp or /tmp, its file
/// system and whether a program runs from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LocalDir {
    pub path: String,
    /// As `stat -f -c %T` names it; empty when not told.
    pub fs_type: String,
    pub exec: ExecProbe,
    /// `PATH/USER`, the directory the server would get: `absent`, `mine`
    /// (a directory of this user), `other` (anything else: a link, another
    /// user's, a file), as the script found it.
    pub own_dir: String,
}

/// A Remote-SSH install lock, `vscode-remote-lock.USER.COMMIT`, in
/// `~/.vscode-server/bin/COMMIT/` or (with `remote.SSH.lockfilesInTmp`) in
/// /tmp; only files of this user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LockFile {
    pub path: String,
    pub modified_unix: Option<u64>,
    /// Whether a process holds it: `flock -n` failed (true) or got it at
    /// once (false); None without `flock`, for a symbolic link, or when
    /// `flock` did not answer in time.
    pub held: Option<bool>,
}

/// A server pid file, `~/.vscode-server/.COMMIT.pid`, and whether the
/// process it names still runs (None: unknown, no /proc and `kill -0`
/// refused).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PidFile {
    pub path: String,
    pub pid: u32,
    pub alive: Option<bool>,
}

/// A real `flock -n` on a temporary file in a directory (RMT030).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FlockTest {
    /// `the home directory`, `~/.vscode-server`, `GOMODCACHE`, `GOCACHE`.
    pub what: String,
    /// None: not tested (no `flock` or `timeout`, or no file could be made).
    pub works: Option<bool>,
    /// What `flock` said, or why the test could not run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A process of this user running from ~/.vscode-server (RMT031).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerProcess {
    pub pid: u32,
    pub ppid: Option<u32>,
    /// The build it runs from: `bin/COMMIT`, `cli/servers/Stable-COMMIT` or
    /// the CLI `code-COMMIT`, as the commit alone.
    pub commit: String,
    /// Its command line, cut and with secrets (connection tokens) redacted.
    pub command: String,
}

/// At most this many server processes are read (the script sends 60).
pub const MAX_SERVER_PROCESSES: usize = 60;

/// At most this many lock files, and pid files, are read (the script sends 40).
pub const MAX_LOCK_FILES: usize = 40;

/// One installed VS Code server build under ~/.vscode-server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerBuild {
    /// Relative to ~/.vscode-server: `bin/COMMIT` or `cli/servers/Stable-COMMIT`.
    pub path: String,
    pub size_kib: Option<u64>,
    /// Last modification, Unix seconds: when it was installed or last updated.
    pub modified_unix: Option<u64>,
    /// Processes whose command line runs from it.
    pub running: u32,
}

/// At most this many server builds are read.
pub const MAX_SERVER_BUILDS: usize = 60;

/// Everything the remote script reported. Missing facts are `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RemoteFacts {
    /// Both markers seen: the script ran to its end.
    pub complete: bool,
    pub user: Option<String>,
    pub home: Option<String>,
    pub shell: Option<String>,
    pub os: Option<String>,
    pub arch: Option<String>,
    pub kernel: Option<String>,
    /// glibc's version (`2.36`); None on musl or when unknown.
    pub glibc: Option<String>,
    /// `ldd --version`'s first line, which names musl where glibc is absent.
    pub libc_line: Option<String>,
    pub libstdcxx: Option<String>,
    /// The highest GLIBCXX_ symbol version libstdc++ provides (`3.4.30`).
    pub glibcxx_max: Option<String>,
    pub bash: Option<String>,
    pub tar: Option<String>,
    pub curl: Option<String>,
    pub wget: Option<String>,
    pub home_free_kib: Option<u64>,
    pub home_free_inodes: Option<u64>,
    pub exec_tmp: Option<ExecProbe>,
    pub exec_home: Option<ExecProbe>,
    pub exec_vscode_server: Option<ExecProbe>,
    /// PATH of a non-login shell (what `ssh host command` gets).
    pub path: Option<String>,
    /// `go` in that PATH.
    pub go: Option<String>,
    /// PATH of a login shell (`$SHELL -l -c`).
    pub login_path: Option<String>,
    pub login_go: Option<String>,
    pub go_version: Option<String>,
    pub gopath: Option<String>,
    pub gomodcache: Option<String>,
    pub tools: Vec<ToolFact>,
    pub ptrace_scope: Option<u8>,
    /// Printed before the script's first marker; None when nothing was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub startup_output: Option<StartupOutput>,
    /// The login shell of the user's passwd entry (`getent passwd`, else /etc/passwd).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login_shell: Option<String>,
    /// Lines of ~/.bashrc, ~/.bash_profile and ~/.profile that run `exec` or
    /// test for an interactive shell (at most [`MAX_RC_LINES`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rc_lines: Vec<RcLine>,
    /// /proc/meminfo, in KiB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mem_total_kib: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mem_available_kib: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub swap_total_kib: Option<u64>,
    /// CPUs this user's processes may run on (`nproc`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpus: Option<u32>,
    /// The lowest memory limit of the session's cgroup and its ancestors
    /// (v2 `memory.max`, v1 `memory.limit_in_bytes`), in bytes; None: no limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cgroup_memory_max: Option<u64>,
    /// `fs.inotify.max_user_watches` and `max_user_instances`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inotify_max_watches: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inotify_max_instances: Option<u64>,
    /// inotify watches in use by the processes this user can see (all of
    /// them for root), counted in /proc/PID/fdinfo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inotify_watches: Option<u64>,
    /// inotify instances holding at least one watch, counted likewise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inotify_instances: Option<u64>,
    /// The remote's clock when the script ran (Unix seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub now_unix: Option<u64>,
    /// Installed VS Code server builds (at most [`MAX_SERVER_BUILDS`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub server_builds: Vec<ServerBuild>,
    /// File-system types (`stat -f -c %T`) of the home directory,
    /// ~/.vscode-server, GOMODCACHE and GOCACHE, in that order, for those
    /// that exist.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub file_systems: Vec<FileSystem>,
    /// /var/tmp and /tmp, where they exist: where the server could go.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub local_dirs: Vec<LocalDir>,
    /// /tmp, then `$TMPDIR` and `GOTMPDIR` when set.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub temp_dirs: Vec<TempDir>,
    /// Remote-SSH install locks of this user (at most [`MAX_LOCK_FILES`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lock_files: Vec<LockFile>,
    /// Server pid files of this user (at most [`MAX_LOCK_FILES`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pid_files: Vec<PidFile>,
    /// `flock` tried in the home directory, ~/.vscode-server, GOMODCACHE
    /// and GOCACHE, for those that exist.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flock_tests: Vec<FlockTest>,
    /// Processes of this user running from ~/.vscode-server (at most
    /// [`MAX_SERVER_PROCESSES`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub server_processes: Vec<ServerProcess>,
    /// What the requests to the VS Code server's and Go's download hosts
    /// got (RMT032, RMT033); None when the script made none (`off`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub egress: Option<super::egress::EgressFacts>,
}

impl RemoteFacts {
    /// The fact the script reports as plain text under `key`.
    fn text_slot(&mut self, key: &str) -> Option<&mut Option<String>> {
        Some(match key {
            "user" => &mut self.user,
            "home" => &mut self.home,
            "shell" => &mut self.shell,
            "os" => &mut self.os,
            "arch" => &mut self.arch,
            "kernel" => &mut self.kernel,
            "glibc" => &mut self.glibc,
            "ldd" => &mut self.libc_line,
            "libstdcxx" => &mut self.libstdcxx,
            "cmd_bash" => &mut self.bash,
            "cmd_tar" => &mut self.tar,
            "cmd_curl" => &mut self.curl,
            "cmd_wget" => &mut self.wget,
            "path" => &mut self.path,
            "go" => &mut self.go,
            "login_path" => &mut self.login_path,
            "login_go" => &mut self.login_go,
            "go_version" => &mut self.go_version,
            "gopath" => &mut self.gopath,
            "gomodcache" => &mut self.gomodcache,
            _ => return None,
        })
    }
}

/// Longest value kept, in bytes; the script already cuts at 2,000.
const MAX_VALUE: usize = 4096;

/// Bytes of start-up output kept to quote.
pub const MAX_STARTUP_QUOTE: usize = 1024;

/// Start-up file lines kept (the script sends at most 40 a file, 3 files).
pub const MAX_RC_LINES: usize = 120;

/// A cgroup v1 limit at or above this (2^60 bytes) means "no limit".
const CGROUP_V1_UNLIMITED: u64 = 1 << 60;

/// What an `fs_*` or `mnt_*` key is about.
fn fs_what(key: &str) -> &'static str {
    match key.split_once('_').map_or(key, |(_, k)| k) {
        "home" => "the home directory",
        "vscode" => "~/.vscode-server",
        "gomodcache" => "GOMODCACHE",
        _ => "GOCACHE",
    }
}

/// The mount's own type (`/proc/self/mountinfo`: `fuse.sshfs`, `nfs4`)
/// where `stat -f` told less: `stat -f -c %T` names every FUSE file system
/// `fuseblk` (sshfs among them), and says nothing where it is missing.
fn refine_fs_type(file_systems: &mut Vec<FileSystem>, what: &str, mount_type: &str) {
    let mount_type = cut(mount_type.trim(), 64);
    if mount_type.is_empty() {
        return;
    }
    match file_systems.iter_mut().find(|f| f.what == what) {
        Some(f) if matches!(f.fs_type.as_str(), "fuseblk" | "fuse") => {
            f.fs_type = mount_type.to_string();
        }
        Some(_) => {}
        None => file_systems.push(FileSystem {
            what: what.to_string(),
            fs_type: mount_type.to_string(),
        }),
    }
}

/// A cgroup v1 `memory.limit_in_bytes`; None for "no limit" or no number.
fn cgroup_v1_limit(raw: &str) -> Option<u64> {
    raw.trim()
        .parse::<u64>()
        .ok()
        .filter(|b| *b < CGROUP_V1_UNLIMITED)
}

/// Cuts `text` to at most `max` bytes, on a character boundary.
fn cut(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// `.bashrc:12:  exec zsh` (the script's `rcline=` value) as its parts.
fn rc_line(value: &str) -> Option<RcLine> {
    let (file, rest) = value.split_once(':')?;
    let (number, text) = rest.split_once(':')?;
    if ![".bashrc", ".bash_profile", ".profile"].contains(&file) {
        return None;
    }
    Some(RcLine {
        file: file.to_string(),
        line: number.trim().parse().ok()?,
        text: crate::redact::secrets(text),
    })
}

/// The KiB figure of `Key:` in a /proc/meminfo text flattened to one line
/// (`MemTotal: 16384 kB MemAvailable: 9000 kB`).
fn meminfo_kib(text: &str, key: &str) -> Option<u64> {
    let mut words = text.split_whitespace();
    words.find(|w| *w == key)?;
    words.next()?.parse().ok()
}

/// The numeric prefix of a dotted version: `5.10.0-28-amd64` → [5, 10, 0].
pub fn version_numbers(text: &str) -> Vec<u64> {
    let mut numbers = Vec::new();
    for part in text.trim().split('.') {
        let digits: String = part.chars().take_while(char::is_ascii_digit).collect();
        match digits.parse::<u64>() {
            Ok(n) => numbers.push(n),
            Err(_) => break,
        }
        if digits.len() != part.len() {
            break;
        }
    }
    numbers
}

/// Compares dotted versions numerically, missing parts counting as 0.
pub fn compare_versions(a: &[u64], b: &[u64]) -> std::cmp::Ordering {
    let len = a.len().max(b.len());
    (0..len)
        .map(|i| {
            a.get(i)
                .copied()
                .unwrap_or(0)
                .cmp(&b.get(i).copied().unwrap_or(0))
        })
        .find(|o| o.is_ne())
        .unwrap_or(std::cmp::Ordering::Equal)
}

fn non_empty(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_string())
}

/// Reads the script's output. Lines outside the markers (a login banner, a
/// `.bashrc` that echoes) and lines without `=` are ignored; a repeated key
/// keeps its last value. Never fails: what is missing stays `None`.
pub fn parse_facts(output: &str) -> RemoteFacts {
    let mut facts = RemoteFacts::default();
    let mut inside = false;
    let mut tools: Vec<ToolFact> = ["gopls", "dlv", "golangci-lint"]
        .iter()
        .map(|name| ToolFact {
            name: (*name).to_string(),
            path: None,
            on_path: false,
            version: None,
        })
        .collect();
    let mut seen_tool = [false; 3];
    let (mut startup_bytes, mut startup_text) = (0_usize, String::new());
    let (mut cgroup_v2, mut cgroup_v1, mut cgroup_v1_session) = (None, None, None);
    let mut temp = [
        TempDir::named("/tmp", Some("/tmp")),
        TempDir::named("TMPDIR", None),
        TempDir::named("GOTMPDIR", None),
    ];
    for line in output.lines() {
        if !inside {
            if line.starts_with("__gord_begin=") {
                inside = true;
            } else {
                startup_bytes += line.len() + 1;
                if startup_text.len() < MAX_STARTUP_QUOTE {
                    startup_text.push_str(cut(line, MAX_STARTUP_QUOTE - startup_text.len()));
                    startup_text.push('\n');
                }
            }
            continue;
        }
        let Some((key, raw)) = line.split_once('=') else {
            continue;
        };
        match key {
            "__gord_begin" => continue,
            "__gord_end" => {
                facts.complete = true;
                break;
            }
            _ => {}
        }
        let raw = cut(raw, MAX_VALUE);
        let value = non_empty(raw);
        if let Some(slot) = facts.text_slot(key) {
            *slot = value;
            continue;
        }
        if super::egress::EgressFacts::read(&mut facts.egress, key, raw) {
            continue;
        }
        match key {
            "glibcxx" => {
                facts.glibcxx_max = raw
                    .split_whitespace()
                    .filter_map(|s| s.strip_prefix("GLIBCXX_"))
                    .filter(|v| !version_numbers(v).is_empty())
                    .max_by(|a, b| compare_versions(&version_numbers(a), &version_numbers(b)))
                    .map(str::to_string)
            }
            // `Filesystem 1024-blocks Used Available Capacity Mounted-on`
            "df_home" => facts.home_free_kib = df_available(raw),
            "dfi_home" => facts.home_free_inodes = df_free_inodes(raw),
            "tmpdir" => temp[1].path = value.unwrap_or_default(),
            "gotmpdir" => temp[2].path = value.unwrap_or_default(),
            "exec_tmp" => facts.exec_tmp = Some(ExecProbe::parse(raw.trim())),
            "exec_home" => facts.exec_home = Some(ExecProbe::parse(raw.trim())),
            "exec_vscode" => facts.exec_vscode_server = Some(ExecProbe::parse(raw.trim())),
            "ptrace_scope" => facts.ptrace_scope = raw.trim().parse().ok(),
            "login_shell" => facts.login_shell = value,
            "rcline" => {
                if facts.rc_lines.len() < MAX_RC_LINES {
                    facts.rc_lines.extend(rc_line(raw));
                }
            }
            "meminfo" => {
                facts.mem_total_kib = meminfo_kib(raw, "MemTotal:");
                facts.mem_available_kib = meminfo_kib(raw, "MemAvailable:");
                facts.swap_total_kib = meminfo_kib(raw, "SwapTotal:");
            }
            "inotify_max_watches" => facts.inotify_max_watches = raw.trim().parse().ok(),
            "inotify_max_instances" => facts.inotify_max_instances = raw.trim().parse().ok(),
            "inotify_watches" => facts.inotify_watches = raw.trim().parse().ok(),
            "inotify_instances" => facts.inotify_instances = raw.trim().parse().ok(),
            "fs_home" | "fs_vscode" | "fs_gomodcache" | "fs_gocache" => {
                if let Some(fs_type) = value {
                    let what = fs_what(key);
                    facts.file_systems.retain(|f| f.what != what);
                    facts.file_systems.push(FileSystem {
                        what: what.to_string(),
                        fs_type: cut(&fs_type, 64).to_string(),
                    });
                }
            }
            "mnt_home" | "mnt_vscode" | "mnt_gomodcache" | "mnt_gocache" => {
                if let Some(mount_type) = value {
                    refine_fs_type(&mut facts.file_systems, fs_what(key), &mount_type);
                }
            }
            "now" => facts.now_unix = raw.trim().parse().ok(),
            "local_dir" => {
                if facts.local_dirs.len() < 2 {
                    facts.local_dirs.extend(local_dir(raw));
                }
            }
            "server" => {
                if facts.server_builds.len() < MAX_SERVER_BUILDS {
                    facts.server_builds.extend(server_build(raw));
                }
            }
            "lock" => {
                if facts.lock_files.len() < MAX_LOCK_FILES {
                    facts.lock_files.extend(lock_file(raw));
                }
            }
            "flock_home" | "flock_vscode" | "flock_gomodcache" | "flock_gocache" => {
                let what = match key {
                    "flock_home" => "the home directory",
                    "flock_vscode" => "~/.vscode-server",
                    "flock_gomodcache" => "GOMODCACHE",
                    _ => "GOCACHE",
                };
                let (outcome, note) = raw.split_once('|').unwrap_or((raw, ""));
                let works = match outcome.trim() {
                    "ok" => Some(true),
                    "fail" => Some(false),
                    _ => None,
                };
                facts.flock_tests.retain(|t| t.what != what);
                facts.flock_tests.push(FlockTest {
                    what: what.to_string(),
                    works,
                    note: non_empty(cut(note, 300)).map(|n| crate::redact::secrets(&n)),
                });
            }
            "proc" => {
                if facts.server_processes.len() < MAX_SERVER_PROCESSES {
                    facts.server_processes.extend(server_process(raw));
                }
            }
            "pidfile" => {
                if facts.pid_files.len() < MAX_LOCK_FILES {
                    facts.pid_files.extend(pid_file(raw));
                }
            }
            "nproc" => facts.cpus = raw.trim().parse().ok().filter(|n| *n > 0),
            "cgroup_memory_max" => cgroup_v2 = raw.trim().parse::<u64>().ok(),
            "cgroup_v1_memory_limit" => cgroup_v1 = cgroup_v1_limit(raw),
            "cgroup_v1_session_memory_limit" => cgroup_v1_session = cgroup_v1_limit(raw),
            _ if temp_key(key).is_some() => {
                if let Some((field, index)) = temp_key(key) {
                    let dir = &mut temp[index];
                    match field {
                        "usable" => {
                            dir.usable = match raw.trim() {
                                "yes" => Some(true),
                                "no" => Some(false),
                                // The tools `one` pipes through are missing.
                                _ => None,
                            }
                        }
                        "df" => dir.free_kib = df_available(raw),
                        _ => dir.free_inodes = df_free_inodes(raw),
                    }
                }
            }
            _ => {
                let Some(rest) = key.strip_prefix("tool_") else {
                    continue;
                };
                for (i, tool) in tools.iter_mut().enumerate() {
                    let Some(field) = rest.strip_prefix(tool.name.as_str()) else {
                        continue;
                    };
                    match field {
                        "" => tool.path = value.clone(),
                        "_on_path" => tool.on_path = raw.trim() == "yes",
                        "_version" => tool.version = value.clone(),
                        _ => continue,
                    }
                    seen_tool[i] = true;
                }
            }
        }
    }
    facts.tools = tools
        .into_iter()
        .zip(seen_tool)
        .filter_map(|(tool, seen)| seen.then_some(tool))
        .collect();
    facts.temp_dirs = temp
        .into_iter()
        .filter(|d| !d.path.is_empty() && (d.usable.is_some() || d.free_kib.is_some()))
        .collect();
    facts.cgroup_memory_max = [cgroup_v2, cgroup_v1, cgroup_v1_session]
        .into_iter()
        .flatten()
        .min();
    if inside && !startup_text.trim().is_empty() {
        facts.startup_output = Some(StartupOutput {
            bytes: startup_bytes,
            text: crate::redact::secrets(&startup_text),
        });
    }
    facts
}

impl TempDir {
    fn named(which: &str, path: Option<&str>) -> Self {
        TempDir {
            which: which.to_string(),
            path: path.unwrap_or_default().to_string(),
            usable: None,
            free_kib: None,
            free_inodes: None,
        }
    }
}

/// An absolute path with no `.` or `..` component, whose last component
/// passes `name_ok`.
fn plain_absolute(path: &str, name_ok: impl Fn(&str) -> bool) -> Option<String> {
    let path = path.trim_end();
    let rest = path.strip_prefix('/')?;
    let mut parts = rest.split('/');
    if parts.clone().any(|p| p.is_empty() || p == "." || p == "..") {
        return None;
    }
    name_ok(parts.next_back()?).then(|| path.to_string())
}

/// `MTIME|HELD|PATH` (the path last: it may hold `|`) as a lock file; None
/// unless the file is named `vscode-remote-lock.*`.
fn lock_file(value: &str) -> Option<LockFile> {
    let mut parts = value.splitn(3, '|');
    let modified_unix = parts.next()?.trim().parse().ok();
    let held = match parts.next()?.trim() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    };
    let path = plain_absolute(parts.next()?, |name| {
        name.len() > "vscode-remote-lock.".len() && name.starts_with("vscode-remote-lock.")
    })?;
    Some(LockFile {
        path,
        modified_unix,
        held,
    })
}

/// The commit of a server build named in a command line:
/// `.vscode-server/bin/COMMIT/`, `.vscode-server/cli/servers/Stable-COMMIT/`
/// or `.vscode-server/code-COMMIT`.
pub fn server_commit(command: &str) -> Option<String> {
    let plain = |c: char| c.is_ascii_alphanumeric() || "._-".contains(c);
    let (_, rest) = command.split_once(".vscode-server/")?;
    let name = if let Some(rest) = rest.strip_prefix("bin/") {
        rest.split('/').next()?
    } else if let Some(rest) = rest.strip_prefix("cli/servers/") {
        let name = rest.split('/').next()?;
        name.split_once('-').map_or(name, |(_, commit)| commit)
    } else {
        rest.strip_prefix("code-")?
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()?
    };
    (!name.is_empty() && !name.starts_with('.') && name.chars().all(plain))
        .then(|| name.to_string())
}

/// `PID|PPID|COMMAND` as a server process; None unless the command runs
/// from a server build.
fn server_process(value: &str) -> Option<ServerProcess> {
    let mut parts = value.splitn(3, '|');
    let pid = parts.next()?.trim().parse().ok().filter(|p| *p > 1)?;
    let ppid = parts.next()?.trim().parse().ok();
    let command = parts.next()?.trim();
    let commit = server_commit(command)?;
    Some(ServerProcess {
        pid,
        ppid,
        commit,
        command: crate::redact::secrets(cut(command, 400)),
    })
}

/// `PID|ALIVE|PATH` as a pid file; None unless it is named `.NAME.pid`
/// directly in a `.vscode-server` directory.
fn pid_file(value: &str) -> Option<PidFile> {
    let mut parts = value.splitn(3, '|');
    let pid = parts.next()?.trim().parse().ok().filter(|p| *p > 0)?;
    let alive = match parts.next()?.trim() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    };
    let path = plain_absolute(parts.next()?, |name| {
        name.len() >= ".x.pid".len() && name.starts_with('.') && name.ends_with(".pid")
    })?;
    path.rsplit('/')
        .nth(1)
        .filter(|dir| *dir == ".vscode-server")?;
    Some(PidFile { path, pid, alive })
}

/// `bin/COMMIT|KIB|MTIME|RUNNING` as a build; None unless the path is a
/// plain `bin/NAME` or `cli/servers/NAME` (NAME of letters, digits, `.`,
/// `_` and `-`), so a fix can name it safely.
fn server_build(value: &str) -> Option<ServerBuild> {
    let mut parts = value.split('|');
    let path = parts.next()?.trim();
    let name = path
        .strip_prefix("bin/")
        .or_else(|| path.strip_prefix("cli/servers/"))?;
    let plain = |c: char| c.is_ascii_alphanumeric() || "._-".contains(c);
    if name.is_empty() || name.starts_with('.') || !name.chars().all(plain) {
        return None;
    }
    let mut number = || parts.next().and_then(|p| p.trim().parse::<u64>().ok());
    let size_kib = number();
    let modified_unix = number();
    let running = number().and_then(|n| u32::try_from(n).ok()).unwrap_or(0);
    Some(ServerBuild {
        path: path.to_string(),
        size_kib,
        modified_unix,
        running,
    })
}

/// `df_tmpdir` -> ("df", 1): which field of which temporary directory.
fn temp_key(key: &str) -> Option<(&str, usize)> {
    let (field, which) = key.split_once('_')?;
    if !["usable", "df", "dfi"].contains(&field) {
        return None;
    }
    let index = ["tmp", "tmpdir", "gotmpdir"]
        .iter()
        .position(|w| *w == which)?;
    Some((field, index))
}

/// The free inodes of a `df -Pi` data line; None when the file system
/// counts none (btrfs prints 0 inodes in all).
fn df_free_inodes(line: &str) -> Option<u64> {
    let fields: Vec<&str> = line.split_whitespace().collect();
    let n = fields.len();
    if n < 6 {
        return None;
    }
    let total: u64 = fields[n - 5].parse().ok()?;
    (total > 0).then(|| fields[n - 3].parse().ok()).flatten()
}

/// The fourth column of a POSIX `df -P` data line: the space (KiB) or inodes free.
fn df_available(line: &str) -> Option<u64> {
    let fields: Vec<&str> = line.split_whitespace().collect();
    // A long device name can push the numbers right; count from the end.
    let n = fields.len();
    if n < 6 {
        return None;
    }
    fields[n - 3].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEBIAN: &str = "Welcome to the box!\n__gord_begin=1\nuser=dev\nhome=/home/dev\nshell=/bin/bash\n\
os=Debian GNU/Linux 12 (bookworm)\narch=x86_64\nkernel=6.1.0-18-amd64\nglibc=2.36\n\
ldd=ldd (Debian GLIBC 2.36-9+deb12u4) 2.36\nlibstdcxx=/usr/lib/x86_64-linux-gnu/libstdc++.so.6\n\
glibcxx=GLIBCXX_3.4 GLIBCXX_3.4.9 GLIBCXX_3.4.30 GLIBCXX_3.4.29 GLIBCXX_DEBUG_MESSAGE_LENGTH \n\
cmd_bash=/usr/bin/bash\ncmd_tar=/usr/bin/tar\ncmd_curl=\ncmd_wget=/usr/bin/wget\n\
df_home=/dev/sda1 102687672 51234 51453438 50% /\ndfi_home=/dev/sda1 6553600 120000 6433600 2% /\n\
exec_tmp=no\nexec_home=yes\nexec_vscode=absent\npath=/usr/bin:/bin\ngo=\n\
login_path=/usr/local/go/bin:/usr/bin:/bin\nlogin_go=/usr/local/go/bin/go\n\
go_version=go version go1.22.1 linux/amd64\ngopath=/home/dev/go\ngomodcache=/home/dev/go/pkg/mod\n\
tool_gopls=/home/dev/go/bin/gopls\ntool_gopls_on_path=no\ntool_gopls_version=golang.org/x/tools/gopls v0.15.0\n\
tool_dlv=\ntool_dlv_on_path=no\ntool_golangci-lint=\ntool_golangci-lint_on_path=no\n\
ptrace_scope=1\n__gord_end=1\nlogout\n";

    #[test]
    fn a_complete_report_is_read_field_by_field() {
        let f = parse_facts(DEBIAN);
        assert!(f.complete);
        assert_eq!(f.user.as_deref(), Some("dev"));
        assert_eq!(f.os.as_deref(), Some("Debian GNU/Linux 12 (bookworm)"));
        assert_eq!(f.glibc.as_deref(), Some("2.36"));
        assert_eq!(f.glibcxx_max.as_deref(), Some("3.4.30"));
        assert_eq!(f.curl, None);
        assert_eq!(f.wget.as_deref(), Some("/usr/bin/wget"));
        assert_eq!(f.home_free_kib, Some(51453438));
        assert_eq!(f.home_free_inodes, Some(6433600));
        assert_eq!(f.exec_tmp, Some(ExecProbe::No));
        assert_eq!(f.exec_vscode_server, Some(ExecProbe::Absent));
        assert_eq!(f.go, None);
        assert_eq!(f.login_go.as_deref(), Some("/usr/local/go/bin/go"));
        assert_eq!(f.ptrace_scope, Some(1));
        assert_eq!(f.tools.len(), 3);
        assert_eq!(
            f.tools[0],
            ToolFact {
                name: "gopls".into(),
                path: Some("/home/dev/go/bin/gopls".into()),
                on_path: false,
                version: Some("golang.org/x/tools/gopls v0.15.0".into()),
            }
        );
        assert_eq!(f.tools[2].path, None);
    }

    #[test]
    fn output_cut_short_is_marked_incomplete_and_junk_outside_the_markers_is_ignored() {
        let f = parse_facts("user=evil\n__gord_begin=1\nuser=dev\narch=aarch64");
        assert!(!f.complete);
        assert_eq!(f.user.as_deref(), Some("dev"));
        assert_eq!(f.arch.as_deref(), Some("aarch64"));
        assert_eq!(parse_facts(""), RemoteFacts::default());
    }

    #[test]
    fn what_rc_files_print_before_the_script_is_kept_bounded_and_counted() {
        let noisy = "x".repeat(5000);
        let text = format!("Hello from .bashrc\n{noisy}\n__gord_begin=1\nuser=dev\n__gord_end=1\n");
        let f = parse_facts(&text);
        let printed = f.startup_output.unwrap();
        assert_eq!(printed.bytes, "Hello from .bashrc\n".len() + 5001);
        assert!(printed.text.starts_with("Hello from .bashrc\nxxx"));
        assert!(
            printed.text.len() <= MAX_STARTUP_QUOTE + 2,
            "{}",
            printed.text.len()
        );
        // Nothing printed, or blank lines only: nothing to report.
        assert_eq!(
            parse_facts("\n\n__gord_begin=1\n__gord_end=1\n").startup_output,
            None
        );
        // Without the first marker the script never ran: no facts at all.
        assert_eq!(parse_facts("Hello\n"), RemoteFacts::default());
    }

    #[test]
    fn login_shell_rc_lines_memory_and_cgroup_limit_are_read() {
        let f = parse_facts(
            "__gord_begin=1\nlogin_shell=/usr/bin/fish\nrcline=.bashrc:12:  exec zsh\n\
rcline=.profile:3:[ -t 1 ] && echo hi: there\nrcline=/etc/passwd:1:x\nrcline=.bashrc:x:y\n\
meminfo=MemTotal:       2031616 kB MemAvailable:   912384 kB SwapTotal:  0 kB SwapFree: 0 kB\n\
nproc=1\ncgroup_memory_max=1073741824\ncgroup_v1_memory_limit=9223372036854771712\n__gord_end=1\n",
        );
        assert_eq!(f.login_shell.as_deref(), Some("/usr/bin/fish"));
        assert_eq!(
            f.rc_lines,
            [
                RcLine {
                    file: ".bashrc".into(),
                    line: 12,
                    text: "  exec zsh".into()
                },
                RcLine {
                    file: ".profile".into(),
                    line: 3,
                    text: "[ -t 1 ] && echo hi: there".into()
                }
            ]
        );
        assert_eq!(f.mem_total_kib, Some(2031616));
        assert_eq!(f.mem_available_kib, Some(912384));
        assert_eq!(f.swap_total_kib, Some(0));
        assert_eq!(f.cpus, Some(1));
        // v1's "no limit" is a huge number; v2's limit stands.
        assert_eq!(f.cgroup_memory_max, Some(1073741824));
        let v1 =
            parse_facts("__gord_begin=1\ncgroup_memory_max=\ncgroup_v1_memory_limit=536870912\n");
        assert_eq!(v1.cgroup_memory_max, Some(536870912));
        // sshfs is `fuseblk` to `stat -f`; the mount table says which FUSE.
        let sshfs = parse_facts(
            "__gord_begin=1\nfs_home=fuseblk\nfs_vscode=ext2/ext3\nmnt_home=fuse.sshfs\nmnt_vscode=ext4\nmnt_gocache=nfs4\n",
        );
        assert_eq!(
            sshfs
                .file_systems
                .iter()
                .map(|f| format!("{} {}", f.what, f.fs_type))
                .collect::<Vec<_>>(),
            [
                "the home directory fuse.sshfs",
                "~/.vscode-server ext2/ext3",
                "GOCACHE nfs4"
            ]
        );
        // The session's own v1 memory cgroup (or an ancestor's) is lower.
        let session = parse_facts(
            "__gord_begin=1\ncgroup_v1_memory_limit=9223372036854771712\ncgroup_v1_session_memory_limit=268435456\n",
        );
        assert_eq!(session.cgroup_memory_max, Some(268435456));
        let many: String = (0..500)
            .map(|i| format!("rcline=.bashrc:{i}:exec zsh\n"))
            .collect();
        let f = parse_facts(&format!("__gord_begin=1\n{many}"));
        assert_eq!(f.rc_lines.len(), MAX_RC_LINES);
    }

    #[test]
    fn lock_and_pid_files_are_read_with_their_state_and_odd_paths_are_dropped() {
        let f = parse_facts(
            "__gord_begin=1\n\
lock=1700000000|no|/home/a b/.vscode-server/bin/c1/vscode-remote-lock.dev.c1\n\
lock=|unknown|/tmp/vscode-remote-lock.dev.c2\n\
lock=1|yes|/tmp/x|y/vscode-remote-lock.dev.c3\n\
lock=1|no|/tmp/../etc/vscode-remote-lock.x\n\
lock=1|no|/tmp/passwd\nlock=1|no|tmp/vscode-remote-lock.x\n\
pidfile=4242|no|/home/dev/.vscode-server/.c1.pid\n\
pidfile=77|yes|/home/dev/.vscode-server/.c2.pid\n\
pidfile=|no|/home/dev/.vscode-server/.c3.pid\n\
pidfile=5|no|/home/dev/.vscode-server/bin/.c4.pid\n\
pidfile=6|maybe|/home/dev/.vscode-server/.c5.pid\n__gord_end=1\n",
        );
        assert_eq!(
            f.lock_files,
            [
                LockFile {
                    path: "/home/a b/.vscode-server/bin/c1/vscode-remote-lock.dev.c1".into(),
                    modified_unix: Some(1_700_000_000),
                    held: Some(false)
                },
                LockFile {
                    path: "/tmp/vscode-remote-lock.dev.c2".into(),
                    modified_unix: None,
                    held: None
                },
                LockFile {
                    path: "/tmp/x|y/vscode-remote-lock.dev.c3".into(),
                    modified_unix: Some(1),
                    held: Some(true)
                },
            ]
        );
        let pids: Vec<(u32, Option<bool>)> = f.pid_files.iter().map(|p| (p.pid, p.alive)).collect();
        assert_eq!(pids, [(4242, Some(false)), (77, Some(true)), (6, None)]);
        let many: String = (0..100)
            .map(|i| format!("lock=1|no|/tmp/vscode-remote-lock.u.{i}\n"))
            .collect();
        let f = parse_facts(&format!("__gord_begin=1\n{many}"));
        assert_eq!(f.lock_files.len(), MAX_LOCK_FILES);
    }

    #[test]
    fn flock_tests_are_read_per_directory_with_what_flock_said() {
        let f = parse_facts(
            "__gord_begin=1\nflock_home=ok|\nflock_vscode=fail|flock: No locks available\n\
flock_gomodcache=unknown|no flock or no timeout\nflock_gocache=fail|no answer within 3 s\n\
flock_other=fail|x\n__gord_end=1\n",
        );
        let seen: Vec<(&str, Option<bool>, Option<&str>)> = f
            .flock_tests
            .iter()
            .map(|t| (t.what.as_str(), t.works, t.note.as_deref()))
            .collect();
        assert_eq!(
            seen,
            [
                ("the home directory", Some(true), None),
                (
                    "~/.vscode-server",
                    Some(false),
                    Some("flock: No locks available")
                ),
                ("GOMODCACHE", None, Some("no flock or no timeout")),
                ("GOCACHE", Some(false), Some("no answer within 3 s")),
            ]
        );
    }

    #[test]
    fn server_processes_are_read_with_the_commit_they_run_from() {
        let f = parse_facts(
            "__gord_begin=1\n\
proc=100|1|/home/dev/.vscode-server/bin/abc123/node /home/dev/.vscode-server/bin/abc123/out/server-main.js --connection-token=s3cr3t-t0ken-value\n\
proc=101|100|/home/dev/.vscode-server/cli/servers/Stable-def456/server/node x\n\
proc=102|1|/home/dev/.vscode-server/code-fed789 command-shell --cli-data-dir /home/dev/.vscode-server/cli\n\
proc=103|1|vim /home/dev/.vscode-server/data/User/settings.json\n\
proc=104|1|/home/dev/.vscode-server/bin/../x/node\n\
proc=1|0|/home/dev/.vscode-server/bin/abc123/node\n__gord_end=1\n",
        );
        let seen: Vec<(u32, Option<u32>, &str)> = f
            .server_processes
            .iter()
            .map(|p| (p.pid, p.ppid, p.commit.as_str()))
            .collect();
        assert_eq!(
            seen,
            [
                (100, Some(1), "abc123"),
                (101, Some(100), "def456"),
                (102, Some(1), "fed789")
            ]
        );
        assert!(
            !f.server_processes[0].command.contains("s3cr3t-t0ken-value"),
            "{}",
            f.server_processes[0].command
        );
    }

    #[test]
    fn versions_compare_numerically_not_as_text() {
        use std::cmp::Ordering;
        assert_eq!(version_numbers("5.10.0-28-amd64"), [5, 10, 0]);
        assert_eq!(version_numbers("4.18"), [4, 18]);
        assert_eq!(version_numbers("x"), Vec::<u64>::new());
        assert_eq!(
            compare_versions(&version_numbers("3.4.9"), &version_numbers("3.4.25")),
            Ordering::Less
        );
        assert_eq!(compare_versions(&[4, 18], &[4, 18, 0]), Ordering::Equal);
    }

    #[test]
    fn the_script_is_plain_posix_sh_that_dash_accepts() {
        use crate::exec::{CommandSpec, ProcessRunner, SystemRunner};
        let out = SystemRunner
            .run_blocking(CommandSpec::new("/bin/sh").args(["-n", "-c", REMOTE_SCRIPT]))
            .unwrap();
        assert!(out.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
}
