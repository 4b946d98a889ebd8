#!/usr/bin/env bash
# Set up the environment if needed, then analyse the bundled example article.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-env.sh
.venv/bin/stance analyze examples/article.txt -o example-output.jsonl --overwrite
.venv/bin/python -c "
import json, stance
record = json.loads(open('example-output.jsonl').readline())
for q in record['quotes']:
    who = (q['speaker'] or {}).get('name') or ((q['speaker'] or {}).get('mention') or {}).get('text') or '(no speaker)'
    st = max(q['stances'], key=lambda s: s['score']) if q['stances'] else None
    print(f\"{q['kind']:<8} {who:<26} {q['text'][:60]!r}\" + (f\"  -> {st['label']} ({st['target']})\" if st else ''))
"
