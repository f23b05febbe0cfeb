#!/bin/sh
# batch_bench.sh - builds the pinned libzmq 4.3.4 twice in a scratch
# directory, "before" (bundled/libzmq-0001 and -0002 applied) and "after"
# (also bundled/libzmq-0003-*), and runs thr_pushpull.c and lat_reqrep.c
# against both, interleaved (A B, then B A, ...), so that a loaded machine
# slows both alike. Prints the best and the median of each series.
#
#   tools/repro/batch_bench.sh [rounds=10] [workdir=/tmp/zmq-batch-bench]
#
# Environment:
#   BEFORE_PATCHES, AFTER_PATCHES  patch files (space-separated) for the two
#                                  variants, instead of the defaults above
#   TESTS        the runs of one round, ';'-separated, each either
#                "tcp|ipc <size> <count>" (thr_pushpull) or
#                "lat tcp|ipc <size> <count> <warmup>" (lat_reqrep)
#   SKIP_BUILD=1 reuse the builds already in workdir
#   ZMQ_SOURCE_ROOT  the project checkout whose bundled/ is used (default:
#                the one this script is in)
# rounds=0 only prints the summary of the last results again.
#
# Needs cmake, a C and C++ compiler, patch. The libzmq builds are static,
# Release, without libsodium, drafts and tests (about 2 x 2 minutes on 2
# cores). Raw results go to <workdir>/results.txt, one line per run.
set -eu

ROUNDS=${1:-10}
WORK=${2:-/tmp/zmq-batch-bench}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=${ZMQ_SOURCE_ROOT:-$(cd "$HERE/../.." && pwd)}
ARCHIVE=$ROOT/bundled/cache/libzmq-4.3.4.tar.gz
BEFORE_PATCHES=${BEFORE_PATCHES:-"$(ls "$ROOT"/bundled/libzmq-000[12]-*.patch)"}
AFTER_PATCHES=${AFTER_PATCHES:-"$(ls "$ROOT"/bundled/libzmq-000[123]-*.patch)"}
TESTS=${TESTS:-"tcp 64 500000;tcp 1024 200000;tcp 16384 30000;tcp 262144 3000;ipc 64 500000;ipc 1024 200000;lat tcp 64 20000 2000"}

build() { # name patches...
    name=$1
    shift
    rm -rf "$WORK/$name"
    mkdir -p "$WORK/$name"
    tar -xzf "$ARCHIVE" -C "$WORK/$name"
    src="$WORK/$name/libzmq-4.3.4"
    for p in "$@"; do
        echo "[$name] applying $(basename "$p")"
        (cd "$src" && patch -p1 --forward --batch --quiet -i "$p")
    done
    mkdir -p "$src/build"
    (cd "$src/build" &&
        cmake .. -Wno-dev -DCMAKE_POLICY_VERSION_MINIMUM=3.5 \
            -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$WORK/$name/inst" \
            -DCMAKE_INSTALL_LIBDIR=lib -DBUILD_SHARED=OFF -DBUILD_STATIC=ON \
            -DBUILD_TESTS=OFF -DWITH_PERF_TOOL=OFF -DWITH_DOCS=OFF \
            -DWITH_LIBSODIUM=OFF -DENABLE_CURVE=OFF -DENABLE_DRAFTS=OFF \
            -DWITH_LIBBSD=OFF -DWITH_TLS=OFF -DWITH_NSS=OFF >cmake.log 2>&1 &&
        cmake --build . --target install -j "$(nproc)" >build.log 2>&1) || {
        echo "[$name] build failed, see $src/build/*.log" >&2
        exit 1
    }
    for prog in thr_pushpull lat_reqrep; do
        cc -O2 -o "$WORK/$name/$prog" "$HERE/$prog.c" -I"$WORK/$name/inst/include" \
            -I"$HERE/../../bench/floor" \
            "$WORK/$name/inst/lib/libzmq.a" -lstdc++ -lpthread
    done
}

mkdir -p "$WORK"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
    # shellcheck disable=SC2086
    build before $BEFORE_PATCHES
    # shellcheck disable=SC2086
    build after $AFTER_PATCHES
fi

RESULTS=$WORK/results.txt
run() { # variant test...
    v=$1
    shift
    if [ "$1" = lat ]; then
        shift
        out=$("$WORK/$v/lat_reqrep" "$@")
    else
        out=$("$WORK/$v/thr_pushpull" "$@")
    fi
    echo "$v $out" | tee -a "$RESULTS"
}

if [ "$ROUNDS" -gt 0 ]; then
    : >"$RESULTS"
fi
r=1
while [ "$r" -le "$ROUNDS" ]; do
    echo "--- round $r of $ROUNDS"
    if [ $((r % 2)) -eq 1 ]; then order="before after"; else order="after before"; fi
    echo "$TESTS" | tr ';' '\n' | while read -r t; do
        [ -n "$t" ] || continue
        for v in $order; do
            # shellcheck disable=SC2086
            run "$v" $t
        done
    done
    r=$((r + 1))
done

# Summary (rounds=0 only summarises an earlier $RESULTS). Throughput in
# msg/s (higher is better), latency as the p50 round trip in us (lower is
# better). "paired" compares the two runs of the same round: the median of
# after/before and in how many rounds "after" did better. cpu is the median
# CPU time per message, receiver + sender, in ns.
echo
echo "=== $RESULTS"
awk '
function field(name,    i, kv) {
    for (i = 1; i <= NF; i++)
        if (index($i, name "=") == 1)
            return substr($i, length(name) + 2)
    return ""
}
function median(a, n,    i, j, t) {
    for (i = 2; i <= n; i++)
        for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
            t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
        }
    return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
{
    lat = field("p50_us") != ""
    key = (lat ? "lat " : "") $2 " " field("size")
    if (!(key in seen)) { seen[key] = 1; keys[++nkeys] = key; islat[key] = lat }
    i = ++n[$1, key]
    val[$1, key, i] = lat ? field("p50_us") : field("msg_s")
    cpu[$1, key, i] = lat ? 0 : field("rcv_cpu_ns") + field("snd_cpu_ns")
}
END {
    printf "%-13s %12s %12s %12s %12s %8s %6s %13s\n", "test", "before best", "after best",
        "before med", "after med", "paired", "wins", "cpu ns b/a"
    for (k = 1; k <= nkeys; k++) {
        key = keys[k]
        nb = n["before", key]; na = n["after", key]
        m = nb < na ? nb : na
        if (m == 0) continue
        for (v = 0; v < 2; v++) {
            name = v ? "after" : "before"
            best[v] = val[name, key, 1]
            for (i = 1; i <= m; i++) {
                x[i] = val[name, key, i] + 0
                c[i] = cpu[name, key, i] + 0
                if (islat[key] ? x[i] < best[v] : x[i] > best[v]) best[v] = x[i]
            }
            med[v] = median(x, m)
            cmed[v] = median(c, m)
        }
        wins = 0
        for (i = 1; i <= m; i++) {
            r[i] = val["after", key, i] / val["before", key, i]
            if (islat[key] ? r[i] < 1 : r[i] > 1) wins++
        }
        printf "%-13s %12.1f %12.1f %12.1f %12.1f %8.3f %3d/%-2d %6.0f/%-6.0f\n", key, best[0], best[1],
            med[0], med[1], median(r, m), wins, m, cmed[0], cmed[1]
    }
}' "$RESULTS"
