#!/usr/bin/env bash
# Compiles every source file of sev/ and vmm/ (syntax and types, -Werror) against three shapes
# of the KVM uAPI: the installed 6.1 headers, 6.8-shaped and 6.10-shaped definitions (the shim
# headers beside this script, -included first). A compat guard that only works with one header
# version fails here, on this machine, without the other kernel's headers.
#   header_shapes.sh CC SOURCE_DIR BINARY_DIR
set -euo pipefail
cc=$1 src=$2 bin=$3
here=$(cd "$(dirname "$0")" && pwd)
flags=(-std=gnu11 -D_GNU_SOURCE -DPVH_SEV_VERSION='"0"' -I"$src" -I"$bin/vmm" -Wall -Wextra
       -Werror -Wno-unused-parameter -fsyntax-only)
failed=0
for shape in 6.1 6.8 6.10; do
	extra=()
	[[ $shape != 6.1 ]] && extra=(-include "$here/uapi-$shape.h")
	for f in "$src"/sev/*.c "$src"/vmm/*.c; do
		if ! out=$("$cc" "${flags[@]}" "${extra[@]}" "$f" 2>&1); then
			echo "FAIL uAPI $shape: ${f#"$src"/}"
			echo "$out" | head -5
			failed=1
		fi
	done
	echo "uAPI $shape: sev/ and vmm/ compile"
done
exit $failed
