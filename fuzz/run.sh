#!/usr/bin/env bash
# Coverage-guided fuzzing of MeshGateway's parsers with SharpFuzz + AFL++.
#   fuzz/run.sh TARGET SECONDS     TARGET: clienthello | consul-sni | modes-config | modes-hcl | proxy-protocol | quic
# Installs what it needs (Debian's afl++, the SharpFuzz.CommandLine dotnet tool), builds the targets into
# fuzz/work/, instruments the library under test, seeds from tests/TestData and fuzz/seeds, runs afl-fuzz for
# SECONDS, then prints executions and crashes. Crashing inputs are copied to fuzz/regressions/TARGET/, which
# tests/MeshGateway.Fuzz.Tests replays on every CI run. Not run in CI itself.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: fuzz/run.sh TARGET SECONDS}
seconds=${2:?usage: fuzz/run.sh TARGET SECONDS}

case "$target" in
  clienthello)  library=MeshGateway.ClientHello ;;
  quic)         library=MeshGateway.ClientHello ;;
  consul-sni)   library=MeshGateway.Naming ;;
  modes-config) library=MeshGateway.Modes ;;
  modes-hcl)    library=MeshGateway.Modes ;;
  proxy-protocol) library=MeshGateway.Forwarding ;;
  *) echo "unknown target: $target (clienthello, consul-sni, modes-config, modes-hcl, proxy-protocol, quic)" >&2; exit 2 ;;
esac

if ! command -v afl-fuzz >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq afl++ >/dev/null
fi
tools=fuzz/work/tools
if [ ! -x "$tools/sharpfuzz" ]; then
  dotnet tool install --tool-path "$tools" SharpFuzz.CommandLine --version 2.3.0 >/dev/null
fi

# A private build per target: instrumentation rewrites the library in place.
bin=fuzz/work/bin/$target
rm -rf "$bin"
dotnet build fuzz/MeshGateway.Fuzz -c Release -o "$bin" -p:TreatWarningsAsErrors=true >/dev/null
"$tools/sharpfuzz" "$bin/$library.dll"

seeds=fuzz/work/seeds/$target
rm -rf "$seeds" && mkdir -p "$seeds"
case "$target" in
  clienthello) cp tests/TestData/client-hellos/*.bin fuzz/seeds/clienthello/* "$seeds"/ ;;
  consul-sni)
    cp fuzz/seeds/consul-sni/* "$seeds"/
    # Every SNI the real clients sent.
    i=0
    for json in tests/TestData/client-hellos/*.json; do
      sni=$(grep -oE '"sni": *"[^"]*"' "$json" | sed -E 's/.*"([^"]*)"$/\1/' || true)
      [ -n "$sni" ] && printf '%s' "$sni" > "$seeds/capture-$((i++))"
    done ;;
  modes-hcl) cp fuzz/seeds/modes-hcl/* tests/MeshGateway.Modes.Tests/ConfigEntries/Hcl/TestData/*.hcl "$seeds"/ ;;
  modes-config|proxy-protocol|quic) cp fuzz/seeds/"$target"/* "$seeds"/ ;;
esac

findings=fuzz/findings/$target
mkdir -p "$findings"
resume=(-i "$seeds")
[ -f "$findings/default/fuzzer_stats" ] && resume=(-i -)   # continue an earlier campaign

export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1
set +e
afl-fuzz "${resume[@]}" -o "$findings" -V "$seconds" -t 10000 -m none -- dotnet "$bin/MeshGateway.Fuzz.dll" "$target" \
  > "$findings/afl.log" 2>&1
status=$?
set -e

stats=$findings/default/fuzzer_stats
if [ ! -f "$stats" ]; then
  echo "afl-fuzz did not start (exit $status); see $findings/afl.log" >&2
  tail -n 20 "$findings/afl.log" >&2
  exit 1
fi
stat() { grep -E "^$1 *:" "$stats" | sed -E 's/^[^:]*: *//'; }
crashes=$(stat saved_crashes)
echo "target:      $target ($library)"
echo "ran for:     $(( $(stat last_update) - $(stat start_time) )) s"
echo "executions:  $(stat execs_done) ($(stat execs_per_sec) /s)"
echo "corpus:      $(stat corpus_count) inputs, edges found $(stat edges_found)"
echo "crashes:     $crashes, hangs: $(stat saved_hangs)"
if [ "${crashes:-0}" -gt 0 ]; then
  mkdir -p "fuzz/regressions/$target"
  for f in "$findings"/default/crashes/id:*; do
    cp "$f" "fuzz/regressions/$target/$(sha256sum "$f" | cut -c1-16)"
  done
  echo "crashing inputs copied to fuzz/regressions/$target/ (replay: dotnet $bin/MeshGateway.Fuzz.dll $target --replay FILE)"
  exit 1
fi
