#!/usr/bin/env bash
# The layering rules of DESIGN.md, checked mechanically:
#   1. only src/crypto/ includes <openssl/...>;
#   2. each layer includes only its own headers and those of the layers below it;
#   3. no library or program links libssl (libcrypto only).
# Usage: tests/layering.sh SOURCE_DIR BUILD_DIR
set -u
src=$1
build=$2
fail=0

# 1. OpenSSL headers
bad=$(grep -rlE '#include *<openssl/' "$src/src" "$src/include" "$src/tools" 2>/dev/null |
      grep -v "^$src/src/crypto/")
if [ -n "$bad" ]; then
    echo "FAIL: OpenSSL headers outside src/crypto/: $bad"
    fail=1
fi

# 2. layers: folder -> the folders (under src/, plus lucid/ for the public header) it may include
declare -A allowed=(
    [base]="base"
    [crypto]="base crypto"
    [record]="base crypto record"
    [msg]="base msg"
    [handshake]="base crypto record msg handshake"
    [conn]="base crypto record msg handshake conn lucid"
    [io]="io lucid"
    [server]="server io lucid"
)
for layer in "${!allowed[@]}"; do
    [ -d "$src/src/$layer" ] || continue
    while IFS= read -r line; do
        file=${line%%:*}
        inc=$(echo "$line" | sed -E 's/.*#include *"([^/"]+)\/.*/\1/')
        case " ${allowed[$layer]} " in
            *" $inc "*) ;;
            *) echo "FAIL: $file (layer $layer) includes $inc/"; fail=1 ;;
        esac
    done < <(grep -rnE '#include *"[^/"]+/' "$src/src/$layer" | sed 's/:[0-9]*:/:/')
done

# 3. no libssl in any ELF file we built
count=0
for f in "$build"/lib/*.so* "$build"/bin/*; do
    [ -f "$f" ] || continue
    count=$((count + 1))
    if readelf -d "$f" 2>/dev/null | grep -q 'NEEDED.*libssl'; then
        echo "FAIL: $f links libssl"
        fail=1
    fi
done
if [ "$count" -eq 0 ]; then
    echo "FAIL: no built files found under $build"
    fail=1
fi
echo "layering: checked $count built files and $(find "$src/src" -name '*.[ch]' | wc -l) source files"
[ $fail -eq 0 ] && echo "layering: ok"
exit $fail
