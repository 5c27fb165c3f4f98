#!/usr/bin/env bash
# Regenerates the seed corpora in fuzz/corpus/ from fuzz/seeds/main.swift (which uses
# ChatProtocol's own encoders for the hub frames). Existing seed files of the same name are
# overwritten; files added by `run.sh --update-corpus` are left alone.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .build-fuzz
for t in fuzz/targets/*.swift; do mkdir -p "fuzz/corpus/$(basename "$t" .swift)"; done
swiftc -Onone -module-name MakeSeeds -I Sources/CChecksum $(find Sources/ChatProtocol -name '*.swift' | sort) \
    fuzz/seeds/main.swift -o .build-fuzz/make-seeds
.build-fuzz/make-seeds
