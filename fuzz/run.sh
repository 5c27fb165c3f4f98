#!/usr/bin/env bash
# Coverage-guided fuzzing (libFuzzer) of the ChatProtocol decoders.
#
#   bash fuzz/run.sh [--update-corpus] [TARGET|all] [SECONDS]
#
# Each target in fuzz/targets/<name>.swift is compiled with the ChatProtocol sources and
# fuzz/support/*.swift into one module and one binary, .build-fuzz/bin/<name>, with
# `swiftc -O -sanitize=fuzzer,address`. A target whose file has a line
# `// fuzz-sources: DIR...` is compiled with the Swift files of those folders instead (for
# code that imports ChatProtocol, such as Sources/ChatTUI/Model), ChatProtocol then being a
# module of its own (.build-fuzz/lib, built the same way), which those files and the target
# import. Then it runs for SECONDS (default 60) on its seed corpus
# fuzz/corpus/<name>/. New corpus entries go to .build-fuzz/corpus/<name>/ (kept between
# runs, never committed); with --update-corpus the ones that add coverage are merged into
# fuzz/corpus/<name>/ afterwards. A crash, timeout or out-of-memory input is written to
# .build-fuzz/crashes/<name>/ and the script exits 1. Logs: .build-fuzz/logs/<name>.log.
#
# Replay one input:  .build-fuzz/bin/<name> path/to/input
set -uo pipefail
cd "$(dirname "$0")/.."

update=0
args=()
for a in "$@"; do
    case "$a" in
        --update-corpus) update=1 ;;
        -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) args+=("$a") ;;
    esac
done
which="${args[0]:-all}"
seconds="${args[1]:-60}"

out=.build-fuzz
mapfile -t all_targets < <(ls fuzz/targets/*.swift | xargs -n1 basename | sed 's/\.swift$//' | sort)
if [ "$which" = all ]; then
    targets=("${all_targets[@]}")
elif [ -f "fuzz/targets/$which.swift" ]; then
    targets=("$which")
else
    echo "fuzz/run.sh: no target '$which' (have: ${all_targets[*]})" >&2
    exit 2
fi
case "$seconds" in ''|*[!0-9]*) echo "fuzz/run.sh: SECONDS must be a whole number" >&2; exit 2 ;; esac

mkdir -p "$out/bin" "$out/logs"
mapfile -t library < <(find Sources/ChatProtocol -name '*.swift' | sort)
mapfile -t support < <(ls fuzz/support/*.swift)

# The fuzzer reports crashes itself; Swift's backtracer would only slow that down.
export SWIFT_BACKTRACE=enable=no

# ld.gold warns "Cannot export local symbol" for every sanitizer symbol: harmless noise.
quiet() { grep -v -e 'Cannot export local symbol' -e '^clang: warning: argument unused'; }

# ChatProtocol as a module of its own, for targets with `// fuzz-sources:`.
library_module() {
    local lib="$out/lib/libChatProtocol.a"
    if [ -f "$lib" ] && [ -z "$(find "${library[@]}" fuzz/run.sh Sources/CChecksum -newer "$lib" 2>/dev/null | head -1)" ]; then
        return 0
    fi
    echo "== build ChatProtocol module"
    mkdir -p "$out/lib"
    swiftc -O -wmo -sanitize=fuzzer,address -parse-as-library -module-name ChatProtocol -I Sources/CChecksum \
        -emit-module -emit-module-path "$out/lib/ChatProtocol.swiftmodule" \
        -emit-library -static "${library[@]}" -o "$lib.tmp" 2>&1 | quiet
    local rc=${PIPESTATUS[0]}
    if [ "$rc" -ne 0 ]; then rm -f "$lib.tmp"; return "$rc"; fi
    mv "$lib.tmp" "$lib"
}

build() {
    local t=$1 bin="$out/bin/$1" src="fuzz/targets/$1.swift"
    local dirs extra=()
    dirs=$(sed -n 's|^// fuzz-sources: *||p' "$src" | head -1)
    for d in $dirs; do
        [ -d "$d" ] || { echo "fuzz/run.sh: $src: no folder $d" >&2; return 2; }
        mapfile -t -O "${#extra[@]}" extra < <(find "$d" -name '*.swift' | sort)
    done
    if [ ${#extra[@]} -gt 0 ]; then
        library_module || return $?
        local inputs=("$out/lib/libChatProtocol.a" "${extra[@]}" "${support[@]}" "$src" fuzz/run.sh)
    else
        local inputs=("${library[@]}" "${support[@]}" "$src" fuzz/run.sh Sources/CChecksum)
    fi
    if [ -x "$bin" ] && [ -z "$(find "${inputs[@]}" -newer "$bin" 2>/dev/null | head -1)" ]; then
        return 0
    fi
    echo "== build $t"
    # -I Sources/CChecksum: ChatProtocol's CRC-32C instruction (a header-only C module).
    if [ ${#extra[@]} -gt 0 ]; then
        swiftc -O -wmo -sanitize=fuzzer,address -parse-as-library -module-name FuzzTarget \
            -I Sources/CChecksum -I "$out/lib" -L "$out/lib" -lChatProtocol \
            "${extra[@]}" "${support[@]}" "$src" -o "$bin.tmp" 2>&1 | quiet
    else
        swiftc -O -wmo -sanitize=fuzzer,address -parse-as-library -module-name FuzzTarget -I Sources/CChecksum \
            "${library[@]}" "${support[@]}" "$src" -o "$bin.tmp" 2>&1 | quiet
    fi
    local rc=${PIPESTATUS[0]}
    if [ "$rc" -ne 0 ]; then rm -f "$bin.tmp"; return "$rc"; fi
    mv "$bin.tmp" "$bin"
}

status=0
summary=()
for t in "${targets[@]}"; do
    if ! build "$t"; then
        summary+=("$(printf '%-18s BUILD FAILED' "$t")")
        status=1
        continue
    fi
    seeds="fuzz/corpus/$t"
    scratch="$out/corpus/$t"
    crashes="$out/crashes/$t"
    log="$out/logs/$t.log"
    mkdir -p "$seeds" "$scratch" "$crashes"
    echo "== run $t for ${seconds}s (seeds $seeds, new entries $scratch)"
    # The first corpus directory receives new entries; the seeds are only read.
    "$out/bin/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$crashes/" "$scratch" "$seeds" >"$log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    corp=$(grep -o 'corp: [0-9]*/[0-9A-Za-z]*' "$log" | tail -1 | cut -d' ' -f2)
    if [ "$rc" -eq 0 ]; then
        result=ok
    else
        status=1
        artefact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
        result="CRASH (exit $rc) input: ${artefact:-see $log}"
        echo "-- $t failed (full report in $log):"
        grep -E -e 'Fatal error|ERROR: (AddressSanitizer|libFuzzer)|^SUMMARY|Test unit written' "$log" | head -8
    fi
    summary+=("$(printf '%-18s execs %-10s exec/s %-7s cov %-6s ft %-6s corpus %-10s %s' \
        "$t" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$result")")
    if [ "$update" -eq 1 ] && [ "$rc" -eq 0 ]; then
        before=$(ls "$seeds" | wc -l)
        "$out/bin/$t" -merge=1 -rss_limit_mb=2048 "$seeds" "$scratch" >>"$log" 2>&1
        echo "-- $t: merged into $seeds: $before -> $(ls "$seeds" | wc -l) files"
    fi
done

echo
echo "== fuzz summary (${seconds}s per target; logs in $out/logs)"
printf '%s\n' "${summary[@]}"
exit "$status"
