#!/usr/bin/env bash
# Rebuild the seed archive and retake the README's screenshots (needs Chromium and the test extras).
set -euo pipefail
cd "$(dirname "$0")/.."
python build.py --quiet
python scripts/screenshots.py site docs/images \
  "le-monde-et-la-coree/solidarite/pour-l-independance-et-la-justice.html#2024-06-19=document" \
  "years/2025.html=timeline"
