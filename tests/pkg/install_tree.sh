#!/usr/bin/env bash
# `cmake --install` into a temporary DESTDIR puts exactly the expected files in place; the man
# page renders without warnings, the bash completion loads and completes commands, options and
# values, the zsh completion parses, the guest headers compile freestanding through pkg-config,
# and the installed binary runs.
# usage: install_tree.sh BUILD_DIR SOURCE_DIR PREFIX
set -uo pipefail
build=$1 src=$2 prefix=$3
dest=$(mktemp -d); trap 'rm -rf "$dest"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
root=$dest$prefix
DESTDIR=$dest cmake --install "$build" >"$dest.log" 2>&1 || { cat "$dest.log"; bad "cmake --install"; }
rm -f "$dest.log"

# The whole tree, nothing more, nothing less (the zsh directory is a cache variable).
zshdir=$(sed -n 's/^PVH_ZSH_COMPLETION_DIR:[A-Z]*=//p' "$build/CMakeCache.txt")
expected=$(sort <<EOT
bin/pvh-sev
include/pvh-sev/ap/ap_abi.h
include/pvh-sev/ghcb/ghcb.h
include/pvh-sev/loader/guest_abi.h
include/pvh-sev/loader/hvm_start_info.h
share/bash-completion/completions/pvh-sev
share/doc/pvh-sev/examples/ci/github-actions.yml
share/doc/pvh-sev/examples/ci/gitlab-ci.yml
share/man/man1/pvh-sev.1
share/pkgconfig/pvh-sev-guest.pc
share/pvh-sev/schemas/check.schema.json
share/pvh-sev/schemas/launch-report.schema.json
share/pvh-sev/schemas/measure.schema.json
$zshdir/_pvh-sev
EOT
)
actual=$(cd "$root" && find . -type f | sed 's|^\./||' | sort)
[ "$actual" = "$expected" ] || bad "installed tree differs:
$(diff <(echo "$expected") <(echo "$actual"))"
[ -x "$root/bin/pvh-sev" ] || bad "bin/pvh-sev is not executable"
for s in launch-report measure check; do
  cmp -s "$src/docs/schemas/$s.schema.json" "$root/share/pvh-sev/schemas/$s.schema.json" ||
    bad "installed $s schema differs from docs/schemas"
done

# The binary runs and names its build.
"$root/bin/pvh-sev" --version | grep -Eq '^pvh-sev [0-9]' || bad "pvh-sev --version"
"$root/bin/pvh-sev" --version | grep -Eq "^features: .*(static|dynamic)-link" || bad "--version names no features"

# man -l renders the page, with groff's warnings on and none printed.
MANWIDTH=100 LC_ALL=C.UTF-8 man --warnings -l "$root/share/man/man1/pvh-sev.1" \
  >"$dest/man.txt" 2>"$dest/man.err" || bad "man -l failed: $(head -c 300 "$dest/man.err")"
[ -s "$dest/man.err" ] && bad "man -l warns: $(head -c 300 "$dest/man.err")"
for section in NAME SYNOPSIS COMMANDS "EXIT STATUS" FILES EXAMPLES; do
  grep -q "^$section" "$dest/man.txt" || bad "the rendered man page has no $section section"
done

# The bash completion loads (with and without the bash-completion package) and completes.
complete_words() { # complete_words WORDS...: COMPREPLY for the last word
  bash --norc --noprofile -c '
    [ -n "$BC" ] && [ -r "$BC" ] && . "$BC"
    . "$1"; shift
    complete -p pvh-sev >/dev/null || exit 3
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
    _pvh_sev pvh-sev "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
    echo "${COMPREPLY[*]}"' _ "$root/share/bash-completion/completions/pvh-sev" "$@"
}
for BC in "" /usr/share/bash-completion/bash_completion; do
  export BC
  [ -z "$BC" ] || [ -r "$BC" ] || continue
  check() { # check WANT WORDS...
    local want=$1; shift
    local got; got=$(complete_words "$@" 2>&1) || bad "bash completion did not load (${BC:-plain bash}): $got"
    [ "$got" = "$want" ] || bad "bash completion of '$*' (${BC:-plain bash}): '$got', want '$want'"
  }
  check "run" pvh-sev r
  check "measure" pvh-sev m
  check "auto es emulated off" pvh-sev run k.elf --sev ""
  check "init2 legacy" pvh-sev measure k.elf --sev-init ""
  check "--output-format" pvh-sev measure k.elf --out
  check "--strict" pvh-sev run k.elf --str
  check "" pvh-sev measure k.elf --str
  check "hex base64" pvh-sev measure k.elf --output-format ""
  check "--help --version" pvh-sev --
done

# The zsh completion parses and autoloads.
if command -v zsh >/dev/null; then
  zsh -n "$root/$zshdir/_pvh-sev" || bad "zsh -n _pvh-sev"
  zsh -f -c "fpath=($root/$zshdir \$fpath); autoload -Uz compinit; compinit -u -d $dest/zcd;
    [[ \${_comps[pvh-sev]} = _pvh-sev ]]" || bad "zsh compinit does not bind _pvh-sev"
else
  echo "note: zsh is not installed; the zsh completion was not loaded"
fi

# The guest headers: freestanding C11 through pkg-config, 32- and 64-bit, with no header but the
# compiler's own (-nostdinc) and no warning.
export PKG_CONFIG_PATH=$root/share/pkgconfig PKG_CONFIG_SYSROOT_DIR=$dest
cflags=$(pkg-config --cflags pvh-sev-guest) || bad "pkg-config pvh-sev-guest"
cc_inc=$(cc -print-file-name=include)
for h in ghcb/ghcb.h loader/hvm_start_info.h loader/guest_abi.h ap/ap_abi.h; do
  for bits in 32 64; do
    printf '#include <%s>\ntypedef int translation_unit_not_empty;\n' "$h" | cc -std=c11 -pedantic-errors -Wall -Wextra -Werror \
      -ffreestanding -nostdinc -isystem "$cc_inc" -m$bits $cflags -fsyntax-only -x c - \
      2>"$dest/cc.err" || bad "$h does not compile freestanding -m$bits: $(head -c 400 "$dest/cc.err")"
  done
done
[ "$fail" = 0 ] && echo "ok: install tree, man page, completions, headers and pkg-config file"
exit $fail
