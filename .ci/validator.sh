#!/usr/bin/env bash
# The validator against the W3C Feed Validation Service's code on real
# documents (verdict agreement, batch speed) and a 50,000-item JSON Feed.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=$PWD/../shared
python3 -m pip install -q --disable-pip-version-check lxml html5lib rdflib
cargo build --release -q
python3 .ci/validator_check.py --fw target/release/feedwright --shared "$shared"
