#!/usr/bin/env bash
# Times one whole-process run of the seed workflow (workflows/mixpanel.yml) with this
# project and with peer Arazzo runners, all pointed at the same server, and prints a table:
# tool, median wall time over RUNS runs, and how many runs completed the workflow.
#
# Usage: bench/peers.sh            (RUNS=5 by default; RUNS=N bench/peers.sh to change)
#
# Server: the same variables as examples/mixpanel.rs. Set all four of MIXPANEL_PROJECT_TOKEN,
# MIXPANEL_PROJECT_ID, MIXPANEL_SA_USERNAME and MIXPANEL_SA_SECRET (plus optionally
# MIXPANEL_API_URL and MIXPANEL_QUERY_URL) to use an external server; set none of them and the
# script builds and starts `mixpanel-emulator` on a free port, and stops it at exit.
# MIXPANEL_EVENT, MIXPANEL_IDENTIFIED_ID, MIXPANEL_FROM_DATE and MIXPANEL_TO_DATE are honoured
# as in the example; every run gets a fresh anonymous ID.
#
# Rows: arazzo (target/release/examples/mixpanel, built once, not timed), redocly
# (`redocly respect`, when installed) and arazzo-runner (Jentic's PyPI package, when
# installed). See bench/README.md for what each row runs and what each peer can't do.
#
# Other knobs: ARAZZO_RUNNER_PYTHON (the interpreter that has arazzo_runner installed; default
# the one in the arazzo-runner command's #! line, else python3), LOG_DIR (where per-run logs
# go; default a new temporary directory). Each run makes one segmentation query, and Mixpanel
# (like the emulator) allows 60 an hour: keep RUNS at 20 or less with all three tools.

set -euo pipefail
export LC_NUMERIC=C # '.' as the decimal separator in EPOCHREALTIME and awk

RUNS=${RUNS:-5}
if ! [[ $RUNS =~ ^[1-9][0-9]*$ ]]; then
    echo "error: RUNS must be a positive integer, got '$RUNS'" >&2
    exit 2
fi
if ((RUNS * 3 > 60)); then
    echo "warning: $((RUNS * 3)) segmentation queries; Mixpanel and the emulator allow 60 an hour" >&2
fi

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
WORKFLOW=workflows/mixpanel.yml
WORKFLOW_ID=identity-resolve-and-track
LOG_DIR=${LOG_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/arazzo-peers.XXXXXX")}
mkdir -p "$LOG_DIR"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/arazzo-peers-work.XXXXXX")
EMULATOR_PID=

cleanup() {
    if [[ -n $EMULATOR_PID ]]; then
        kill "$EMULATOR_PID" 2>/dev/null || true
        wait "$EMULATOR_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log() { printf '%s\n' "$*" >&2; }

nonempty() { [[ -n ${!1:-} && -n ${!1//[[:space:]]/} ]]; }

# --- the server -------------------------------------------------------------------------

REQUIRED=(MIXPANEL_PROJECT_TOKEN MIXPANEL_PROJECT_ID MIXPANEL_SA_USERNAME MIXPANEL_SA_SECRET)
given=()
missing=()
for name in "${REQUIRED[@]}"; do
    if nonempty "$name"; then given+=("$name"); else missing+=("$name"); fi
done

start_emulator() {
    log "no MIXPANEL_* server configured: building and starting mixpanel-emulator"
    cargo build --release --quiet -p mixpanel-emulator --bin mixpanel-emulator
    local token=${MIXPANEL_EMULATOR_TOKEN:-emulator-project-token}
    local project_id=${MIXPANEL_EMULATOR_PROJECT_ID:-1}
    local user=${MIXPANEL_EMULATOR_SA_USERNAME:-emulator-service-account}
    local secret=${MIXPANEL_EMULATOR_SA_SECRET:-emulator-secret}
    MIXPANEL_EMULATOR_TOKEN=$token MIXPANEL_EMULATOR_PROJECT_ID=$project_id \
        MIXPANEL_EMULATOR_SA_USERNAME=$user MIXPANEL_EMULATOR_SA_SECRET=$secret \
        "$TARGET_DIR/release/mixpanel-emulator" --port 0 >"$WORK/emulator.out" 2>&1 &
    EMULATOR_PID=$!
    local api='' query='' _
    for _ in $(seq 100); do
        api=$(awk '$1 == "ingestion:" { print $2 }' "$WORK/emulator.out")
        query=$(awk '$1 == "query:" { print $2 }' "$WORK/emulator.out")
        [[ -n $api && -n $query ]] && break
        if ! kill -0 "$EMULATOR_PID" 2>/dev/null; then
            log "error: mixpanel-emulator exited early:"
            cat "$WORK/emulator.out" >&2
            exit 1
        fi
        sleep 0.1
    done
    if [[ -z $api || -z $query ]]; then
        log "error: mixpanel-emulator printed no base URLs within 10 s"
        exit 1
    fi
    export MIXPANEL_PROJECT_TOKEN=$token MIXPANEL_PROJECT_ID=$project_id
    export MIXPANEL_SA_USERNAME=$user MIXPANEL_SA_SECRET=$secret
    export MIXPANEL_API_URL=$api MIXPANEL_QUERY_URL=$query
    SERVER_DESCRIPTION="mixpanel-emulator (pid $EMULATOR_PID) at $api and $query"
}

if ((${#given[@]} == 0)); then
    start_emulator
elif ((${#missing[@]} > 0)); then
    log "error: to use an external server, also set ${missing[*]}" \
        "(or unset all of ${REQUIRED[*]} to use the emulator)"
    exit 2
else
    export MIXPANEL_API_URL=${MIXPANEL_API_URL:-https://api.mixpanel.com}
    export MIXPANEL_QUERY_URL=${MIXPANEL_QUERY_URL:-https://mixpanel.com/api/2.0}
    SERVER_DESCRIPTION="$MIXPANEL_API_URL and $MIXPANEL_QUERY_URL"
fi
if ! [[ $MIXPANEL_PROJECT_ID =~ ^[[:space:]]*-?[0-9]+[[:space:]]*$ ]]; then
    log "error: MIXPANEL_PROJECT_ID must be an integer, got '$MIXPANEL_PROJECT_ID'"
    exit 2
fi
PROJECT_ID=$((MIXPANEL_PROJECT_ID))

# The workflow inputs every tool gets (the example's defaults, shared through the environment).
TODAY=$(date -u +%F)
export MIXPANEL_IDENTIFIED_ID=${MIXPANEL_IDENTIFIED_ID:-arazzo-example-user}
export MIXPANEL_EVENT=${MIXPANEL_EVENT:-Arazzo Example}
export MIXPANEL_FROM_DATE=${MIXPANEL_FROM_DATE:-$TODAY}
export MIXPANEL_TO_DATE=${MIXPANEL_TO_DATE:-$TODAY}

# A JSON string literal (backslash and double quote escaped; inputs hold no control characters).
json_string() {
    local s=$1
    s=${s//\\/\\\\}
    s=${s//\"/\\\"}
    printf '"%s"' "$s"
}

# The workflow inputs as one JSON object, for a given anonymous ID.
inputs_json() {
    printf '{"projectToken":%s,"projectId":%d,"identifiedId":%s,"anonId":%s,"eventName":%s,"fromDate":%s,"toDate":%s}' \
        "$(json_string "$MIXPANEL_PROJECT_TOKEN")" "$PROJECT_ID" \
        "$(json_string "$MIXPANEL_IDENTIFIED_ID")" "$(json_string "$1")" \
        "$(json_string "$MIXPANEL_EVENT")" "$(json_string "$MIXPANEL_FROM_DATE")" \
        "$(json_string "$MIXPANEL_TO_DATE")"
}

# --- timing -----------------------------------------------------------------------------

ROWS=()

# Sets NOW to the seconds since the epoch; without a fork when bash has EPOCHREALTIME (5.0+).
now() {
    if [[ -n ${EPOCHREALTIME:-} ]]; then NOW=$EPOCHREALTIME; else NOW=$(date +%s.%N); fi
}

# median <milliseconds>...: the median, one decimal.
median() {
    printf '%s\n' "$@" | sort -g | awk '
        { v[NR] = $1 }
        END {
            if (NR % 2) m = v[(NR + 1) / 2]; else m = (v[NR / 2] + v[NR / 2 + 1]) / 2
            printf "%.1f", m
        }'
}

# A one-line reason for a failed run, from its log.
failure_reason() {
    local line
    line=$(grep -aiE 'error|fail|✗|denied|refused|unauthori[sz]ed|[^0-9]401[^0-9]' "$1" |
        grep -avE 'Deprecation warning|Future Redocly|reached end-of-life' | tail -n 1 || true)
    [[ -n $line ]] || line=$(grep -av '^[[:space:]]*$' "$1" | tail -n 1 || true)
    line=$(printf '%s' "$line" | tr -s '[:space:]' ' ' | sed 's/^ //')
    printf '%s' "${line:0:160}"
}

# bench <tool> <runner-function> [<reason-function> [<note>]]: calls <runner-function>
# <anon-id> <log> RUNS times, timing each whole call; its exit status says whether the workflow
# completed; the run's inputs are ready in INPUTS (JSON) before the clock starts. The first
# failed run's log is summarised by <reason-function> <log> (default failure_reason); <note>
# starts the row's note.
bench() {
    local tool=$1 fn=$2 why=${3:-failure_reason} note=${4:-} i start end ok=0 times=() marks=()
    local reason='' logfile anon
    log "timing $tool ($RUNS runs)"
    for ((i = 1; i <= RUNS; i++)); do
        logfile="$LOG_DIR/$tool-$i.log"
        anon="bench-device-$(date +%s%N)-$i"
        INPUTS=$(inputs_json "$anon")
        now
        start=$NOW
        if "$fn" "$anon" "$logfile"; then
            now
            end=$NOW
            ok=$((ok + 1))
            marks+=(y)
        else
            now
            end=$NOW
            marks+=(n)
            [[ -n $reason ]] || reason="run $i: $("$why" "$logfile")"
        fi
        times+=("$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", (b - a) * 1000 }')")
    done
    local IFS=,
    note="$note${note:+; }${reason:-runs ${times[*]} ms}"
    ROWS+=("$tool"$'\t'"$(median "${times[@]}")"$'\t'"$ok/$RUNS (${marks[*]})"$'\t'"$note")
}

missing_row() {
    ROWS+=("$1"$'\t-\t-\t'"$2")
}

# --- arazzo (this project) ----------------------------------------------------------------

ARAZZO_BIN="$TARGET_DIR/release/examples/mixpanel"

run_arazzo() {
    MIXPANEL_ANON_ID=$1 "$ARAZZO_BIN" >"$2" 2>&1
}

log "building the arazzo example (release, not timed)"
cargo build --release --quiet --example mixpanel
bench arazzo run_arazzo

# --- Redocly CLI: redocly respect ---------------------------------------------------------

run_redocly() {
    # No telemetry or update check: both would reach out to the network on every run.
    REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
        redocly respect "$WORKFLOW" --workflow "$WORKFLOW_ID" \
        --input "$INPUTS" \
        --server "identityApi=$MIXPANEL_API_URL" \
        --server "ingestionApi=$MIXPANEL_API_URL" \
        --server "queryApi=$MIXPANEL_QUERY_URL" \
        --json-output "$2.json" >"$2" 2>&1
}

# Names the failed steps of a respect run, with their HTTP status, whether the request carried
# credentials, and the failed checks, from the run's JSON log.
redocly_reason() {
    local summary=''
    if [[ -s $1.json ]]; then
        # shellcheck disable=SC2016 # JavaScript template literals, not shell expansions
        summary=$(node -e '
            const report = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
            const out = [];
            for (const file of Object.values(report.files || {}))
                for (const workflow of file.executedWorkflows || [])
                    for (const step of workflow.executedSteps || []) {
                        if (step.status === "success") continue;
                        const response = step.response || {};
                        const headers = Object.keys((step.request || {}).headers || {});
                        const auth = headers.some((h) => h.toLowerCase() === "authorization");
                        const checks = (step.checks || []).filter((c) => !c.passed);
                        out.push(`step ${step.stepId}: HTTP ${response.statusCode ?? "-"}` +
                            ` (request sent ${auth ? "an" : "no"} Authorization header)` +
                            `; failed checks: ${checks.map((c) => c.name).join(", ")}`);
                    }
            console.log(out.join("; "));' "$1.json" 2>/dev/null || true)
    fi
    if [[ -n $summary ]]; then printf '%s' "$summary"; else failure_reason "$1"; fi
}

if command -v redocly >/dev/null 2>&1; then
    bench redocly run_redocly redocly_reason
else
    missing_row redocly "redocly not installed: npm install -g @redocly/cli"
fi

# --- Jentic arazzo-runner -----------------------------------------------------------------

# The arazzo-runner CLI can only fill in {variables} of a description's first server URL; the
# Mixpanel descriptions have fixed URLs, so this driver uses the library API instead: load the
# document, point each source description's servers at the given URL (in memory only), run.
cat >"$WORK/arazzo_runner_driver.py" <<'PY'
import json
import sys

from arazzo_runner import ArazzoRunner, StepStatus, WorkflowExecutionStatus

path, workflow_id, inputs, *servers = sys.argv[1:]
runner = ArazzoRunner.from_arazzo_path(path)
for server in servers:
    name, url = server.split("=", 1)
    runner.source_descriptions[name]["servers"] = [{"url": url}]
result = runner.execute_workflow(workflow_id, json.loads(inputs))
# The result says workflow_complete even when steps failed (the runner goes on past a failed
# step), so completion also needs every step of the workflow to have succeeded.
steps = {}
for state in runner.execution_states.values():
    if state.workflow_id == workflow_id:
        steps = state.status
print(f"status: {result.status}")
shown = {step: getattr(status, "value", status) for step, status in steps.items()}
print(f"steps: {shown}")
print(f"outputs: {json.dumps(result.outputs, default=str)}")
if result.error:
    print(f"error: {result.error}")
step_ids = [step["stepId"] for step in next(
    w for w in runner.arazzo_doc["workflows"] if w["workflowId"] == workflow_id)["steps"]]
failed = [step for step in step_ids if steps.get(step) != StepStatus.SUCCESS]
if failed:
    print(f"error: steps not successful: {', '.join(failed)}")
done = result.status == WorkflowExecutionStatus.WORKFLOW_COMPLETE and not result.error and not failed
sys.exit(0 if done else 1)
PY

run_arazzo_runner() {
    # Credentials go in the environment variables arazzo-runner derives from the descriptions
    # (see `arazzo-runner show-env-mappings workflows/mixpanel.yml`).
    MIXPANEL_BASICAUTH_USERNAME=$MIXPANEL_SA_USERNAME \
        MIXPANEL_BASICAUTH_PASSWORD=$MIXPANEL_SA_SECRET \
        MIXPANEL_PROJECTTOKEN=$MIXPANEL_PROJECT_TOKEN \
        "$PYTHON" "$WORK/arazzo_runner_driver.py" "$WORKFLOW" "$WORKFLOW_ID" \
        "$INPUTS" \
        "identityApi=$MIXPANEL_API_URL" \
        "ingestionApi=$MIXPANEL_API_URL" \
        "queryApi=$MIXPANEL_QUERY_URL" >"$2" 2>&1
}

# The interpreter with arazzo_runner: ARAZZO_RUNNER_PYTHON, else the one named in the
# arazzo-runner script's #! line (pip, pipx or venv installs), else python3.
runner_python() {
    local exe line=''
    if [[ -n ${ARAZZO_RUNNER_PYTHON:-} ]]; then
        printf '%s' "$ARAZZO_RUNNER_PYTHON"
        return
    fi
    if exe=$(command -v arazzo-runner 2>/dev/null); then
        IFS= read -r line <"$exe" || true
        if [[ $line =~ ^#!(/[^[:space:]]*python[^[:space:]]*)$ ]]; then
            printf '%s' "${BASH_REMATCH[1]}"
            return
        fi
    fi
    printf python3
}
PYTHON=$(runner_python)

if "$PYTHON" -c 'import arazzo_runner' >/dev/null 2>&1; then
    bench arazzo-runner run_arazzo_runner failure_reason \
        "library API, servers replaced in memory (its CLI cannot override fixed server URLs)"
elif command -v arazzo-runner >/dev/null 2>&1; then
    missing_row arazzo-runner "arazzo-runner not importable by $PYTHON: set ARAZZO_RUNNER_PYTHON to the interpreter it is installed in"
else
    missing_row arazzo-runner "arazzo-runner not installed: pip install arazzo-runner"
fi

# --- the table ----------------------------------------------------------------------------

echo
echo "seed workflow $WORKFLOW ($WORKFLOW_ID), $RUNS runs per tool, against $SERVER_DESCRIPTION"
echo
{
    printf 'tool\tmedian wall (ms)\tcompleted\tnote\n'
    printf '%s\n' "${ROWS[@]}"
} | awk -F'\t' '
    { for (i = 1; i <= NF; i++) { cell[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i) } n = NR }
    END {
        for (r = 1; r <= n; r++) {
            printf "%-*s  %*s  %-*s  %s\n", w[1], cell[r, 1], w[2], cell[r, 2], w[3], cell[r, 3], cell[r, 4]
            if (r == 1) {
                for (i = 1; i <= 3; i++) { s = ""; for (j = 0; j < w[i]; j++) s = s "-"; printf "%s  ", s }
                print "----"
            }
        }
    }'
echo
echo "per-run logs: $LOG_DIR"
