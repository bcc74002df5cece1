#!/bin/sh
# Generation time and peak memory: our generator against its peers, on the
# same documents, in one hyperfine run per document (BENCHMARKS.md, "Issue 17:
# peers in one run").
#
# Usage, from the repository root, after `cargo build --release -p xtask`:
#
#   xtask/benches/peers.sh [PEERS_BIN]
#
# PEERS_BIN (argument, else the environment variable, else /work/peers/bin) is
# the `bin` directory of a `cargo install --root` holding the Rust peers:
#
#   CARGO_TARGET_DIR=/work/peers/target cargo install --locked --root /work/peers cargo-progenitor@0.15.1
#   (the same for oas3-gen@0.29.0 and openapi-to-rust@0.23.0)
#
# openapi-generator is found as OPENAPI_GENERATOR (default:
# PEERS_BIN/../venv/bin/openapi-generator-cli, from
# `python3 -m venv /work/peers/venv && /work/peers/venv/bin/pip install openapi-generator-cli==7.26.0`;
# it needs a Java runtime on PATH). A peer that is not installed is skipped,
# saying so.
#
# Environment: OUT (default /tmp/peers-bench) receives the generated code, the
# hyperfine JSON (hf-DOC.json), the peak memory and exit status of one run of
# each command (time-DOC.txt), the last lines of each failing run's output
# (fail-DOC-TOOL.txt) and the summary (summary.md, also printed): per document
# the load average, and each command's median wall time and peak memory as a
# ratio to the fastest peer that succeeded in the same run. RUNS (default 5);
# DOCS (default "seed nexus github"), the documents to run.
#
# Each run starts from an empty output directory (hyperfine --prepare), so
# every tool writes its whole output every time.

set -u

PEERS_BIN=${1:-${PEERS_BIN:-/work/peers/bin}}
OPENAPI_GENERATOR=${OPENAPI_GENERATOR:-$PEERS_BIN/../venv/bin/openapi-generator-cli}
OUT=${OUT:-/tmp/peers-bench}
RUNS=${RUNS:-5}
OURS=${OURS:-target/release/xtask}
SHARED=${SHARED:-../shared}
DOCS=${DOCS:-seed nexus github}

if [ ! -x "$OURS" ]; then
    echo "no $OURS: run \`cargo build --release -p xtask\` first" >&2
    exit 1
fi
for tool in hyperfine python3; do
    command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 1; }
done
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (GNU time)" >&2; exit 1; }

rm -rf "$OUT" && mkdir -p "$OUT"
SUMMARY=$OUT/summary.md
: >"$SUMMARY"

# The command of TOOL generating DOC into DIR, or nothing when TOOL is not
# installed. progenitor's and openapi-generator's arguments are from their
# `--help`; see the notes on the other two.
command_of() {
    tool=$1 doc=$2 dir=$3
    case $tool in
    ours)
        echo "$OURS codegen --spec $doc --out $dir --crate-name c" ;;
    progenitor)
        [ -x "$PEERS_BIN/cargo-progenitor" ] &&
            echo "$PEERS_BIN/cargo-progenitor progenitor -i $doc -o $dir -n c -v 0.1.0" ;;
    oas3-gen)
        # `oas3-gen generate --help` (0.29.0): MODE client-mod writes a
        # directory (mod.rs, client.rs, types.rs), `-i` the document, `-o`
        # the directory. Its output is a module, not a crate.
        [ -x "$PEERS_BIN/oas3-gen" ] &&
            echo "$PEERS_BIN/oas3-gen generate client-mod -i $doc -o $dir" ;;
    openapi-to-rust)
        # `openapi-to-rust generate --help` (0.23.0): the document is the
        # positional SOURCE (direct mode); it writes models and an HTTP
        # client unless `--types-only`.
        [ -x "$PEERS_BIN/openapi-to-rust" ] &&
            echo "$PEERS_BIN/openapi-to-rust generate $doc --output-dir $dir --module-name c" ;;
    openapi-generator)
        [ -x "$OPENAPI_GENERATOR" ] && command -v java >/dev/null &&
            echo "$OPENAPI_GENERATOR generate -g rust -i $doc -o $dir --package-name c" ;;
    esac
}

TOOLS="ours progenitor oas3-gen openapi-to-rust openapi-generator"

for entry in \
    "seed:$SHARED/seeds/imodels-v2.seed.yaml" \
    "nexus:$SHARED/specs/nexus.json" \
    "github:$SHARED/specs/api.github.com.json"; do
    name=${entry%%:*}
    doc=${entry#*:}
    case " $DOCS " in
    *" $name "*) ;;
    *) continue ;;
    esac
    if [ ! -f "$doc" ]; then
        echo "## $name: $doc not found, skipped" | tee -a "$SUMMARY"
        continue
    fi
    root=$OUT/$name
    set --
    names=""
    for tool in $TOOLS; do
        cmd=$(command_of "$tool" "$doc" "$root/$tool")
        if [ -z "$cmd" ]; then
            echo "$tool: not installed, skipped" >&2
            continue
        fi
        set -- "$@" -n "$tool" "$cmd"
        names="$names $tool"
    done
    load_before=$(uptime | sed 's/.*load average: //')
    hyperfine -N -i -w 1 -r "$RUNS" --prepare "rm -rf $root" \
        --export-json "$OUT/hf-$name.json" "$@" >"$OUT/hyperfine-$name.txt" 2>&1
    load_after=$(uptime | sed 's/.*load average: //')
    # Peak memory and exit status: one more run of each, from an empty directory.
    : >"$OUT/time-$name.txt"
    for tool in $names; do
        rm -rf "$root"
        cmd=$(command_of "$tool" "$doc" "$root/$tool")
        # shellcheck disable=SC2086 # the command is split into its words on purpose
        /usr/bin/time -o "$OUT/t" -f '%e s %U u %M KiB' $cmd >"$OUT/log-$name-$tool.txt" 2>&1
        status=$?
        echo "$tool $status $(cat "$OUT/t" | tail -1)" >>"$OUT/time-$name.txt"
        if [ "$status" -ne 0 ]; then
            # The error or panic message, else the last lines.
            grep -m1 -A1 -iE 'panicked|error|fail' "$OUT/log-$name-$tool.txt" >"$OUT/fail-$name-$tool.txt" ||
                tail -5 "$OUT/log-$name-$tool.txt" >"$OUT/fail-$name-$tool.txt"
        fi
    done
    python3 - "$name" "$doc" "$OUT" "$load_before" "$load_after" >>"$SUMMARY" <<'EOF'
import json, sys
name, doc, out, before, after = sys.argv[1:]
runs = json.load(open(f"{out}/hf-{name}.json"))["results"]
mem = {}
for line in open(f"{out}/time-{name}.txt"):
    tool, status, *rest = line.split()
    kib = next((int(rest[i - 1]) for i, w in enumerate(rest) if w == "KiB"), None)
    mem[tool] = (int(status), kib)
def ok(r):
    return all(c == 0 for c in r["exit_codes"]) and mem.get(r["command"], (1,))[0] == 0
peers = [r for r in runs if r["command"] != "ours" and ok(r)]
best = min(peers, key=lambda r: r["median"]) if peers else None
print(f"### {name} (`{doc}`)\n")
print(f"Load average before / after: {before} / {after}.", end=" ")
print(f"Ratios against the fastest peer that succeeded: {best['command'] if best else 'none'}.\n")
print("| tool | median wall | ratio | peak RSS | ratio | status |")
print("|---|---:|---:|---:|---:|---|")
for r in runs:
    tool = r["command"]
    status, kib = mem.get(tool, (None, None))
    t = f"{r['median'] * 1000:.0f} ms"
    tr = f"{r['median'] / best['median']:.2f}" if best else "-"
    m = f"{kib / 1024:.1f} MiB" if kib else "-"
    bm = mem.get(best["command"], (0, None))[1] if best else None
    mr = f"{kib / bm:.2f}" if kib and bm else "-"
    if ok(r):
        state = "ok"
    else:
        try:
            lines = [l.strip() for l in open(f"{out}/fail-{name}-{tool}.txt") if l.strip()]
            state = "fails: " + (" ".join(lines)[:160] if lines else f"exit {status}")
        except OSError:
            state = f"fails: exit codes {sorted(set(r['exit_codes']))}"
        state = state.replace("|", "\\|")
    print(f"| {tool} | {t} | {tr} | {m} | {mr} | {state} |")
print()
EOF
done
cat "$SUMMARY"
